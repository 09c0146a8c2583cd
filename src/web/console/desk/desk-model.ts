/**
 * The agent desk's state and commands (WEB-3), apart from how it is drawn.
 * It follows the session's events and, on every (re)connect, resumes each
 * conversation the server says this staff member serves from the highest
 * seq it holds, page by page, so a dropped network or a reload loses
 * nothing and shows nothing twice (events are kept by seq). Messages not yet
 * acknowledged are kept in localStorage with their clientMsgId and sent
 * again after a reconnect or a reload; the server stores a retry once.
 */
import type { AgentStatus, OfferEvent, ServerFrame } from '../../../../protocol/frames.js';
import { CommandError } from '../../shared/connection.js';
import { UPLOAD_TYPES, UploadError, fileUrl, uploadFile } from '../../shared/upload.js';
import type { ConsoleSession, EventOf, SignInResult } from '../session.js';
import {
  type Conversation,
  type Outgoing,
  type SeqEvent,
  addEvent,
  addNote,
  newConversation,
  ordered,
  unread,
} from './conversation.js';

export interface Waiting {
  conversationId: string;
  department: string;
  position?: number;
  waitingSince: number;
  backlog?: string;
}

export interface CannedReply {
  id: string;
  scope: 'workspace' | 'personal';
  title: string;
  text: string;
  shortcut?: string;
}

/** CUST-2/3: the `customer` ack (docs/protocol.md). */
export interface CustomerView {
  customer: {
    id: string;
    verified: boolean;
    externalId?: string;
    name?: string;
    email?: string;
    phone?: string;
    attributes: Record<string, string>;
    vip: boolean;
  };
  visitor: { handle: string; ip?: string; seenAt?: number };
  conversations: {
    conversationId: string;
    createdAt: number;
    department: string;
    status: string;
    servedBy: { id: string; name: string }[];
    resolved?: { at: number; summary?: string };
    notes: { id: string; text: string; author: { name: string } }[];
    transfers: { n: number; note: string; tags: string[]; by: { name: string } }[];
  }[];
  more: boolean;
}

export type CustomerChanges = Partial<Record<'name' | 'email' | 'phone', string | null>> & {
  vip?: boolean;
  attributes?: Record<string, string | null>;
};

export interface Recent {
  id: string;
  at: number;
  summary?: string;
}

const QUEUE_POLL_MS = 2000;
const TYPING_REFRESH_MS = 3000;
const TYPING_STALE_MS = 12000;
const RECENT_MAX = 20;

const hasSeq = (e: ServerFrame): e is SeqEvent =>
  e.type !== 'read' &&
  typeof (e as { seq?: unknown }).seq === 'number' &&
  typeof (e as { conversationId?: unknown }).conversationId === 'string';

export class DeskModel {
  status: AgentStatus | undefined;
  active = 0;
  max = 0;
  readonly conversations = new Map<string, Conversation>();
  queue: Waiting[] = [];
  offers = new Map<string, OfferEvent>();
  recent: Recent[];
  canned: CannedReply[] = [];
  readonly customers = new Map<string, CustomerView>();
  selected: string | undefined;
  /** The last notice or refusal to show, in the server's words. */
  notice: string | undefined;
  ready = false;
  private readonly listeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private typingSentAt = new Map<string, number>();
  private readonly me: string;

  constructor(readonly session: ConsoleSession) {
    this.me = session.staff.id;
    this.recent = this.loadJson<Recent[]>('recent') ?? [];
    for (const [id, pending] of Object.entries(this.loadJson<Record<string, Outgoing[]>>('pending') ?? {}))
      this.conv(id).pending = pending.filter((p) => p.fileId !== undefined || p.text !== undefined);
    const s = session;
    this.offs.push(
      s.onOpen((r) => void this.opened(r)),
      s.onState((st) => {
        if (st !== 'open') this.ready = false;
        this.changed();
      }),
      s.onAny((e) => this.event(e)),
    );
  }

  dispose(): void {
    for (const off of this.offs) off();
    clearInterval(this.pollTimer);
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get mine(): Conversation[] {
    return [...this.conversations.values()].filter((c) => c.mine && c.status !== 'resolved');
  }

  conv(id: string): Conversation {
    let c = this.conversations.get(id);
    if (!c) this.conversations.set(id, (c = newConversation(id)));
    return c;
  }

  // ── commands ──────────────────────────────────────────────────────────

  async setStatus(status: AgentStatus): Promise<void> {
    this.session.attention.ask();
    const r = await this.guard(
      this.session.ask<{ status: AgentStatus; active: number; max: number }>({ type: 'status', status }),
    );
    if (r) Object.assign(this, { status: r.status, active: r.active, max: r.max });
    this.changed();
  }

  select(id: string | undefined): void {
    this.selected = id;
    if (id) void this.open(id);
    this.changed();
  }

  /** Loads what the desk does not hold of a conversation (a resolved one from the list, a claimed one). */
  async open(id: string): Promise<void> {
    const c = this.conv(id);
    if (!c.complete) await this.resume(id, 0);
    this.markRead(id);
  }

  async loadCustomer(id: string): Promise<void> {
    const r = await this.session.ask<CustomerView>({ type: 'customer', conversationId: id }).catch(() => undefined);
    if (r) this.customers.set(id, r);
    this.changed();
  }

  /** CUST-3: resolves with the server's refusal in its words, or undefined when stored. */
  async editCustomer(id: string, changes: CustomerChanges): Promise<string | undefined> {
    try {
      const r = await this.session.ask<CustomerView>({ type: 'edit_customer', conversationId: id, changes });
      this.customers.set(id, r);
      this.changed();
      return undefined;
    } catch (err) {
      return err instanceof CommandError ? err.message : String(err);
    }
  }

  async claim(id: string): Promise<void> {
    this.session.attention.ask();
    const r = await this.guard(this.session.ask<{ conversationId: string }>({ type: 'claim', conversationId: id }));
    if (!r) return;
    this.queue = this.queue.filter((w) => w.conversationId !== id);
    this.conv(id).mine = true;
    await this.resume(id, 0);
    this.select(id);
  }

  async accept(id: string): Promise<void> {
    this.offers.delete(id);
    this.changed();
    await this.guard(this.session.ask({ type: 'accept', conversationId: id }));
  }

  async decline(id: string, reason: string): Promise<void> {
    const r = await this.guard(this.session.ask({ type: 'decline', conversationId: id, reason }));
    if (r) this.offers.delete(id);
    this.changed();
  }

  send(id: string, text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    this.typingSentAt.delete(id);
    this.enqueue(id, { clientMsgId: newClientMsgId(), text: trimmed });
  }

  async sendFile(id: string, file: File): Promise<void> {
    const o: Outgoing = { clientMsgId: newClientMsgId(), progress: 0, fileName: file.name };
    const c = this.conv(id);
    c.pending = [...c.pending, o];
    this.changed();
    try {
      if (!UPLOAD_TYPES.includes(file.type)) throw new UploadError('type');
      const ref = await uploadFile(location.origin, this.bearer(), id, file, (p) => {
        o.progress = p;
        this.changed();
      });
      o.fileId = ref.id;
      delete o.progress;
      this.savePending();
      void this.flush(id);
    } catch (err) {
      o.problem = err instanceof UploadError ? err.problem : 'network';
      delete o.progress;
      this.changed();
    }
  }

  fileUrl(fileId: string): Promise<string> {
    return fileUrl(location.origin, this.bearer(), fileId);
  }

  dropPending(id: string, clientMsgId: string): void {
    const c = this.conv(id);
    c.pending = c.pending.filter((p) => p.clientMsgId !== clientMsgId);
    this.savePending();
    this.changed();
  }

  async note(id: string, text: string): Promise<boolean> {
    const r = await this.guard(
      this.session.ask<EventOf<'note'>['note']>({ type: 'note', conversationId: id, text: text.trim() }),
    );
    if (r) addNote(this.conv(id), r);
    this.changed();
    return r !== undefined;
  }

  async resolve(id: string, summary: string): Promise<boolean> {
    const s = summary.trim();
    const r = await this.guard(this.session.ask({ type: 'resolve', conversationId: id, ...(s ? { summary: s } : {}) }));
    return r !== undefined;
  }

  typing(id: string, draft: string): void {
    const c = this.conversations.get(id);
    if (!c?.mine) return;
    const now = Date.now();
    const sent = this.typingSentAt.get(id);
    if (!draft) {
      if (sent === undefined) return;
      this.typingSentAt.delete(id);
      void this.session.ask({ type: 'typing', conversationId: id, typing: false }).catch(() => undefined);
      return;
    }
    if (sent !== undefined && now - sent < TYPING_REFRESH_MS) return;
    this.typingSentAt.set(id, now);
    void this.session.ask({ type: 'typing', conversationId: id, typing: true }).catch(() => undefined);
  }

  /** CONV-2: the agent has seen everything shown of the selected conversation. */
  markRead(id: string): void {
    const c = this.conversations.get(id);
    if (!c?.mine || this.selected !== id || document.visibilityState === 'hidden') return;
    if (c.lastSeq <= c.read.agent) return;
    const seq = c.lastSeq;
    c.read.agent = seq;
    this.changed();
    void this.session
      .ask<{ seq: number }>({ type: 'read', conversationId: id, seq })
      .then((r) => {
        c.read.agent = Math.max(c.read.agent, r.seq);
      })
      .catch(() => undefined);
  }

  /** A command whose refusal is shown as the server words it; resolves undefined when refused. */
  async guard<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      const r = await p;
      return r;
    } catch (err) {
      this.notice = err instanceof CommandError ? err.message : String(err);
      this.changed();
      return undefined;
    }
  }

  dismissNotice(): void {
    this.notice = undefined;
    this.changed();
  }

  // ── connection ────────────────────────────────────────────────────────

  private async opened(r: SignInResult): Promise<void> {
    this.ready = true;
    this.changed();
    const held = new Set(r.conversations);
    for (const c of this.conversations.values()) if (c.mine && !held.has(c.id)) c.mine = false;
    await Promise.all(
      r.conversations.map(async (id) => {
        if (this.offers.has(id)) return;
        const c = this.conv(id);
        c.mine = true;
        await this.resume(id, c.complete ? c.lastSeq : 0);
        await this.flush(id);
      }),
    );
    if (this.selected) this.markRead(this.selected);
    void this.loadCanned();
    clearInterval(this.pollTimer);
    void this.pollQueue();
    this.pollTimer = setInterval(() => void this.pollQueue(), QUEUE_POLL_MS);
    this.changed();
  }

  private async resume(id: string, from: number): Promise<void> {
    let lastSeq = from;
    for (;;) {
      let r: {
        lastSeq: number;
        more: boolean;
        status: Conversation['status'];
        read?: { visitor: number; agent: number };
      };
      try {
        r = await this.session.ask({ type: 'resume', conversationId: id, lastSeq });
      } catch {
        return;
      }
      const c = this.conv(id);
      if (r.read)
        c.read = { visitor: Math.max(c.read.visitor, r.read.visitor), agent: Math.max(c.read.agent, r.read.agent) };
      c.status = r.status;
      if (!r.more) {
        if (from === 0 || c.complete) c.complete = true;
        this.changed();
        return;
      }
      lastSeq = r.lastSeq;
    }
  }

  private async flush(id: string): Promise<void> {
    const c = this.conv(id);
    for (const o of [...c.pending]) {
      if (o.progress !== undefined || o.problem !== undefined) continue;
      if (o.text === undefined && o.fileId === undefined) continue;
      try {
        await this.session.ask({
          type: 'send',
          conversationId: id,
          clientMsgId: o.clientMsgId,
          ...(o.text !== undefined ? { text: o.text } : {}),
          ...(o.fileId !== undefined ? { fileId: o.fileId } : {}),
        });
        c.pending = c.pending.filter((p) => p.clientMsgId !== o.clientMsgId);
      } catch (err) {
        if (err instanceof CommandError && err.code === 'disconnected') return;
        o.problem = err instanceof CommandError ? err.message : 'refused';
      }
      this.savePending();
      this.changed();
    }
  }

  private enqueue(id: string, o: Outgoing): void {
    const c = this.conv(id);
    c.pending = [...c.pending, o];
    this.savePending();
    this.changed();
    void this.flush(id);
  }

  private async pollQueue(): Promise<void> {
    if (this.session.state !== 'open') return;
    const lists = await Promise.all(
      this.session.staff.departments.map((department) =>
        this.session
          .ask<{ waiting: Omit<Waiting, 'department'>[] }>({ type: 'queue', department })
          .then((r) => r.waiting.map((w) => ({ ...w, department })))
          .catch(() => [] as Waiting[]),
      ),
    );
    const next = lists.flat();
    if (JSON.stringify(next) !== JSON.stringify(this.queue)) {
      this.queue = next;
      this.changed();
    }
  }

  private async loadCanned(): Promise<void> {
    const all: CannedReply[] = [];
    let after: string | undefined;
    for (let i = 0; i < 20; i++) {
      const r = await this.session
        .ask<{ replies: CannedReply[]; next?: string }>({ type: 'canned_list', ...(after ? { after } : {}) })
        .catch(() => undefined);
      if (!r) break;
      all.push(...r.replies);
      if (!r.next) break;
      after = r.next;
    }
    this.canned = all;
    this.changed();
  }

  // ── events ────────────────────────────────────────────────────────────

  private event(e: ServerFrame): void {
    if (hasSeq(e)) return this.seqEvent(e);
    switch (e.type) {
      case 'agent_status':
        Object.assign(this, { status: e.status, active: e.active, max: e.max });
        break;
      case 'offer':
        this.offers.set(e.conversationId, e);
        this.session.notify('offer', this.session.t('notifyOffer'), e.department);
        break;
      case 'handover': {
        const c = this.conv(e.conversationId);
        c.transfers = e.transfers;
        for (const n of e.notes) addNote(c, n);
        for (const h of e.history) addEvent(c, h as SeqEvent, this.me);
        if (e.historyFromSeq === 1) c.complete = true;
        this.session.notify('transfer', this.session.t('notifyTransfer'), e.transfer.note || e.transfer.by.name);
        break;
      }
      case 'note':
        addNote(this.conv(e.conversationId), e.note);
        break;
      case 'typing': {
        if (e.from.role !== 'visitor') break;
        const c = this.conv(e.conversationId);
        c.typing = e.typing;
        clearTimeout(this.typingTimers.get(c.id));
        if (e.typing)
          this.typingTimers.set(
            c.id,
            setTimeout(() => {
              c.typing = false;
              this.changed();
            }, TYPING_STALE_MS),
          );
        break;
      }
      case 'read':
        if (e.by.role === 'visitor') {
          const c = this.conv(e.conversationId);
          c.read.visitor = Math.max(c.read.visitor, e.seq);
        }
        break;
      case 'notice':
        this.notice = e.message;
        if (e.conversationId && (e.code === 'taken_over' || e.code === 'offer_expired')) {
          this.offers.delete(e.conversationId);
          const c = this.conversations.get(e.conversationId);
          if (c && e.code === 'taken_over') c.mine = false;
        }
        break;
      case 'canned_changed':
        this.canned = this.canned.filter((r) => r.id !== e.cannedId);
        if (!e.deleted && e.reply) this.canned.push(e.reply as CannedReply);
        break;
      default:
        return;
    }
    this.changed();
  }

  private seqEvent(e: SeqEvent): void {
    const c = this.conv(e.conversationId);
    const wasMine = c.mine;
    if (!addEvent(c, e, this.me)) return;
    if (e.type === 'assigned' && c.mine) {
      this.offers.delete(c.id);
      this.queue = this.queue.filter((w) => w.conversationId !== c.id);
      // The history before a live assignment is fetched (the server replays only what this socket was not
      // sent), so the notification can quote the customer's first words.
      const loaded = c.complete ? Promise.resolve() : this.resume(c.id, 0);
      if (!wasMine && e.policy !== 'transfer' && e.policy !== 'manual')
        void loaded.then(() => this.session.notify('assigned', this.session.t('notifyAssigned'), this.previewOf(c)));
      this.selected ??= c.id;
    }
    if (e.type === 'resolved') this.remember(c);
    if (e.type === 'message' && e.from.role === 'visitor') this.markRead(c.id);
    this.changed();
  }

  private previewOf(c: Conversation): string {
    const first = ordered(c).find((e) => e.type === 'message' && e.from.role === 'visitor');
    return (first?.type === 'message' && first.text) || c.department || c.id;
  }

  private remember(c: Conversation): void {
    this.recent = [
      { id: c.id, at: c.resolvedAt ?? Date.now(), ...(c.summary ? { summary: c.summary } : {}) },
      ...this.recent.filter((r) => r.id !== c.id),
    ].slice(0, RECENT_MAX);
    this.saveJson('recent', this.recent);
  }

  unreadOf(id: string): number {
    const c = this.conversations.get(id);
    return c ? unread(c) : 0;
  }

  // ── storage ───────────────────────────────────────────────────────────

  private bearer(): string {
    return `Bearer ${this.session.auth.session?.token ?? ''}`;
  }

  private savePending(): void {
    const all: Record<string, Outgoing[]> = {};
    for (const c of this.conversations.values()) {
      const keep = c.pending.filter((p) => p.progress === undefined && p.problem === undefined);
      if (keep.length) all[c.id] = keep;
    }
    this.saveJson('pending', all);
  }

  private key(name: string): string {
    return `switchboard.console.${this.me}.${name}`;
  }

  private loadJson<T>(name: string): T | undefined {
    try {
      const raw = localStorage.getItem(this.key(name));
      return raw ? (JSON.parse(raw) as T) : undefined;
    } catch {
      return undefined;
    }
  }

  private saveJson(name: string, value: unknown): void {
    try {
      localStorage.setItem(this.key(name), JSON.stringify(value));
    } catch {
      // Storage full or refused: kept for this page only.
    }
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}

function newClientMsgId(): string {
  return `a-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
