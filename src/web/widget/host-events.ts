/**
 * WEB-1: the events the host page hears through `Switchboard.on`
 * (docs/widget.md, "JS API"): which server events become which, and the
 * listeners, kept apart so that a listener that throws never stops the
 * chat.
 */
import type { ServerFrame } from '../../../protocol/frames.js';

export type ChatEventName = 'assigned' | 'message' | 'resolved';
export type ChatListener = (detail: Record<string, unknown>) => void;

export class HostEvents {
  private readonly listeners = new Map<ChatEventName, Set<ChatListener>>();

  on(name: ChatEventName, fn: ChatListener): void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn);
  }

  /** A server event the transcript took; `live` is false while a resume replays history. */
  tell(e: ServerFrame, live: boolean): void {
    if (e.type === 'assigned') this.emit('assigned', { conversationId: e.conversationId, agent: e.agent });
    if (e.type === 'message')
      this.emit('message', {
        conversationId: e.conversationId,
        seq: e.seq,
        from: e.from.role,
        text: e.text,
        ...(e.file ? { file: e.file } : {}),
        live,
      });
    if (e.type === 'resolved') this.emit('resolved', { conversationId: e.conversationId });
  }

  private emit(name: ChatEventName, detail: Record<string, unknown>): void {
    for (const fn of this.listeners.get(name) ?? []) {
      try {
        fn(detail);
      } catch {
        // A host page's listener that throws must not stop the chat.
      }
    }
  }
}
