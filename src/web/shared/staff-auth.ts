/**
 * Staff sign-in for the browser apps (/console, /admin): email and password
 * over `POST /api/v1/auth/signin` (docs/http-api.md), the session kept in
 * localStorage so a reload stays signed in, refreshed over
 * `POST /api/v1/auth/refresh` a while before the access token expires (a
 * refresh token is good for one refresh, so one tab refreshes and the others
 * pick the new tokens up from the storage event), and signed out over
 * `POST /api/v1/auth/signout`. Refusals keep the server's error code and
 * message; a server that cannot be reached is `unreachable` (WEB-7).
 */
import { serverBase, workspaceKey } from './workspace-base.js';
import type { StaffRoles } from '../../../protocol/vocabulary.js';

export type StaffRole = (typeof StaffRoles)[number];

export interface StaffIdentity {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  departments: string[];
}

export interface StaffSession {
  token: string;
  expiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
  staff: StaffIdentity;
}

/**
 * `code` is the server's error code (`unauthorized`, `rate_limited`, `invalid_field`, …), or
 * `unreachable` when no answer came, or `bad_answer` when the answer was not the API's JSON.
 */
export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly field?: string,
    /** `rate_limited`: seconds the server asks to wait (Retry-After). */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

/** The session's localStorage key: one per workspace, so the pages of two workspaces keep their own sign-ins. */
export const STAFF_SESSION_KEY = workspaceKey('switchboard.staffSession');

/** Refresh when this share of the token's life is left, so a sleeping laptop or a slow answer still finds it valid. */
const REFRESH_AT_REMAINING = 0.2;
const MIN_REFRESH_DELAY_MS = 5_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

type Listener = (session: StaffSession | undefined) => void;

export class StaffAuth {
  private current: StaffSession | undefined;
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly base: string = serverBase(),
    private readonly storage: Storage = localStorage,
  ) {
    this.current = this.load();
    this.schedule();
    // Another tab signed in, refreshed or signed out: follow it.
    addEventListener('storage', (e: StorageEvent) => {
      if (e.key !== STAFF_SESSION_KEY) return;
      this.current = this.load();
      this.schedule();
      this.emit();
    });
  }

  get session(): StaffSession | undefined {
    return this.current;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async signIn(email: string, password: string): Promise<StaffSession> {
    const session = await this.post<StaffSession>('/api/v1/auth/signin', { email, password });
    this.keep(session);
    return session;
  }

  /** New tokens for the refresh token; a refused refresh signs out (the session is gone on the server). */
  async refresh(): Promise<StaffSession> {
    const refreshToken = this.current?.refreshToken;
    if (!refreshToken) throw new AuthError('unauthorized', 'not signed in', 401);
    try {
      const session = await this.post<StaffSession>('/api/v1/auth/refresh', { refreshToken });
      this.keep(session);
      return session;
    } catch (err) {
      if (err instanceof AuthError && err.status === 401) this.forget();
      throw err;
    }
  }

  /** Revokes the session on the server (its sockets close with 4001) and forgets it here, even if the server is unreachable. */
  async signOut(): Promise<void> {
    const token = this.current?.token;
    this.forget();
    if (token) await this.post('/api/v1/auth/signout', {}, token).catch(() => undefined);
  }

  /** The server said the token is no good (HTTP 401, close code 4001): forget it, show the sign-in form. */
  forget(): void {
    this.current = undefined;
    clearTimeout(this.timer);
    this.storage.removeItem(STAFF_SESSION_KEY);
    this.emit();
  }

  private keep(session: StaffSession): void {
    this.current = session;
    this.storage.setItem(STAFF_SESSION_KEY, JSON.stringify(session));
    this.schedule();
    this.emit();
  }

  private load(): StaffSession | undefined {
    try {
      const raw = this.storage.getItem(STAFF_SESSION_KEY);
      const s = raw ? (JSON.parse(raw) as StaffSession) : undefined;
      return s && typeof s.token === 'string' && s.staff && s.refreshExpiresAt > Date.now() ? s : undefined;
    } catch {
      return undefined;
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const s = this.current;
    if (!s) return;
    const life = Math.max(0, s.expiresAt - Date.now());
    const delay = Math.max(MIN_REFRESH_DELAY_MS, life - life * REFRESH_AT_REMAINING - 60_000);
    // setTimeout holds 32-bit delays: a longer wait is planned again on the way.
    if (delay > MAX_TIMER_MS) {
      this.timer = setTimeout(() => this.schedule(), MAX_TIMER_MS);
      return;
    }
    this.timer = setTimeout(() => void this.refresh().catch(() => this.current === s && this.later(s)), delay);
  }

  /** A refresh that found no server is tried again shortly; the old token still works until it expires. */
  private later(s: StaffSession): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.current === s && void this.refresh().catch(() => this.later(s)), 30_000);
  }

  private emit(): void {
    for (const fn of this.listeners) fn(this.current);
  }

  private async post<T>(path: string, body: unknown, token?: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    } catch {
      throw new AuthError('unreachable', 'the server cannot be reached', 0);
    }
    let json: { error?: { code: string; message: string; field?: string } } & Record<string, unknown>;
    try {
      json = (await res.json()) as typeof json;
    } catch {
      throw new AuthError('bad_answer', `the server answered ${res.status}`, res.status);
    }
    if (!res.ok || json.error) {
      const e = json.error ?? { code: 'bad_answer', message: `the server answered ${res.status}` };
      const retry = Number(res.headers.get('retry-after'));
      throw new AuthError(
        e.code,
        e.message,
        res.status,
        e.field,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
      );
    }
    return json as T;
  }
}
