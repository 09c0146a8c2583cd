/**
 * ROLE-4: staff sessions. A sign-in opens a session with two random tokens:
 * an access token (the bearer for the staff WebSocket and the HTTP API,
 * short-lived) and a refresh token (long-lived, good for one refresh, which
 * replaces both). Only their sha256 is stored. This actor is the sessions'
 * one writer; checking a token is a synchronous read of committed records
 * (`sessionOfToken`), so a token works once its sign-in was answered, and a
 * revoked one stops working once the revocation was answered.
 *
 * Revoking a session also closes the connections that signed in with it
 * (`onRevoked`), so a password reset or a sign-out takes effect on open
 * consoles too, not only on the next connection.
 */
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '../protocol/errors.js';
import { hashToken, newToken } from './tokens.js';
import { DEFAULT_WORKSPACE, foreignId, scopedId } from '../protocol/workspace-scope.js';
import type { Behavior, Reply } from './runtime.js';
import type { Deps } from './deps.js';
import type { Journal, RecordWrite } from './journal.js';
import { Keys } from './keyspace.js';

/**
 * ROLE-4: one sign-in. The tokens themselves are never stored: only their
 * sha256 (src/auth/tokens.ts), each also indexed by Keys.sessionToken.
 * A refresh replaces both tokens; revoking deletes the session and its
 * indexes.
 */
export interface SessionRecord {
  id: string;
  staffId: string;
  createdAt: number;
  accessHash: string;
  accessExpiresAt: number;
  refreshHash: string;
  refreshExpiresAt: number;
  /** Where the sign-in came from, when known. */
  ip?: string;
}

export interface SessionTokenRecord {
  sessionId: string;
  kind: 'access' | 'refresh';
}

export interface SessionTimes {
  /** Lifetime of an access token, ms. */
  accessTtlMs: number;
  /** Lifetime of a refresh token, ms. */
  refreshTtlMs: number;
}

export const DEFAULT_SESSION_TIMES: SessionTimes = { accessTtlMs: 12 * 3600_000, refreshTtlMs: 30 * 24 * 3600_000 };

/** What a sign-in or refresh answers: the tokens are shown this once. */
export interface IssuedSession {
  sessionId: string;
  staffId: string;
  token: string;
  expiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
}

export type SessionsMsg =
  | { type: 'open'; staffId: string; ip?: string; reply: Reply<IssuedSession> }
  | { type: 'refresh'; refreshToken: string; reply: Reply<IssuedSession> }
  | { type: 'revoke'; sessionId: string; reply: Reply<{ revoked: number }> }
  /** Every session of a staff member, but `except` (the caller's own, after a password change). */
  | { type: 'revokeAll'; staffId: string; except?: string; reply: Reply<{ revoked: number }> };

/** The live session a token opens, if it is an unexpired token of that kind. */
export function sessionOfToken(
  journal: Journal,
  token: string,
  kind: SessionTokenRecord['kind'],
  now: number,
): SessionRecord | undefined {
  const hash = hashToken(token);
  const index = journal.getRecord<SessionTokenRecord>(Keys.sessionToken(hash));
  if (!index || index.kind !== kind) return undefined;
  const session = journal.getRecord<SessionRecord>(Keys.session(index.sessionId));
  if (!session) return undefined;
  const [current, expiresAt] =
    kind === 'access' ? [session.accessHash, session.accessExpiresAt] : [session.refreshHash, session.refreshExpiresAt];
  return current === hash && now < expiresAt ? session : undefined;
}

const unauthorized = () => new ProtocolError('unauthorized', 'unknown, expired or revoked token');

interface State {
  /**
   * Sessions with a refresh or revocation still committing, and what is
   * being written for them (undefined: being deleted). Token checks read
   * committed records only, so without this a refresh arriving while a
   * revocation commits would read the old session and write it back, and
   * two refreshes of one token would both succeed.
   */
  inFlight: Map<string, SessionRecord | undefined>;
}

/** What the actor needs: it writes only its own records, so the store, the clock and the log. */
export type SessionsPorts = Pick<Deps, 'journal' | 'clock' | 'log'>;

export function sessionsBehavior(
  deps: SessionsPorts,
  times: SessionTimes,
  onRevoked: (sessionIds: string[]) => void,
  workspaceId: string = DEFAULT_WORKSPACE,
): Behavior<State, SessionsMsg> {
  const { journal, clock, log } = deps;

  const issue = (staffId: string, id: string, createdAt: number, ip: string | undefined) => {
    const now = clock.now();
    // CLUSTER-1: a token names its workspace, so another workspace refuses it as foreign (wrong_workspace).
    const token = scopedId(workspaceId, newToken());
    const refreshToken = scopedId(workspaceId, newToken());
    const record: SessionRecord = {
      id,
      staffId,
      createdAt,
      accessHash: hashToken(token),
      accessExpiresAt: now + times.accessTtlMs,
      refreshHash: hashToken(refreshToken),
      refreshExpiresAt: now + times.refreshTtlMs,
      ...(ip !== undefined ? { ip } : {}),
    };
    const writes: RecordWrite[] = [
      { key: Keys.session(id), value: record },
      {
        key: Keys.sessionToken(record.accessHash),
        value: { sessionId: id, kind: 'access' } satisfies SessionTokenRecord,
      },
      {
        key: Keys.sessionToken(record.refreshHash),
        value: { sessionId: id, kind: 'refresh' } satisfies SessionTokenRecord,
      },
      { key: Keys.staffSession(staffId, id), value: record.refreshExpiresAt },
    ];
    const issued: IssuedSession = {
      sessionId: id,
      staffId,
      token,
      expiresAt: record.accessExpiresAt,
      refreshToken,
      refreshExpiresAt: record.refreshExpiresAt,
    };
    return { writes, issued, record };
  };

  /** The writes that delete a session and its token indexes. */
  const removal = (s: SessionRecord): RecordWrite[] => [
    { key: Keys.session(s.id), value: undefined },
    { key: Keys.sessionToken(s.accessHash), value: undefined },
    { key: Keys.sessionToken(s.refreshHash), value: undefined },
    { key: Keys.staffSession(s.staffId, s.id), value: undefined },
  ];

  /** Sessions of a staff member whose refresh token has run out: swept when they sign in again, so the store does not keep them forever. */
  const expiredOf = (staffId: string, now: number): RecordWrite[] => {
    const writes: RecordWrite[] = [];
    for (const { value: refreshExpiresAt, key } of journal.records<number>(Keys.staffSessions(staffId))) {
      if (refreshExpiresAt > now) continue;
      const session = journal.getRecord<SessionRecord>(Keys.session(String(key[key.length - 1])));
      if (session) writes.push(...removal(session));
    }
    return writes;
  };

  /** Writes, marking the sessions busy until the write has committed or failed. */
  const commit = <R>(
    s: State,
    busy: Map<string, SessionRecord | undefined>,
    writes: RecordWrite[],
    reply: Reply<R>,
    result: R,
    after?: () => void,
  ): void => {
    for (const [id, next] of busy) s.inFlight.set(id, next);
    const settle = () => {
      for (const [id, next] of busy) if (s.inFlight.get(id) === next) s.inFlight.delete(id);
    };
    journal.writeRecords(writes).then(
      () => {
        settle();
        after?.();
        reply(result);
      },
      (err: unknown) => {
        settle();
        log.error({ err }, 'session change not stored');
        reply(new ProtocolError('storage_failed', 'session change not stored; retry'));
      },
    );
  };

  /** A session as it is or is about to be: a refresh still committing counts with its new tokens. */
  const current = (s: State, id: string): SessionRecord | undefined =>
    s.inFlight.has(id) ? s.inFlight.get(id) : journal.getRecord<SessionRecord>(Keys.session(id));

  const revoke = (s: State, sessions: SessionRecord[], reply: Reply<{ revoked: number }>): void =>
    commit(
      s,
      new Map(sessions.map((x) => [x.id, undefined])),
      sessions.flatMap(removal),
      reply,
      { revoked: sessions.length },
      () => onRevoked(sessions.map((x) => x.id)),
    );

  return {
    init: () => ({ inFlight: new Map() }),
    receive(s, msg) {
      switch (msg.type) {
        case 'open': {
          const { writes, issued } = issue(msg.staffId, randomUUID(), clock.now(), msg.ip);
          commit(s, new Map(), [...expiredOf(msg.staffId, clock.now()), ...writes], msg.reply, issued);
          return;
        }
        case 'refresh': {
          const foreign = foreignId(workspaceId, msg.refreshToken, 'refreshToken');
          if (foreign) return msg.reply(foreign);
          const session = sessionOfToken(journal, msg.refreshToken, 'refresh', clock.now());
          // Busy: being revoked (it must stay dead) or refreshed already (a refresh token works once).
          if (!session || s.inFlight.has(session.id)) return msg.reply(unauthorized());
          // Both tokens are replaced: a refresh token works once, so a stolen one that was used shows up as a failed refresh.
          const { writes, issued, record } = issue(session.staffId, session.id, session.createdAt, session.ip);
          commit(
            s,
            new Map([[session.id, record]]),
            [
              { key: Keys.sessionToken(session.accessHash), value: undefined },
              { key: Keys.sessionToken(session.refreshHash), value: undefined },
              ...writes,
            ],
            msg.reply,
            issued,
          );
          return;
        }
        case 'revoke': {
          const session = current(s, msg.sessionId);
          revoke(s, session ? [session] : [], msg.reply);
          return;
        }
        case 'revokeAll': {
          const sessions: SessionRecord[] = [];
          for (const { key } of journal.records<number>(Keys.staffSessions(msg.staffId))) {
            const id = String(key[key.length - 1]);
            const session = id === msg.except ? undefined : current(s, id);
            if (session) sessions.push(session);
          }
          revoke(s, sessions, msg.reply);
          return;
        }
      }
    },
  };
}
