/**
 * ROLE-4: sign-in over HTTP. Routes (JSON in and out, errors as
 * `{"error":{code,message,field?}}`):
 *
 * - POST /api/v1/auth/signin   {email, password}            → a session's tokens
 * - POST /api/v1/auth/refresh  {refreshToken}               → new tokens (the old ones stop working)
 * - POST /api/v1/auth/signout  Bearer                       → the session is revoked
 * - POST /api/v1/auth/password Bearer {currentPassword, newPassword} → changed; every other session revoked
 * - POST /api/v1/staff/:id/password Bearer (admin) {newPassword}    → reset; every session of theirs revoked
 */
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ProtocolError } from '../../protocol/errors.js';
import { checkValue } from '../../protocol/codec.js';
import type { Directory } from '../../actors/directory.js';
import { identity } from '../../actors/workspace.js';
import type { IssuedSession } from '../../actors/sessions.js';
import { staffOfToken } from '../auth/authenticate.js';
import { hashPassword } from '../auth/passwords.js';
import { authorize } from '../auth/permissions.js';
import { checkPassword, PASSWORD_RULE } from '../auth/sign-in.js';
import { RateLimited, type SignInLimiter } from '../auth/signin-limiter.js';
import { HttpExchange } from './http-exchange.js';
import { RequestBody } from './request-body.js';

/** Sign-in bodies are small: anything larger is refused before it is read. */
export const AUTH_BODY_LIMIT = 16 * 1024;

const Email = Type.String({ minLength: 3, maxLength: 254 });
const Secret = Type.String({ minLength: 1, maxLength: PASSWORD_RULE.maxLength });
const NewPassword = Type.String({ minLength: PASSWORD_RULE.minLength, maxLength: PASSWORD_RULE.maxLength });
const Token = Type.String({ minLength: 1, maxLength: 200 });

export const AuthBodies = {
  signin: Type.Object({ email: Email, password: Secret }, { additionalProperties: false }),
  refresh: Type.Object({ refreshToken: Token }, { additionalProperties: false }),
  password: Type.Object({ currentPassword: Secret, newPassword: NewPassword }, { additionalProperties: false }),
  reset: Type.Object({ newPassword: NewPassword }, { additionalProperties: false }),
} as const;

const checks = {
  signin: TypeCompiler.Compile(AuthBodies.signin),
  refresh: TypeCompiler.Compile(AuthBodies.refresh),
  password: TypeCompiler.Compile(AuthBodies.password),
  reset: TypeCompiler.Compile(AuthBodies.reset),
};

interface Incoming {
  authorization: string;
  address: string;
  params: string[];
  body: RequestBody;
}

type Handler = (req: Incoming) => Promise<unknown>;

export class AuthHttp {
  constructor(
    private readonly dir: Directory,
    private readonly limiter: SignInLimiter,
    private readonly ensureServing: () => void,
  ) {}

  register(app: TemplatedApp): void {
    app.post('/api/v1/auth/signin', this.route(0, (r) => this.signIn(r)));
    app.post('/api/v1/auth/refresh', this.route(0, (r) => this.refresh(r)));
    app.post('/api/v1/auth/signout', this.route(0, (r) => this.signOut(r)));
    app.post('/api/v1/auth/password', this.route(0, (r) => this.changePassword(r)));
    app.post('/api/v1/staff/:id/password', this.route(1, (r) => this.resetPassword(r)));
  }

  /** Reads what the handler needs from req now (it is invalid after this call), then answers once the work is done. */
  private route(params: number, handler: Handler) {
    return (res: HttpResponse, req: HttpRequest): void => {
      const exchange = new HttpExchange(res);
      const length = req.getHeader('content-length');
      const incoming: Incoming = {
        authorization: req.getHeader('authorization'),
        address: Buffer.from(res.getRemoteAddressAsText()).toString(),
        params: Array.from({ length: params }, (_, i) => req.getParameter(i) ?? ''),
        body: new RequestBody(res, AUTH_BODY_LIMIT, length === '' ? undefined : Number(length)),
      };
      Promise.resolve()
        .then(() => {
          this.ensureServing();
          return handler(incoming);
        })
        .then(
          (result) => exchange.json('200 OK', result, [['cache-control', 'no-store']]),
          (err: unknown) => exchange.fail(err, err instanceof RateLimited ? [['retry-after', String(err.retryAfterSec)]] : [], !incoming.body.ended),
        );
    };
  }

  private async json<T extends TSchema>(r: Incoming, check: ReturnType<typeof TypeCompiler.Compile<T>>): Promise<Static<T>> {
    const received = await r.body.body;
    if (!received.ok) throw new ProtocolError('limit_exceeded', `a body is at most ${AUTH_BODY_LIMIT} bytes`, 'body');
    let value: unknown;
    try {
      value = JSON.parse(received.bytes.toString('utf8'));
    } catch {
      throw new ProtocolError('bad_frame', 'the body is not valid JSON');
    }
    return checkValue(check, value, 'body');
  }

  private async bearer(r: Incoming) {
    const m = /^Bearer +(\S{1,200})$/i.exec(r.authorization.trim());
    if (!m) throw new ProtocolError('unauthorized', 'send Authorization: Bearer <token>');
    return staffOfToken(this.dir, m[1]!);
  }

  private tokens(issued: IssuedSession) {
    return { token: issued.token, expiresAt: issued.expiresAt, refreshToken: issued.refreshToken, refreshExpiresAt: issued.refreshExpiresAt };
  }

  private async signIn(r: Incoming) {
    const body = await this.json(r, checks.signin);
    const staff = await checkPassword(this.dir, this.limiter, body.email, body.password, r.address);
    const issued = await this.dir.deps.runtime.ask(this.dir.sessions, { type: 'open', staffId: staff.id, ip: r.address });
    return { ...this.tokens(issued), staff: identity(staff) };
  }

  private async refresh(r: Incoming) {
    const body = await this.json(r, checks.refresh);
    const issued = await this.dir.deps.runtime.ask(this.dir.sessions, { type: 'refresh', refreshToken: body.refreshToken });
    const staff = await this.dir.deps.runtime.ask(this.dir.workspace, { type: 'findStaff', by: { id: issued.staffId } });
    return { ...this.tokens(issued), staff: identity(staff) };
  }

  private async signOut(r: Incoming) {
    const { staff, sessionId } = await this.bearer(r);
    authorize(staff, 'account.self');
    return this.dir.deps.runtime.ask(this.dir.sessions, { type: 'revoke', sessionId });
  }

  private async changePassword(r: Incoming) {
    const { staff, sessionId } = await this.bearer(r);
    authorize(staff, 'account.self');
    const body = await this.json(r, checks.password);
    // The current password is checked like a sign-in (and counts towards its limit): a stolen token alone cannot change it.
    await checkPassword(this.dir, this.limiter, staff.email, body.currentPassword, r.address).catch((err: unknown) => {
      throw err instanceof ProtocolError && err.code === 'unauthorized' ? new ProtocolError('forbidden', 'the current password is wrong', 'currentPassword') : err;
    });
    await this.dir.deps.runtime.ask(this.dir.workspace, { type: 'setPassword', staffId: staff.id, passwordHash: await hashPassword(body.newPassword) });
    const { revoked } = await this.dir.deps.runtime.ask(this.dir.sessions, { type: 'revokeAll', staffId: staff.id, except: sessionId });
    return { changed: true, otherSessionsRevoked: revoked };
  }

  private async resetPassword(r: Incoming) {
    const { staff: admin } = await this.bearer(r);
    authorize(admin, 'staff.manage');
    const body = await this.json(r, checks.reset);
    let staffId: string;
    try {
      staffId = decodeURIComponent(r.params[0]!);
    } catch {
      throw new ProtocolError('not_found', 'no such staff member', 'id');
    }
    await this.dir.deps.runtime.ask(this.dir.workspace, { type: 'setPassword', staffId, passwordHash: await hashPassword(body.newPassword) });
    const { revoked } = await this.dir.deps.runtime.ask(this.dir.sessions, { type: 'revokeAll', staffId });
    return { reset: true, sessionsRevoked: revoked };
  }
}
