/**
 * ROLE-4: staff sign-in over HTTP, in the one route table. Sign-in and
 * refresh are public (they are how a token is got); sign-out and password
 * change act on the caller's own session. Every sign-in, accepted or
 * refused, is audited (ROLE-5). An admin resets a password with
 * PATCH /staff/:id {password}, which revokes that staff member's sessions.
 */
import { Type } from '@sinclair/typebox';
import { ProtocolError } from '../../../protocol/errors.js';
import { identity } from '../../../actors/workspace/identity.js';
import type { IssuedSession } from '../../../actors/sessions.js';
import type { Directory } from '../../../actors/directory.js';
import type { AuditDraft } from '../../../actors/audit.js';
import { hashPassword } from '../../auth/passwords.js';
import { checkPassword, PASSWORD_RULE } from '../../auth/sign-in.js';
import { PUBLIC, route, type RouteContext } from './route.js';
import { Password } from './schemas/staff.js';

const strict = { additionalProperties: false } as const;
const Email = Type.String({ minLength: 3, maxLength: 254 });
const Secret = Type.String({ minLength: 1, maxLength: PASSWORD_RULE.maxLength });
const Token = Type.String({ minLength: 1, maxLength: 200 });

const Identity = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    role: Type.String(),
    departments: Type.Array(Type.String()),
  },
  strict,
);
const Session = Type.Object(
  {
    token: Type.String({
      description: 'The access token: Authorization: Bearer <token> for the API, ?token= or Bearer for /v1/staff.',
    }),
    expiresAt: Type.Integer({ description: 'When the access token stops working, ms since the epoch.' }),
    refreshToken: Type.String({ description: 'Good for one POST /auth/refresh.' }),
    refreshExpiresAt: Type.Integer(),
    staff: Identity,
  },
  strict,
);

const tokens = (issued: IssuedSession) => ({
  token: issued.token,
  expiresAt: issued.expiresAt,
  refreshToken: issued.refreshToken,
  refreshExpiresAt: issued.refreshExpiresAt,
});

/** Audited like every sign-in; a lost entry is logged and does not undo the sign-in. */
const auditSignIn = (dir: Directory, entry: AuditDraft): Promise<unknown> =>
  dir.deps.runtime
    .ask(dir.audit, { type: 'record', entry })
    .catch((err: unknown) => dir.deps.log.error({ err }, 'audit entry lost'));

async function signIn(email: string, password: string, ctx: RouteContext) {
  const { dir, remote } = ctx;
  try {
    const staff = await checkPassword(dir, ctx.signInLimiter, email, password, remote);
    const issued = await dir.deps.runtime.ask(dir.sessions, { type: 'open', staffId: staff.id, ip: remote });
    await auditSignIn(dir, {
      action: 'signin',
      outcome: 'ok',
      remote,
      actor: { id: staff.id, role: staff.role },
      detail: { via: 'http', sessionId: issued.sessionId },
    });
    return { ...tokens(issued), staff: identity(staff) };
  } catch (err) {
    // Refused sign-ins that were checked are audited; those the rate limit stopped unchecked are not, so a flood cannot grow the log without bound.
    if (err instanceof ProtocolError && err.code === 'unauthorized') {
      await auditSignIn(dir, { action: 'signin', outcome: 'refused', remote, detail: { via: 'http', email } });
    }
    throw err;
  }
}

export const authRoutes = [
  route({
    method: 'post',
    path: '/auth/signin',
    permission: PUBLIC,
    summary:
      'Sign in with email and password: a session (access and refresh tokens). Rate limited per account and address (429 rate_limited, Retry-After).',
    body: Type.Object({ email: Email, password: Secret }, strict),
    response: Session,
    handle: async ({ body }, ctx) => signIn(body.email, body.password, ctx),
  }),
  route({
    method: 'post',
    path: '/auth/refresh',
    permission: PUBLIC,
    summary: 'New tokens for a refresh token; the old access and refresh tokens stop working.',
    body: Type.Object({ refreshToken: Token }, strict),
    response: Session,
    handle: async ({ body }, { dir }) => {
      const issued = await dir.deps.runtime.ask(dir.sessions, { type: 'refresh', refreshToken: body.refreshToken });
      const staff = await dir.deps.runtime.ask(dir.workspace, { type: 'findStaff', by: { id: issued.staffId } });
      return { ...tokens(issued), staff: identity(staff) };
    },
  }),
  route({
    method: 'post',
    path: '/auth/signout',
    permission: 'account.self',
    summary: "Revoke the caller's session; its open WebSocket connections are closed (4001).",
    response: Type.Object({ revoked: Type.Integer() }, strict),
    handle: async (_in, { dir, sessionId }) =>
      dir.deps.runtime.ask(dir.sessions, { type: 'revoke', sessionId: sessionId ?? '' }),
  }),
  route({
    method: 'post',
    path: '/auth/password',
    permission: 'account.self',
    summary:
      "Change one's own password (the current one is checked like a sign-in); every other session of the caller is revoked.",
    body: Type.Object({ currentPassword: Secret, newPassword: Password }, strict),
    response: Type.Object({ changed: Type.Literal(true), otherSessionsRevoked: Type.Integer() }, strict),
    handle: async ({ body }, ctx) => {
      const { dir, caller, sessionId } = ctx;
      const { runtime } = dir.deps;
      const me = await runtime.ask(dir.workspace, { type: 'findStaff', by: { id: caller.id } });
      // A stolen token alone cannot change the password; wrong guesses count towards the sign-in limit.
      await checkPassword(dir, ctx.signInLimiter, me.email, body.currentPassword, ctx.remote).catch((err: unknown) => {
        throw err instanceof ProtocolError && err.code === 'unauthorized'
          ? new ProtocolError('forbidden', 'the current password is wrong', 'currentPassword')
          : err;
      });
      await runtime.ask(dir.workspace, {
        type: 'configureStaff',
        id: caller.id,
        changes: { passwordHash: await hashPassword(body.newPassword) },
      });
      const { revoked } = await runtime.ask(dir.sessions, {
        type: 'revokeAll',
        staffId: caller.id,
        ...(sessionId !== undefined ? { except: sessionId } : {}),
      });
      await ctx.audit({
        action: 'account.password',
        target: { kind: 'staff', id: caller.id },
        detail: { otherSessionsRevoked: revoked },
      });
      return { changed: true as const, otherSessionsRevoked: revoked };
    },
  }),
];
