/**
 * CONV-2 typing, both ways: the agent's typing is sent at most every few
 * seconds while a draft grows (and once more when it is cleared); the
 * customer's is shown until they stop or go quiet for a while, since a lost
 * "stopped" must not leave the indicator on for ever.
 */
import type { ConsoleSession } from '../session.js';
import type { Conversation } from './conversation.js';

const TYPING_REFRESH_MS = 3000;
const TYPING_STALE_MS = 12000;

export class Typing {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly sentAt = new Map<string, number>();

  constructor(
    private readonly session: ConsoleSession,
    private readonly changed: () => void,
  ) {}

  /** The agent's draft of a conversation they serve changed. */
  draft(c: Conversation | undefined, draft: string): void {
    if (!c?.mine) return;
    const now = Date.now();
    const sent = this.sentAt.get(c.id);
    if (!draft) {
      if (sent === undefined) return;
      this.sentAt.delete(c.id);
      this.tell(c.id, false);
      return;
    }
    if (sent !== undefined && now - sent < TYPING_REFRESH_MS) return;
    this.sentAt.set(c.id, now);
    this.tell(c.id, true);
  }

  /** A message went out: the next keystroke says "typing" again at once. */
  sent(id: string): void {
    this.sentAt.delete(id);
  }

  /** The customer's typing event. */
  visitor(c: Conversation, typing: boolean): void {
    c.typing = typing;
    clearTimeout(this.timers.get(c.id));
    if (!typing) return;
    this.timers.set(
      c.id,
      setTimeout(() => {
        c.typing = false;
        this.changed();
      }, TYPING_STALE_MS),
    );
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  private tell(conversationId: string, typing: boolean): void {
    void this.session.ask({ type: 'typing', conversationId, typing }).catch(() => undefined);
  }
}
