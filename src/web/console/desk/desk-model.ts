/**
 * The agent desk's state and commands (WEB-3), apart from how it is drawn.
 * It follows the session's events (desk-events.ts) and, on every
 * (re)connect, resumes each conversation the server says this staff member
 * serves from the highest seq it holds, page by page, so a dropped network
 * or a reload loses nothing and shows nothing twice (events are kept by
 * seq). Messages on their way are the outbox's (outbox.ts). The recently
resolved list is the server's (`recent_resolved`), the same in every
browser. The status the
 * agent last chose is kept in this browser and set again when a connection
 * finds the agent offline (a server restart, a night away), so nobody has
 * to click it again; a status the server set (away after missed offers) is
 * not a choice and is not kept.
 */
import type { AgentStatus, OfferEvent } from '../../../../protocol/frames.js';
import { CommandError } from '../../shared/connection.js';
import type { ConsoleSession, EventOf, SignInResult } from '../session.js';
import { type Conversation, addNote, newConversation, unread } from './conversation.js';
import { deskEvent } from './desk-events.js';
import { DeskStorage } from './desk-storage.js';
import type { CannedReply, CustomerChanges, CustomerView, Recent, ResolvedEntry, Waiting } from './desk-types.js';
import { Outbox } from './outbox.js';
import { Typing } from './typing.js';

const RECENT_MAX = 20;

/** A status the agent chose: set again on a connection that finds the agent offline. */
const CHOSEN_STATUS = 'status';

export class DeskModel {
  status: AgentStatus | undefined;
  active = 0;
  max = 0;
  readonly conversations = new Map<string, Conversation>();
  queue: Waiting[] = [];
  offers = new Map<string, OfferEvent>();
  /** Recently resolved: the server's list (`recent_resolved`), and what resolved since on this page. */
  recent: Recent[] = [];
  canned: CannedReply[] = [];
  readonly customers = new Map<string, CustomerView>();
  selected: string | undefined;
  /** The last notice or refusal to show, in the server's words. */
  notice: string | undefined;
  ready = false;
  readonly me: string;
  readonly typingState: Typing;
  private readonly outbox: Outbox;
  private readonly storage: DeskStorage;
  private readonly listeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];

  constructor(readonly session: ConsoleSession) {
    this.me = session.staff.id;
    this.storage = new DeskStorage(this.me);
    this.typingState = new Typing(session, () => this.changed());
    this.outbox = new Outbox(this, this.storage);
    this.outbox.restore();
    const s = session;
    this.offs.push(
      s.onOpen((r) => void this.opened(r)),
      s.onState((st) => {
        if (st !== 'open') this.ready = false;
        this.changed();
      }),
      s.onAny((e) => deskEvent(this, e)),
    );
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.typingState.dispose();
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

  /** The agent's choice: set now, and kept to set again after a restart or a night offline. */
  async setStatus(status: AgentStatus): Promise<void> {
    this.session.attention.ask();
    this.storage.save(CHOSEN_STATUS, status);
    await this.applyStatus(status);
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
    this.typingState.sent(id);
    this.outbox.sendText(id, trimmed);
  }

  sendFile(id: string, file: File): Promise<void> {
    return this.outbox.sendFile(id, file);
  }

  fileUrl(fileId: string): Promise<string> {
    return this.outbox.fileUrl(fileId);
  }

  dropPending(id: string, clientMsgId: string): void {
    this.outbox.drop(id, clientMsgId);
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
    this.typingState.draft(this.conversations.get(id), draft);
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

  unreadOf(id: string): number {
    const c = this.conversations.get(id);
    return c ? unread(c) : 0;
  }

  remember(c: Conversation): void {
    this.recent = [
      { id: c.id, at: c.resolvedAt ?? Date.now(), ...(c.summary ? { summary: c.summary } : {}) },
      ...this.recent.filter((r) => r.id !== c.id),
    ].slice(0, RECENT_MAX);
  }

  changed(): void {
    for (const fn of this.listeners) fn();
  }

  // ── connection ────────────────────────────────────────────────────────

  private async applyStatus(status: AgentStatus): Promise<void> {
    const r = await this.guard(
      this.session.ask<{ status: AgentStatus; active: number; max: number }>({ type: 'status', status }),
    );
    if (r) Object.assign(this, { status: r.status, active: r.active, max: r.max });
    this.changed();
  }

  private async opened(r: SignInResult): Promise<void> {
    this.ready = true;
    // The server's status at once (a second tab, a reconnect); the chosen one again if the agent was
    // taken offline meanwhile.
    Object.assign(this, { status: r.status, active: r.active, max: r.max });
    const chosen = this.storage.load<AgentStatus>(CHOSEN_STATUS);
    if (r.status === 'offline' && chosen && chosen !== 'offline') void this.applyStatus(chosen);
    this.changed();
    const held = new Set(r.conversations);
    for (const c of this.conversations.values()) if (c.mine && !held.has(c.id)) c.mine = false;
    await Promise.all(
      r.conversations.map(async (id) => {
        if (this.offers.has(id)) return;
        const c = this.conv(id);
        c.mine = true;
        await this.resume(id, c.complete ? c.lastSeq : 0);
        await this.outbox.flush(id);
      }),
    );
    if (this.selected) this.markRead(this.selected);
    void this.loadCanned();
    void this.loadRecent();
    void this.watchQueues();
    this.changed();
  }

  async resume(id: string, from: number): Promise<void> {
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

  /**
   * Each department's list now, then pushed by the server as it changes (`queue_update`), on every
   * connection. Each answer replaces only its department's entries: an update of another department
   * that arrived meanwhile is newer and stays.
   */
  private async watchQueues(): Promise<void> {
    if (this.session.state !== 'open') return;
    const mine = new Set(this.session.staff.departments);
    this.queue = this.queue.filter((w) => mine.has(w.department));
    await Promise.all(
      [...mine].map((department) =>
        this.session
          .ask<{ waiting: Omit<Waiting, 'department'>[] }>({ type: 'queue', department, watch: true })
          .then((r) => {
            this.queue = [
              ...this.queue.filter((w) => w.department !== department),
              ...r.waiting.map((w) => ({ ...w, department })),
            ];
            this.changed();
          })
          .catch(() => undefined),
      ),
    );
  }

  /** The same list in every browser of the agent: the server keeps it. */
  private async loadRecent(): Promise<void> {
    const r = await this.session
      .ask<{ resolved: ResolvedEntry[] }>({ type: 'recent_resolved', limit: RECENT_MAX })
      .catch(() => undefined);
    if (!r) return;
    const fromServer = r.resolved.map(
      (x): Recent => ({
        id: x.conversationId,
        at: x.at,
        ...(x.summary ? { summary: x.summary } : {}),
      }),
    );
    const ids = new Set(fromServer.map((x) => x.id));
    this.recent = [...this.recent.filter((x) => !ids.has(x.id)), ...fromServer]
      .sort((a, b) => b.at - a.at)
      .slice(0, RECENT_MAX);
    this.changed();
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
}
