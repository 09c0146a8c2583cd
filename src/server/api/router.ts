/**
 * Serves the route table of the admin HTTP API on uWebSockets.js. One
 * handler takes every /api/v1 request, finds its route, and runs the same
 * steps for all: authenticate (Bearer token), the permission's role gate,
 * path parameters, the department scope, query and JSON body validation
 * (unknown fields refused, the failing field named as a dotted path), then
 * the handler; errors answer as `{"error":{code,message,field?}}` with the
 * protocol's codes (http-exchange.ts).
 */
import { clientAddress, FORWARDED_FOR_HEADER, FORWARDED_HEADER } from '../../cluster/forwarded-client.js';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { checkValue } from '../../../protocol/codec.js';
import { ProtocolError } from '../../../protocol/errors.js';
import type { Directory } from '../../../actors/directory.js';
import type { AuditDraft } from '../../../actors/audit.js';
import { authorize } from '../../auth/permissions.js';
import { authenticateStaff } from '../http-auth.js';
import { RateLimited, type SignInLimiter } from '../../auth/signin-limiter.js';
import { HttpExchange, type Headers } from '../http-exchange.js';
import { RequestBody } from '../request-body.js';
import type { GatewayState } from '../gateway.js';
import type { Logger } from '../../logger.js';
import { PUBLIC, type FileAnswer, type Method, type Route, type RouteContext, type StaffCaller } from './route.js';

export const API_PREFIX = '/api/v1';
/** Largest JSON body accepted (configuration is small; a canned reply's text is the biggest part). */
export const MAX_API_BODY_BYTES = 64 * 1024;

const BODY_METHODS: readonly Method[] = ['post', 'put', 'patch'];

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
  params?: TypeCheck<TSchema>;
  query?: TypeCheck<TSchema>;
  body?: TypeCheck<TSchema>;
}

/** `/departments/:id` → a pattern capturing each parameter's segment. */
function compilePath(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(seg.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), names };
}

/** Query parameters as an object; a parameter given more than once (`department=a&department=b`) becomes a list. */
function queryObject(raw: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of new Set(raw.keys())) {
    const all = raw.getAll(name);
    out[name] = all.length > 1 ? all : all[0]!;
  }
  return out;
}

export interface ApiRouterOptions {
  /** Counts work that a graceful shutdown must wait for. */
  track: (work: Promise<unknown>) => void;
  signInLimiter: SignInLimiter;
  /** OPS-3: a consistent copy of the store to a file. */
  backup(file: string): Promise<void>;
}

const NO_STORE: Headers = [['cache-control', 'no-store']];

export class ApiRouter {
  private readonly compiled: Compiled[];

  constructor(
    private readonly dir: Directory,
    private readonly log: Logger,
    private readonly state: GatewayState,
    routes: readonly Route[],
    private readonly options: ApiRouterOptions,
    /** CLUSTER-1: the workspace's route prefix ('' for the default workspace). */
    private readonly prefix = '',
  ) {
    this.compiled = routes.map((route) => ({
      route,
      ...compilePath(route.path),
      ...(route.params ? { params: TypeCompiler.Compile(route.params) } : {}),
      ...(route.query ? { query: TypeCompiler.Compile(route.query) } : {}),
      ...(route.body ? { body: TypeCompiler.Compile(route.body) } : {}),
    }));
  }

  /** The API under `prefix` (the workspace's own, or an alias of it: `/w/default` for the default one). */
  register(app: TemplatedApp, prefix = this.prefix): void {
    app.any(`${prefix}${API_PREFIX}/*`, (res, req) => this.serve(res, req, prefix));
  }

  private serve(res: HttpResponse, req: HttpRequest, prefix: string): void {
    const exchange = new HttpExchange(res);
    // req is valid only during this call: everything is read now.
    const method = req.getMethod().toLowerCase() as Method;
    const path = req.getUrl().slice(prefix.length + API_PREFIX.length);
    const query = new URLSearchParams(req.getQuery() ?? '');
    const authorization = req.getHeader('authorization');
    const contentType = req.getHeader('content-type');
    const length = req.getHeader('content-length');
    const remote = clientAddress(
      Buffer.from(res.getRemoteAddressAsText()).toString(),
      req.getHeader(FORWARDED_HEADER),
      req.getHeader(FORWARDED_FOR_HEADER),
    );
    // Created before any await, or body chunks would be lost; GET and DELETE bodies are not read.
    const body = BODY_METHODS.includes(method)
      ? new RequestBody(res, { limit: MAX_API_BODY_BYTES, declaredLength: length === '' ? undefined : Number(length) })
      : undefined;
    // A client gone mid-body ends the wait for it, so the work drain() waits for settles.
    if (body) exchange.onAborted(() => body.abort());
    const work = this.run(method, path, query, authorization, contentType, remote, body).then(
      // no-store: answers carry tokens and settings that no cache should keep.
      ({ status, answer, file }) =>
        file
          ? exchange.stream(file, [...NO_STORE, ['content-disposition', `attachment; filename="${file.fileName}"`]])
          : status === '204 No Content'
            ? exchange.reply(status, NO_STORE, '')
            : exchange.json(status, answer, NO_STORE),
      (err: unknown) => this.fail(exchange, err, body !== undefined && !body.ended),
    );
    this.options.track(work);
  }

  private async run(
    method: Method,
    path: string,
    rawQuery: URLSearchParams,
    authorization: string,
    contentType: string,
    remote: string,
    body: RequestBody | undefined,
  ): Promise<{ status: Route['status']; answer: unknown; file?: FileAnswer }> {
    if (!this.state.ready || this.state.draining)
      throw new ProtocolError('unavailable', 'the server is starting or shutting down; retry');
    const found = this.match(method, path);
    if (!found) throw new ProtocolError('not_found', `no route ${method.toUpperCase()} ${API_PREFIX}${path}`);
    const { c, raw } = found;
    const { route } = c;
    let caller: StaffCaller | undefined;
    let sessionId: string | undefined;
    if (route.permission !== PUBLIC) {
      const who = await authenticateStaff(this.dir, authorization);
      caller = { ...who, role: who.role as StaffCaller['role'], departments: who.departments ?? [] };
      sessionId = who.sessionId;
      // ROLE-4: the role gate before anything else is looked at.
      authorize(caller, route.permission);
    }
    const params = c.params ? checkValue(c.params, raw, 'path') : raw;
    if (caller && route.department && route.permission !== PUBLIC)
      authorize(caller, route.permission, route.department(params as Record<string, string>));
    const query = c.query ? checkValue(c.query, Value.Convert(route.query!, queryObject(rawQuery)), 'query') : {};
    const input = { params, query, body: c.body ? await this.readBody(c.body, contentType, body) : undefined };
    const ctx: RouteContext = {
      dir: this.dir,
      caller: caller!,
      remote,
      ...(sessionId !== undefined ? { sessionId } : {}),
      signInLimiter: this.options.signInLimiter,
      backup: (file) => this.options.backup(file),
      audit: async (entry) => {
        const draft: AuditDraft = { ...entry, actor: { id: caller!.id, role: caller!.role }, outcome: 'ok', remote };
        await this.dir.deps.runtime.ask(this.dir.audit, { type: 'record', entry: draft });
      },
    };
    const answer = await route.handle(input, ctx);
    if (route.mediaType) return { status: route.status, answer: undefined, file: answer as FileAnswer };
    return { status: route.status, answer };
  }

  private match(method: Method, path: string): { c: Compiled; raw: Record<string, string> } | undefined {
    for (const c of this.compiled) {
      if (c.route.method !== method) continue;
      const m = c.pattern.exec(path);
      if (!m) continue;
      const raw: Record<string, string> = {};
      for (const [i, name] of c.names.entries()) {
        try {
          raw[name] = decodeURIComponent(m[i + 1]!);
        } catch {
          throw new ProtocolError(
            'invalid_field',
            `path parameter ${name} is not valid percent-encoding`,
            `path.${name}`,
          );
        }
      }
      return { c, raw };
    }
    return undefined;
  }

  private async readBody(
    check: TypeCheck<TSchema>,
    contentType: string,
    body: RequestBody | undefined,
  ): Promise<unknown> {
    if (!body) throw new ProtocolError('internal', 'a route with a body on a method without one');
    if (contentType !== '' && !/^application\/json\s*(;|$)/i.test(contentType)) {
      throw new ProtocolError('unsupported_media_type', 'send the body as application/json', 'content-type');
    }
    const received = await body.body;
    if (!received.ok && received.reason === 'aborted')
      throw new ProtocolError('invalid_field', 'the client closed the connection before the body arrived', 'body');
    if (!received.ok)
      throw new ProtocolError('limit_exceeded', `a request body is at most ${MAX_API_BODY_BYTES} bytes`, 'body');
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(received.bytes));
    } catch (err) {
      throw new ProtocolError('bad_frame', `the body is not JSON: ${(err as Error).message}`, 'body');
    }
    return checkValue(check, value);
  }

  private fail(exchange: HttpExchange, err: unknown, closeConnection: boolean): void {
    if (!(err instanceof ProtocolError)) this.log.error({ err }, 'API request failed unexpectedly');
    const headers: Headers = [
      ...NO_STORE,
      ...(err instanceof ProtocolError && err.code === 'unauthorized'
        ? ([['www-authenticate', 'Bearer']] as const)
        : []),
      ...(err instanceof RateLimited ? ([['retry-after', String(err.retryAfterSec)]] as const) : []),
    ];
    exchange.fail(err, headers, closeConnection);
  }
}
