/**
 * The signed-in staff member's console session: who they are, their
 * WebSocket connection to /v1/staff, the console's words and events.
 *
 * CONTRACT for code that mounts inside the console (the supervisor
 * workbench in ./workbench/, later tabs):
 *
 * - A tab is a preact component `({ session }: { session: ConsoleSession }) => VNode`,
 *   listed in ./tabs.tsx with the roles that see it. The workbench mounts
 *   through ./workbench-slot.tsx (replace that file's body; keep its export).
 * - `session.staff`: `{id, name, email, role, departments}` as the server
 *   signed them in (`role` is `agent` | `supervisor` | `admin`).
 * - `session.ask(frame)`: sends a staff command (protocol/frames.ts
 *   `StaffCommand` without `id`) and resolves with its ack's `result`, or
 *   rejects with a `CommandError` carrying the server's `code`, `message`
 *   and `field` (shared/connection.ts). Show `message` to the person as the
 *   server gives it. `disconnected` means the socket was lost: retry after
 *   the next `onOpen`.
 * - `session.on(type, fn)`: every server frame of that type (events, not
 *   acks), typed; returns the unsubscribe function (call it on unmount).
 *   `session.onAny(fn)` for all.
 * - `session.onOpen(fn)`: called after each socket is signed in (the first
 *   one and every reconnect, with the sign-in ack). Subscriptions made on a
 *   connection (`monitor`, `monitor_departments`, followed conversations)
 *   are gone after a reconnect: make them again here. Returns unsubscribe.
 * - `session.onState(fn)` / `session.state`: `connecting` | `open` |
 *   `closed` | `refused`; `session.unreachable` is true once a reconnect
 *   has failed: show a clear message then (WEB-7), never a blank area.
 * - `session.t(key, params)` / `session.lang`: the console's words
 *   (./strings.ts, both languages, checked by the compiler). A tab adds its
 *   own keys there or keeps its own dictionary with shared/i18n.ts
 *   `translator(dict, session.lang)`. The language switch re-renders the app
 *   with a new session.t (the session object itself stays the same).
 * - `session.notify(kind, title, body)`: a desktop notification plus the
 *   console's sound (WEB-3), for events that need attention.
 * - CSS: one page style sheet (src/web/pages/console.css); a tab's classes
 *   start with its name (`.wb-…` for the workbench) and use the custom
 *   properties defined on :root there (--accent, --line, --muted, …).
 */
import { serverBase } from '../shared/workspace-base.js';
import type { AgentStatus, ServerFrame, StaffCommand } from '../../../protocol/frames.js';
import type { Language, Translate } from '../shared/i18n.js';
import { translator } from '../shared/i18n.js';
import { CommandError, Connection, type ConnectionState } from '../shared/connection.js';
import type { StaffAuth, StaffIdentity } from '../shared/staff-auth.js';
import { AuthError } from '../shared/staff-auth.js';
import { Attention, type AttentionKind } from './attention.js';
import { strings, type ConsoleKey } from './strings.js';

/** A staff command without its id: the Connection numbers it. */
export type StaffCmd = StaffCommand extends infer F ? (F extends { id: unknown } ? Omit<F, 'id'> : never) : never;
export type ServerEvent = Exclude<ServerFrame, { type: 'ack' } | { type: 'error' }>;
export type EventOf<K extends ServerEvent['type']> = Extract<ServerEvent, { type: K }>;

/** The `signin` ack (docs/protocol.md, `signin`). */
export interface SignInResult extends StaffIdentity {
  conversations: string[];
  /** The agent's status and load when this socket signed in. */
  status: AgentStatus;
  active: number;
  max: number;
}

/** Close code of a revoked staff session (protocol/close-codes.ts). */
const SESSION_REVOKED = 4001;

export class ConsoleSession {
  readonly staff: StaffIdentity;
  lang: Language;
  t: Translate<ConsoleKey>;
  state: ConnectionState = 'closed';
  /** WEB-7: a socket closed and the next one has not opened yet. */
  unreachable = false;
  /** The last sign-in ack on this connection. */
  signedIn: SignInResult | undefined;
  readonly attention: Attention;
  private readonly conn: Connection<StaffCmd & { type: string }, ServerEvent>;
  private readonly handlers = new Map<string, Set<(e: ServerEvent) => void>>();
  private readonly any = new Set<(e: ServerEvent) => void>();
  private readonly openers = new Set<(r: SignInResult) => void>();
  private readonly stateFns = new Set<(s: ConnectionState) => void>();
  private tries = 0;

  constructor(
    readonly auth: StaffAuth,
    lang: Language,
    server: string = serverBase(),
  ) {
    const s = auth.session;
    if (!s) throw new Error('ConsoleSession needs a signed-in StaffAuth');
    this.staff = s.staff;
    this.lang = lang;
    this.t = translator(strings, lang);
    this.attention = new Attention();
    const url = `${server.replace(/^http/, 'ws')}/v1/staff`;
    this.conn = new Connection(url, {
      onOpen: () => void this.signIn(),
      onEvent: (e) => this.dispatch(e),
      onState: (st) => {
        if (st === 'connecting') this.tries++;
        if (st === 'open') this.tries = 0;
        this.unreachable = st !== 'open' && this.tries > 1;
        // "open" is announced once the socket is signed in, not when it connects.
        if (st !== 'open') this.setState(st);
      },
      onClose: (code) => {
        if (code === SESSION_REVOKED) {
          this.conn.stop();
          auth.forget();
        }
      },
    });
  }

  start(): void {
    this.conn.start();
  }

  stop(): void {
    this.conn.stop();
  }

  setLanguage(lang: Language): void {
    this.lang = lang;
    this.t = translator(strings, lang);
  }

  /** Sends a staff command; resolves with the ack's result. */
  ask<T = Record<string, unknown>>(frame: StaffCmd): Promise<T> {
    return this.conn.command(frame as StaffCmd & { type: string }) as Promise<T>;
  }

  on<K extends ServerEvent['type']>(type: K, fn: (e: EventOf<K>) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    const h = fn as (e: ServerEvent) => void;
    set.add(h);
    return () => set.delete(h);
  }

  onAny(fn: (e: ServerEvent) => void): () => void {
    this.any.add(fn);
    return () => this.any.delete(fn);
  }

  /** After each socket signs in; called at once when one is signed in already. */
  onOpen(fn: (r: SignInResult) => void): () => void {
    this.openers.add(fn);
    if (this.state === 'open' && this.signedIn) fn(this.signedIn);
    return () => this.openers.delete(fn);
  }

  onState(fn: (s: ConnectionState) => void): () => void {
    this.stateFns.add(fn);
    return () => this.stateFns.delete(fn);
  }

  notify(kind: AttentionKind, title: string, body: string): void {
    this.attention.notify(kind, title, body);
  }

  /**
   * Signs the new socket in with the stored token (a token-less upgrade, so an expired token is a
   * readable `unauthorized` rather than a refused upgrade); an expired token is refreshed once.
   */
  private async signIn(retried = false): Promise<void> {
    const token = this.auth.session?.token;
    if (!token) return this.conn.stop();
    try {
      const r = await this.ask<SignInResult>({ type: 'signin', token });
      this.signedIn = r;
      this.setState('open');
      for (const fn of this.openers) fn(r);
    } catch (err) {
      if (!(err instanceof CommandError) || err.code !== 'unauthorized') return;
      if (retried) return this.auth.forget();
      try {
        await this.auth.refresh();
      } catch (e) {
        if (!(e instanceof AuthError) || e.status === 401) this.auth.forget();
        return;
      }
      await this.signIn(true);
    }
  }

  private dispatch(e: ServerEvent): void {
    for (const fn of this.any) fn(e);
    for (const fn of this.handlers.get(e.type) ?? []) fn(e);
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const fn of this.stateFns) fn(s);
  }
}
