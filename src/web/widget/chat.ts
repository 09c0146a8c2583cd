/**
 * The visitor's side of one chat: the connection, what it shows
 * (transcript.ts) and the commands the panel sends. On every new socket it
 * says hello with the stored visitor id, resumes the conversation from the
 * highest seq it shows (page by page) and re-sends every message not yet
 * acknowledged with its original clientMsgId, so a reconnect neither repeats
 * nor loses a message (docs/protocol.md, "Reconnect example").
 */
import type {
  Language,
  LoginField,
  PreChatField,
  ServerFrame,
  VisitorCommand,
  VisitorDetails,
} from '../../../protocol/frames.js';
import { CommandError, Connection, type ConnectionState } from '../shared/connection.js';
import type { WidgetConfig } from './config.js';
import { visitorUrl } from './config.js';
import { applyEvent, emptyChat, type ChatState, type Outgoing } from './transcript.js';
import { loadVisitorId, saveVisitorId } from './storage.js';
import { UPLOAD_TYPES, UploadError, fileUrl, uploadFile } from '../shared/upload.js';
import { HostEvents, type ChatEventName, type ChatListener } from './host-events.js';

type Cmd = VisitorCommand extends infer F ? (F extends { id: unknown } ? Omit<F, 'id'> : never) : never;

export type { ChatEventName, ChatListener } from './host-events.js';

const TYPING_REFRESH_MS = 3000;
const TYPING_STALE_MS = 15000;

export class Chat {
  state: ChatState = emptyChat;
  connection: ConnectionState = 'closed';
  private readonly conn: Connection<Cmd & { type: string }, ServerFrame>;
  private readonly listeners = new Set<() => void>();
  private readonly events = new HostEvents();
  private visitorId: string | undefined;
  private login: LoginField | undefined;
  private flushing = false;
  private typingSentAt = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** True once this socket's hello has been answered (and the conversation's resume, if it has one). */
  ready = false;
  /** While a resume replays history, its messages are not news. */
  private replaying = false;
  /** WEB-2: the workspace's pre-chat form, from the hello; shown before a first conversation. */
  preChat: PreChatField[] | undefined;
  /** What the visitor told about themselves (pre-chat or leave-a-message form); the first start carries it. */
  details: VisitorDetails | undefined;
  private detailsSent = false;
  /** WEB-7: no socket has opened since the last one closed, after at least one try. */
  unreachable = false;
  private tried = false;
  /** WEB-2: the leave-a-message form was sent in this conversation. */
  leftMessage = false;

  constructor(
    private readonly config: WidgetConfig,
    readonly language: Language,
  ) {
    this.login = config.login;
    this.visitorId = loadVisitorId(config.workspace);
    this.conn = new Connection(visitorUrl(config.endpoint), {
      onOpen: () => void this.greet(),
      onEvent: (e) => this.onEvent(e),
      onState: (s) => {
        if (s === 'open') this.unreachable = this.tried = false;
        if (s === 'closed' && this.connection === 'connecting') this.unreachable = this.tried;
        if (s === 'connecting') this.tried = true;
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
    this.events.on(name, fn);
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
    this.typingSentAt = 0;
    this.enqueue({ clientMsgId: newClientMsgId(), text: trimmed });
  }

  /** WEB-2: the pre-chat form's answers and the first message; the start carries both. */
  startWith(details: VisitorDetails, text: string): void {
    this.details = details;
    this.send(text);
  }

  /** WEB-2, QUEUE-4/6: the leave-a-message form: name and email to the profile, the message into the conversation. */
  async leaveMessage(details: VisitorDetails, text: string): Promise<void> {
    await this.conn.command({ type: 'details', details });
    this.details = { ...this.details, ...details };
    this.leftMessage = true;
    this.send(text);
  }

  /** CONV-1: a picked or dropped file; refused types fail at once, without a byte sent. */
  attach(file: File): void {
    const entry: Outgoing = { clientMsgId: newClientMsgId(), text: '', file, progress: 0 };
    if (!UPLOAD_TYPES.includes(file.type)) entry.problem = 'type';
    this.enqueue(entry);
  }

  /** Takes a failed message out of the outbox. */
  dismiss(clientMsgId: string): void {
    this.update({ ...this.state, outbox: this.state.outbox.filter((o) => o.clientMsgId !== clientMsgId) });
  }

  /** A blob: URL of a file of this conversation (CONV-1). */
  fileUrl(fileId: string): Promise<string> {
    return fileUrl(this.config.endpoint, `Visitor ${this.visitorId ?? ''}`, fileId);
  }

  private enqueue(o: Outgoing): void {
    this.update({ ...this.state, outbox: [...this.state.outbox, o] });
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
      this.preChat = ack.preChatForm as PreChatField[] | undefined;
      this.visitorId = String(ack.visitorId);
      saveVisitorId(this.visitorId, this.config.workspace);
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
        saveVisitorId(undefined, this.config.workspace);
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
        const next = this.state.outbox.find((o) => !o.failed && !o.problem);
        if (!next) return;
        try {
          await this.deliver(next);
        } catch (err) {
          if (err instanceof UploadError) {
            this.patch(next.clientMsgId, { problem: err.problem });
            continue;
          }
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

  private patch(clientMsgId: string, change: Partial<Outgoing>): void {
    this.update({
      ...this.state,
      outbox: this.state.outbox.map((o) => (o.clientMsgId === clientMsgId ? { ...o, ...change } : o)),
    });
  }

  private async deliver(o: Outgoing): Promise<void> {
    const { clientMsgId, text } = o;
    // A file needs a conversation to belong to: it opens one without a first message.
    if (o.file && !this.state.conversationId) await this.start();
    const id = this.state.conversationId;
    if (o.file && id) {
      const ref = o.fileRef ?? (await this.upload(o, id));
      await this.conn.command({ type: 'send', conversationId: id, clientMsgId, fileId: ref.id });
    } else if (id) {
      await this.conn.command({ type: 'send', conversationId: id, clientMsgId, text });
    } else await this.start(clientMsgId, text);
    // The message event (before the ack) took it out of the outbox; a duplicate ack of a replayed one too.
    this.update({ ...this.state, outbox: this.state.outbox.filter((o) => o.clientMsgId !== clientMsgId) });
  }

  private async upload(o: Outgoing, conversationId: string) {
    const file = o.file!;
    const ref = await uploadFile(
      this.config.endpoint,
      `Visitor ${this.visitorId ?? ''}`,
      conversationId,
      file,
      (progress) => this.patch(o.clientMsgId, { progress }),
    );
    this.patch(o.clientMsgId, { fileRef: ref, progress: 1 });
    return ref;
  }

  private async start(clientMsgId?: string, text?: string): Promise<void> {
    const start: Cmd = { type: 'start', language: this.language };
    if (clientMsgId && text) Object.assign(start, { clientMsgId, text });
    if (this.config.department) start.department = this.config.department;
    if (this.details && !this.detailsSent) start.details = this.details;
    const ack = await this.conn.command(start);
    this.detailsSent = true;
    if (!this.state.conversationId) {
      this.update({ ...this.state, conversationId: String(ack.conversationId) });
      if (ack.created !== true) await this.resume(String(ack.conversationId));
    }
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
    this.events.tell(e, !this.replaying);
  }

  private update(s: ChatState): void {
    if (s.conversationId !== this.state.conversationId) this.leftMessage = false;
    this.state = s;
    this.changed();
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}

function newClientMsgId(): string {
  return `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}
