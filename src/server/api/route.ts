/**
 * One route of the admin HTTP API (/api/v1): its method and path, the
 * permission it needs (ROLE-4: from the one table in src/auth/permissions.ts;
 * a route without one does not compile), TypeBox schemas for what it takes
 * and answers (the same schemas validate requests and make the OpenAPI
 * document), and its handler. Handlers reach state only through actor
 * messages, or committed records for reads.
 */
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import type { Directory } from '../../../actors/directory.js';
import type { Caller } from '../../../actors/notifier.js';
import type { AuditDraft } from '../../../actors/audit.js';
import type { StaffRole } from '../../../actors/agent/records.js';
import type { Permission } from '../../auth/permissions.js';
import type { StreamSource } from '../http-exchange.js';
import type { SignInLimiter } from '../../auth/signin-limiter.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Marks the few routes anyone may call (the OpenAPI document): spelled out, never a default. */
export const PUBLIC = 'public';

/** A signed-in staff member calling the API. */
export type StaffCaller = Caller & { role: StaffRole; departments: readonly string[] };

export interface RouteContext {
  dir: Directory;
  /** Absent only on PUBLIC routes. */
  caller: StaffCaller;
  /** The caller's remote address. */
  remote: string;
  /** The session whose token signed this request (absent on PUBLIC routes). */
  sessionId?: string;
  /** ROLE-4: failed sign-ins per account and address. */
  signInLimiter: SignInLimiter;
  /** OPS-3: writes a consistent copy of the whole store to `file` (one LMDB read transaction). */
  backup(file: string): Promise<void>;
  /** ROLE-5: writes an audit entry for a change this request made (who, when and from where are filled in). */
  audit(entry: Omit<AuditDraft, 'actor' | 'remote' | 'outcome'>): Promise<void>;
}

export interface RouteInput<P extends TSchema, Q extends TSchema, B extends TSchema> {
  params: Static<P>;
  query: Static<Q>;
  body: Static<B>;
}

export interface RouteSpec<P extends TObject, Q extends TObject, B extends TSchema, R extends TSchema> {
  method: Method;
  /** Under /api/v1, with `:name` parameters, e.g. `/departments/:id`. */
  path: string;
  permission: Permission | typeof PUBLIC;
  /**
   * For department-scoped permissions: the department the request is about,
   * from the path; supervisors pass only for departments they lead.
   */
  department?: (params: Static<P>) => string;
  summary: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The answer's schema; 204 routes answer nothing. */
  response: R;
  status?: '200 OK' | '201 Created' | '204 No Content';
  handle(input: RouteInput<P, Q, B>, ctx: RouteContext): Promise<Static<R>>;
}

/**
 * A download the router streams to the client with backpressure, then
 * `release`s (also when the client goes away): a file of known size (the
 * backup) or bytes generated as they are sent (a CSV export).
 */
export type FileAnswer = StreamSource & {
  /** Offered to the browser as the download's name. */
  fileName: string;
};

/** A route whose answer is a file, not JSON (the backup download). */
export interface FileRouteSpec<P extends TObject, Q extends TObject>
  extends Omit<RouteSpec<P, Q, TSchema, TSchema>, 'response' | 'status' | 'handle' | 'body'> {
  /** The file's media type, for the OpenAPI document. */
  mediaType: string;
  handle(input: RouteInput<P, Q, TSchema>, ctx: RouteContext): Promise<FileAnswer>;
}

/** A route with its types erased, as the router and the OpenAPI generator hold it. */
export interface Route {
  method: Method;
  path: string;
  permission: Permission | typeof PUBLIC;
  department?: (params: Record<string, string>) => string;
  summary: string;
  params?: TObject;
  query?: TObject;
  body?: TSchema;
  response: TSchema;
  status: '200 OK' | '201 Created' | '204 No Content';
  /** Set on file routes: the handler answers a FileAnswer of this media type. */
  mediaType?: string;
  handle(input: RouteInput<TSchema, TSchema, TSchema>, ctx: RouteContext): Promise<unknown>;
}

/** Declares a route; its handler is typed by its schemas. */
export function route<P extends TObject, Q extends TObject, B extends TSchema, R extends TSchema>(
  spec: RouteSpec<P, Q, B, R>,
): Route {
  return { ...spec, status: spec.status ?? '200 OK' } as unknown as Route;
}

/** Declares a route that answers a file (streamed, not JSON). */
export function fileRoute<P extends TObject, Q extends TObject>(spec: FileRouteSpec<P, Q>): Route {
  return { ...spec, status: '200 OK', response: Type.Unknown() } as unknown as Route;
}
