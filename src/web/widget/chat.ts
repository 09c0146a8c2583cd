/**
 * The visitor's side of one chat: the connection, what it shows
 * (transcript.ts) and the commands the panel sends. On every new socket it
 * says hello with the stored visitor id, resumes the conversation from the
 * highest seq it shows (page by page) and re-sends every message not yet
 * acknowledged with its original clientMsgId, so a reconnect neither repeats
 * nor loses a message (docs/protocol.md, "Reconnect example").
 */
import type { Language, LoginField, ServerFrame, VisitorCommand } from '../../../protocol/frames.js';
import { CommandError, Connection, type ConnectionState } from '../shared/connection.js';
import type { WidgetConfig } from './config.js';
import { visitorUrl } from './config.js';
import { applyEvent, emptyChat, type ChatState } from './transcript.js';
import { loadVisitorId, saveVisitorId } from './storage.js';

type Cmd = VisitorCommand extends infer F ? (F extends { id: unknown } ? Omit<F, 'id'> : never) : never;

export type ChatEventName = 'assigned' | 'message' | 'resolved';
export type ChatListener = (detail: Record<string, unknown>) => void;

const TYPING_REFRESH_MS = 3000;
const TYPING_STALE_MS = 15000;

export class Chat {
  state: ChatState = emptyChat;
  connection: ConnectionState = 'closed';
  private readonly conn: Connection<Cmd & { type: string }, ServerFrame>;
  private readonly listeners = new Set<() => void>();
  private readonly events = new Map<ChatEventName, Set<ChatListener>>();
  private visitorId = loadVisitorId();
  private login: LoginField | undefined;
  private flushing = false;
  private typingSentAt = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;
  /** While a resume replays history, its messages are not news. */
  private replaying = false;

  constructor(
    private readonly config: WidgetConfig,
    private readonly language: Language,
  ) {
    this.login = config.login;
    this.conn = new Connection(visitorUrl(config.server), {
      onOpen: () => void this.greet(),
      onEvent: (e) => this.onEvent(e),
      onState: (s) => {
        this.connection = s;
        if (s !== 'open') this.ready = false;
        this.changed();
      },
    });
  }

  /** A returning visitor connects on page load (the unread badge needs it); a new one when the chat opens. */
  get returning(): boolean {
    return this.visitorId !== undefined;
  }

  connect(): void {
    this.conn.start();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  on(name: ChatEventName, fn: ChatListener): void {
    let set = this.events.get(name);
    if (!set) this.events.set(name, (set = new Set()));
    set.add(fn);
  }

  /** CUST-1: a verified login from the host page; the next hello carries it. */
  identify(login: LoginField): void {
    this.login = login;
    this.conn.stop();
    this.conn.start();
  }

  send(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    const clientMsgId = `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    this.update({ ...this.state, outbox: [...this.state.outbox, { clientMsgId, text: trimmed }] });
    this.typingSentAt = 0;
    void this.flush();
  }

  /** CONV-2: typing true on the first keystroke and every 3 s while typing; false when the draft is cleared. */
  draft(text: string): void {
    const id = this.state.conversationId;
    if (!id || !this.ready || this.state.status === 'resolved') return;
    const now = Date.now();
    if (text && now - this.typingSentAt >= TYPING_REFRESH_MS) {
      this.typingSentAt = now;
      this.conn.command({ type: 'typing', conversationId: id, typing: true }).catch(() => undefined);
    } else if (!text && this.typingSentAt) {
      this.typingSentAt = 0;
      this.conn.command({ type: 'typing', conversationId: id, typing: false }).catch(() => undefined);
    }
  }

  /** CONV-2: the visitor has seen everything shown (the panel is open and the tab visible). */
  markRead(): void {
    const { conversationId, lastSeq, visitorRead } = this.state;
    if (!conversationId || !this.ready || lastSeq <= visitorRead) return;
    this.update({ ...this.state, visitorRead: lastSeq });
    this.conn.command({ type: 'read', conversationId, seq: lastSeq }).catch(() => undefined);
  }

  /** MON-3: the survey's answer. */
  async rate(score: number): Promise<void> {
    const id = this.state.conversationId;
    if (!id) return;
    await this.conn.command({ type: 'rate', conversationId: id, score });
    this.update({ ...this.state, rated: score });
  }

  private async greet(): Promise<void> {
    try {
      const hello: Cmd = { type: 'hello' };
      if (this.visitorId) hello.visitorId = this.visitorId;
      if (this.login) hello.login = this.login;
      const ack = await this.conn.command(hello);
      this.visitorId = String(ack.visitorId);
      saveVisitorId(this.visitorId);
      const conv = (ack.conversationId ?? ack.lastConversationId ?? this.state.conversationId) as string | undefined;
      if (conv && conv !== this.state.conversationId)
        this.update({ ...emptyChat, outbox: this.state.outbox, conversationId: conv });
      if (conv) await this.resume(conv);
      this.ready = true;
      this.changed();
      await this.flush();
    } catch (err) {
      if (err instanceof CommandError && err.field === 'visitorId') {
        // An id this server did not issue (another installation, a wiped store): start afresh.
        this.visitorId = undefined;
        saveVisitorId(undefined);
        this.conn.stop();
        this.conn.start();
      }
    }
  }

  private async resume(conversationId: string): Promise<void> {
    this.replaying = true;
    try {
      await this.resumePages(conversationId);
    } finally {
      this.replaying = false;
    }
  }

  private async resumePages(conversationId: string): Promise<void> {
    for (;;) {
      const ack = await this.conn.command({ type: 'resume', conversationId, lastSeq: this.state.lastSeq });
      const read = ack.read as { visitor: number; agent: number } | undefined;
      if (read)
        this.update({
          ...this.state,
          visitorRead: Math.max(this.state.visitorRead, read.visitor),
          agentRead: Math.max(this.state.agentRead, read.agent),
        });
      if (ack.more !== true) return;
    }
  }

  /** Sends the outbox in order; a lost connection leaves the rest for the next socket. */
  private async flush(): Promise<void> {
    if (this.flushing || !this.ready) return;
    this.flushing = true;
    try {
      for (;;) {
        const next = this.state.outbox.find((o) => !o.failed);
        if (!next) return;
        try {
          await this.deliver(next.clientMsgId, next.text);
        } catch (err) {
          if (!(err instanceof CommandError) || err.code === 'disconnected') return;
          if (err.code === 'storage_failed' || err.code === 'unavailable')
            return void setTimeout(() => void this.flush(), 1000);
          this.update({
            ...this.state,
            outbox: this.state.outbox.map((o) => (o === next ? { ...o, failed: err.message } : o)),
          });
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async deliver(clientMsgId: string, text: string): Promise<void> {
    const id = this.state.conversationId;
    if (id) {
      await this.conn.command({ type: 'send', conversationId: id, clientMsgId, text });
    } else {
      const start: Cmd = { type: 'start', clientMsgId, text, language: this.language };
      if (this.config.department) start.department = this.config.department;
      const ack = await this.conn.command(start);
      if (ack.created !== true && !this.state.conversationId) {
        this.update({ ...this.state, conversationId: String(ack.conversationId) });
        await this.resume(String(ack.conversationId));
      }
    }
    // The message event (before the ack) took it out of the outbox; a duplicate ack of a replayed one too.
    this.update({ ...this.state, outbox: this.state.outbox.filter((o) => o.clientMsgId !== clientMsgId) });
  }

  private onEvent(e: ServerFrame): void {
    const before = this.state;
    const after = applyEvent(before, e);
    if (after === before) return;
    this.update(after);
    if (e.type === 'typing' && e.typing) {
      clearTimeout(this.typingTimer);
      // A lost connection must not leave the indicator on.
      this.typingTimer = setTimeout(() => this.update({ ...this.state, agentTyping: false }), TYPING_STALE_MS);
    }
    if (e.type === 'assigned') this.emit('assigned', { conversationId: e.conversationId, agent: e.agent });
    if (e.type === 'message')
      this.emit('message', {
        conversationId: e.conversationId,
        seq: e.seq,
        from: e.from.role,
        text: e.text,
        live: !this.replaying,
      });
    if (e.type === 'resolved') this.emit('resolved', { conversationId: e.conversationId });
  }

  private emit(name: ChatEventName, detail: Record<string, unknown>): void {
    for (const fn of this.events.get(name) ?? []) {
      try {
        fn(detail);
      } catch {
        // A host page's listener that throws must not stop the chat.
      }
    }
  }

  private update(s: ChatState): void {
    this.state = s;
    this.changed();
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}
