/**
 * SUP-1: the live view. Connections of supervisors and admins register the
 * departments they watch; conversations publish a summary here whenever
 * their state changes. A plain registry, not an actor: publishing is a map
 * lookup on the conversation's own turn, so no parent actor sits in the path
 * of every conversation's traffic.
 */
import type { ConversationSummary, ConversationUpdateEvent } from '../protocol/frames.js';
import type { Notifier } from './notifier.js';
import type { OpenConversationRecord } from './records.js';

/** What the live view shows of a conversation, from its open record or the conversation's own state (same field names). */
export const conversationSummary = (
  c: Pick<OpenConversationRecord, 'id' | 'department' | 'status' | 'visitorId' | 'agentId' | 'createdAt'>,
): ConversationSummary => ({
  conversationId: c.id,
  department: c.department,
  status: c.status,
  visitorId: c.visitorId,
  ...(c.agentId !== undefined ? { agentId: c.agentId } : {}),
  createdAt: c.createdAt,
});

interface Watcher {
  /** undefined: every department (admins). */
  departments: ReadonlySet<string> | undefined;
}

/** What the monitor needs: to send a frame to one connection, and to learn it is gone. */
export type MonitorPorts = Pick<Notifier, 'send'>;

/** MON-1: where every published change goes on, as a message to the department monitor (actors/floor/). */
export type MonitorForward = (conversation: ConversationSummary, event: string, previousDepartment?: string) => void;

export class Monitor {
  private readonly watchers = new Map<number, Watcher>();

  constructor(
    private readonly notifier: MonitorPorts,
    private readonly forward: MonitorForward = () => undefined,
  ) {}

  watch(connectionId: number, departments: readonly string[] | undefined): void {
    this.watchers.set(connectionId, { departments: departments ? new Set(departments) : undefined });
  }

  unwatch(connectionId: number): boolean {
    return this.watchers.delete(connectionId);
  }

  /** `previousDepartment`: a conversation that moved is shown leaving its old department's view too. */
  publish(conversation: ConversationSummary, event: string, previousDepartment?: string): void {
    this.forward(conversation, event, previousDepartment);
    if (this.watchers.size === 0) return;
    const frame: ConversationUpdateEvent = { type: 'conversation_update', conversation, event };
    for (const [connectionId, w] of this.watchers) {
      const seen =
        w.departments === undefined ||
        w.departments.has(conversation.department) ||
        (previousDepartment !== undefined && w.departments.has(previousDepartment));
      if (seen && !this.notifier.send({ kind: 'connection', id: connectionId }, frame))
        this.watchers.delete(connectionId);
    }
  }
}
