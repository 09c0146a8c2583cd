/**
 * One workspace's routes on the gateway (CLUSTER-1): its two WebSocket
 * endpoints (/v1/visitor, /v1/staff), its file routes (files-http.ts) and
 * its admin API (api/router.ts), all under the workspace's route prefix
 * (none for the default workspace, `/w/<id>` for the others), with frame
 * decoding and validation before anything reaches one of its actors, and
 * backpressure. Each workspace has its own actor tree (Directory) and
 * connections (its Notifier), so nothing of one reaches another's clients.
 * Nothing below this file sees a socket.
 *
 * uWebSockets.js rules kept here: a message's ArrayBuffer is only valid
 * during the callback, so frames are decoded before any await; a socket is
 * never touched after its close event (ConnectionData.closed); HTTP handlers
 * register onAborted before async work and cork their writes.
 */
import { DEFAULT_WORKSPACE } from '../../protocol/workspace-scope.js';
import type { HttpRequest, HttpResponse, TemplatedApp, WebSocketBehavior } from 'uWebSockets.js';
import { CommandValidator, decodeFrame, readCommandId } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import { CloseCodes, type CloseCode } from '../../protocol/close-codes.js';
import { Limits } from '../../protocol/limits.js';
import { StaffCommands, VisitorCommands, type CommandId, type ServerFrame } from '../../protocol/frames.js';
import type { Directory } from '../../actors/directory.js';
import type { StaffIdentity } from '../../actors/workspace/messages.js';
import { identity, rightsDiffer } from '../../actors/workspace/identity.js';
import { Keys } from '../../actors/keyspace.js';
import type { StaffRecord } from '../../actors/agent/records.js';
import { bearerToken } from './http-auth.js';
import { staffOfTokenNow } from '../auth/authenticate.js';
import type { SignInLimiter } from '../auth/signin-limiter.js';
import { CommandDispatcher } from './commands/dispatch.js';
import { attachStaff, detach } from './commands/handshake.js';
import type { AckResult } from './commands/command.js';
import type { Connections, ConnectionData, Socket } from './connections.js';
import { FilesHttp, type FilesOptions } from './files-http.js';
import { ApiRouter } from './api/router.js';
import { apiRoutes } from './api/routes.js';
import type { Logger } from '../logger.js';
import { FrameBucket, type FrameVerdict } from './frame-rate-limit.js';
import type { GatewayOps, GatewayState } from './gateway.js';
import { pageMayEmbed } from './embedding.js';

/** Bytes a client may leave unread before uWS closes its connection (OPS-5). */
export const MAX_BACKPRESSURE_BYTES = 1024 * 1024;
const IDLE_TIMEOUT_SECONDS = 120;

/** Every client socket's limits (OPS-5): frame size, backpressure, idle timeout, pings. */
export const SOCKET_OPTIONS = {
  maxPayloadLength: Limits.maxFrameBytes,
  maxBackpressure: MAX_BACKPRESSURE_BYTES,
  // A boolean in newer uWS; this build types it as a number (non-zero = on).
  closeOnBackpressureLimit: 1,
  idleTimeout: IDLE_TIMEOUT_SECONDS,
  sendPingsAutomatically: true,
} satisfies WebSocketBehavior<ConnectionData>;

/** Closes a socket with one of the protocol's close codes and its reason. */
const close = (ws: Socket, c: CloseCode): void => ws.end(c.code, c.reason);

const visitorValidator = new CommandValidator(VisitorCommands);
const staffValidator = new CommandValidator(StaffCommands);

/** What every workspace's routes share: the server's state, its work counter, metrics, limits and backup. */
export interface WorkspaceGatewayShared {
  log: Logger;
  state: GatewayState;
  ops: GatewayOps;
  signInLimiter: SignInLimiter;
  /** Counts work a graceful stop waits for (a command, an upload, an API call). */
  track(work: Promise<unknown>): void;
}

/** What a WebSocket upgrade request says that decides whether it may open. */
export interface UpgradeRequest {
  /** A staff token, from `Authorization: Bearer` or `?token=`. */
  token: string | undefined;
  origin: string;
  host: string;
  remoteAddress: string;
}

/** An upgrade refused: the HTTP status line and the JSON body (none for a 503). */
export interface Refusal {
  status: string;
  body?: unknown;
}

/** Reads an upgrade request's deciding parts; req is only valid during the uWS callback. */
export function upgradeRequestOf(req: HttpRequest, res: HttpResponse): UpgradeRequest {
  const queryToken = new URLSearchParams(req.getQuery() ?? '').get('token');
  return {
    token: bearerToken(req.getHeader('authorization')) ?? queryToken ?? undefined,
    origin: req.getHeader('origin'),
    host: req.getHeader('host'),
    remoteAddress: Buffer.from(res.getRemoteAddressAsText()).toString(),
  };
}

export class WorkspaceGateway {
  readonly connections: Connections;
  private readonly commands: CommandDispatcher;
  private readonly filesHttp: FilesHttp;
  private readonly api: ApiRouter;
  private readonly visitor: WebSocketBehavior<ConnectionData>;
  private readonly staff: WebSocketBehavior<ConnectionData>;
  private readonly log: Logger;
  private readonly state: GatewayState;
  private readonly ops: GatewayOps;

  /** `prefix`: the workspace's route prefix, '' for the default workspace (workspaceRoutePrefix). */
  constructor(
    private readonly dir: Directory,
    connections: Connections,
    files: FilesOptions,
    readonly prefix: string,
    private readonly shared: WorkspaceGatewayShared,
  ) {
    const { log, state, ops, signInLimiter } = shared;
    this.log = log;
    this.state = state;
    this.ops = ops;
    this.connections = connections;
    this.commands = new CommandDispatcher(dir, this.connections, signInLimiter);
    // ROLE-4: a changed role or department takes effect on open connections too: they sign in again, as who they are now.
    dir.onStaffIdentityChanged = (staffId) => {
      for (const id of this.connections.connectionsOf({ kind: 'staff', id: staffId })) {
        const ws = this.connections.socket(id);
        if (ws && !ws.getUserData().closed) close(ws, CloseCodes.identityChanged);
      }
    };
    // ROLE-4: a sign-out, password change or reset takes effect on open connections too.
    dir.onSessionsRevoked = (ids) => {
      const revoked = new Set(ids);
      for (const ws of this.connections.all()) {
        const d = ws.getUserData();
        if (d.sessionId !== undefined && revoked.has(d.sessionId) && !d.closed) close(ws, CloseCodes.sessionRevoked);
      }
    };
    // Made once, registered on every app: a TLS reload adds an app (listener.ts) with the same routes and state.
    this.filesHttp = new FilesHttp(dir, log, state, { ...files, track: (work) => shared.track(work) }, prefix);
    this.api = new ApiRouter(
      dir,
      log,
      state,
      apiRoutes,
      { track: (work) => shared.track(work), signInLimiter, backup: (file) => ops.backup(file) },
      prefix,
    );
    this.visitor = this.behavior('visitor');
    this.staff = this.behavior('staff');
  }

  /**
   * Where the workspace's routes are: its prefix; the default workspace also answers under `/w/default`,
   * so a client may address every workspace the same way.
   */
  get prefixes(): string[] {
    return this.prefix ? [this.prefix] : ['', `/w/${DEFAULT_WORKSPACE}`];
  }

  /** The workspace's routes on `app`. */
  register(app: TemplatedApp): void {
    for (const p of this.prefixes) {
      app.ws<ConnectionData>(`${p}/v1/visitor`, this.visitor);
      app.ws<ConnectionData>(`${p}/v1/staff`, this.staff);
      this.filesHttp.register(app, p);
      this.api.register(app, p);
    }
  }

  /** Closes the open connections with 1001 (after the answers queued for the next tick go out). */
  closeAll(): void {
    this.connections.flush();
    for (const ws of this.connections.all()) {
      if (!ws.getUserData().closed) close(ws, CloseCodes.goingAway);
    }
  }
  private behavior(kind: 'visitor' | 'staff'): WebSocketBehavior<ConnectionData> {
    return {
      ...SOCKET_OPTIONS,
      upgrade: (res, req, context) => this.upgrade(kind, res, req, context),
      open: (ws) => {
        this.connections.add(ws);
        const d = ws.getUserData();
        if (d.refusedOrigin !== undefined) {
          this.log.info({ connectionId: d.connectionId, origin: d.refusedOrigin }, 'widget origin not allowed');
          return void close(ws, CloseCodes.originNotAllowed);
        }
        if (d.upgradeStaff) {
          // ROLE-4: revoked, or re-roled, while the socket was opening? The revocation only closes open sockets, so check again now.
          const staff = this.dir.deps.journal.getRecord<StaffRecord>(Keys.staff(d.upgradeStaff.id));
          if (d.sessionId !== undefined && !this.dir.deps.journal.getRecord(Keys.session(d.sessionId)))
            return void close(ws, CloseCodes.sessionRevoked);
          if (!staff || rightsDiffer(staff, d.upgradeStaff)) return void close(ws, CloseCodes.identityChanged);
          attachStaff(this.dir, this.connections, ws, d.upgradeStaff);
        }
        this.log.debug({ connectionId: d.connectionId, kind, remote: d.remoteAddress }, 'connection opened');
      },
      message: (ws, message, isBinary) => this.onMessage(ws, message, isBinary),
      close: (ws, code, message) => {
        const d = ws.getUserData();
        d.closed = true;
        this.connections.remove(ws);
        detach(this.dir, ws);
        // uWS names why it dropped a connection itself (1006: too big a frame, invalid UTF-8, backpressure, idle): keep it.
        this.log.debug(
          { connectionId: d.connectionId, kind, code, reason: Buffer.from(message).toString('utf8') },
          'connection closed',
        );
      },
    };
  }

  private upgrade(kind: 'visitor' | 'staff', res: HttpResponse, req: HttpRequest, context: unknown): void {
    // Everything needed from req must be read now: req is invalid after this callback returns.
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    const admitted = this.admit(kind, upgradeRequestOf(req, res));
    if ('refused' in admitted) {
      const { status, body } = admitted.refused;
      res.cork(() => {
        res.writeStatus(status);
        if (body !== undefined) res.writeHeader('content-type', 'application/json').end(JSON.stringify(body));
        else res.end();
      });
      return;
    }
    res.upgrade(admitted.data, key, protocol, extensions, context as never);
  }

  /**
   * Whether a connection may open, from what its upgrade request said: its ConnectionData, or the HTTP
   * answer that refuses it. Used for a socket of this node and for one a cluster gateway forwards (CLUSTER-2).
   */
  admit(kind: 'visitor' | 'staff', request: UpgradeRequest): { data: ConnectionData } | { refused: Refusal } {
    const { token, origin, host, remoteAddress } = request;
    // WEB-1: a page of a site not on the allowlist is told so by a close code (4003) a browser can read; a refused upgrade it could not.
    const refusedOrigin = kind === 'visitor' && !pageMayEmbed(origin, host, this.dir.settings.widgetOrigins);
    if (!this.state.ready || this.state.draining) return { refused: { status: '503 Service Unavailable' } };
    const data = (staff?: StaffIdentity, sessionId?: string): ConnectionData => ({
      kind,
      connectionId: this.connections.newId(),
      binary: false,
      closed: false,
      remoteAddress,
      ...(staff ? { upgradeStaff: staff } : {}),
      ...(sessionId !== undefined ? { sessionId } : {}),
      ...(refusedOrigin ? { refusedOrigin: origin } : {}),
      ...(this.ops.frameRate.perSecond > 0
        ? { bucket: new FrameBucket(this.ops.frameRate, this.dir.deps.clock.now()) }
        : {}),
    });
    if (kind === 'visitor' || !token) return { data: data() };
    let found: ReturnType<typeof staffOfTokenNow>;
    try {
      found = staffOfTokenNow(this.dir, token);
    } catch (err) {
      // CLUSTER-1: another workspace's token is told so (403), an unknown one is a bad token (401).
      const wrong = err instanceof ProtocolError && err.code === 'wrong_workspace';
      return {
        refused: {
          status: wrong ? '403 Forbidden' : '401 Unauthorized',
          body: {
            error: wrong
              ? { code: err.code, message: err.message, field: 'token' }
              : { code: 'unauthorized', message: 'bad token' },
          },
        },
      };
    }
    return { data: data(identity(found.staff), found.sessionId) };
  }

  /** The socket handlers of a connection kind, for a socket that is not uWS's own (a forwarded one, CLUSTER-2). */
  handlers(kind: 'visitor' | 'staff'): WebSocketBehavior<ConnectionData> {
    return kind === 'visitor' ? this.visitor : this.staff;
  }

  private onMessage(ws: Socket, message: ArrayBuffer, isBinary: boolean): void {
    const d = ws.getUserData();
    // A refused socket is closing: nothing it sent reaches a command.
    if (d.refusedOrigin !== undefined) return;
    d.binary = isBinary;
    this.connections.framesIn[d.kind]++;
    const verdict = d.bucket?.take(this.dir.deps.clock.now());
    if (verdict !== undefined && verdict !== 'ok') return this.overRate(ws, message, isBinary, verdict);
    let parsed: unknown;
    let id: CommandId | undefined;
    try {
      // Decoded here, synchronously: `message` is freed when this callback returns.
      parsed = decodeFrame(message, isBinary);
      id = readCommandId(parsed);
      if (d.kind === 'visitor') {
        const cmd = visitorValidator.validate(parsed);
        this.run(ws, cmd.id, () => this.commands.run(ws, cmd), cmd.type === 'send' ? performance.now() : undefined);
      } else {
        const cmd = staffValidator.validate(parsed);
        this.run(ws, cmd.id, () => this.commands.run(ws, cmd), cmd.type === 'send' ? performance.now() : undefined);
      }
    } catch (err) {
      this.fail(ws, id, err);
    }
  }

  /** OPS-5: a frame beyond the connection's rate is answered, never executed; a flood closes the connection. */
  private overRate(ws: Socket, message: ArrayBuffer, isBinary: boolean, verdict: Exclude<FrameVerdict, 'ok'>): void {
    const d = ws.getUserData();
    if (verdict === 'close') {
      this.connections.rateClosed++;
      this.log.warn(
        { connectionId: d.connectionId, kind: d.kind },
        'frame flood past the rate limit: connection closed',
      );
      close(ws, CloseCodes.policyViolation);
      return;
    }
    let id: CommandId | undefined;
    try {
      id = readCommandId(decodeFrame(message, isBinary));
    } catch {
      // Undecodable as well: the error goes out without an id.
    }
    const { perSecond, burst } = this.ops.frameRate;
    this.fail(
      ws,
      id,
      new ProtocolError(
        'rate_limited',
        `more than ${perSecond} frames per second (bursts of ${burst}); this frame was not executed, send it again later`,
      ),
    );
  }

  /** `relayStarted`: a send's arrival (performance.now()), for the relay latency histogram. */
  private run(ws: Socket, id: CommandId, exec: () => Promise<AckResult>, relayStarted?: number): void {
    this.shared.track(
      exec().then(
        (result) => {
          if (relayStarted !== undefined) this.ops.metrics.relayed((performance.now() - relayStarted) / 1000);
          this.reply(ws, result === undefined ? { type: 'ack', id } : { type: 'ack', id, result });
        },
        (err: unknown) => this.fail(ws, id, err),
      ),
    );
  }

  private fail(ws: Socket, id: CommandId | undefined, err: unknown): void {
    const d = ws.getUserData();
    this.ops.metrics.error(err instanceof ProtocolError ? err.code : 'internal');
    if (err instanceof ProtocolError) {
      this.reply(ws, {
        type: 'error',
        ...(id !== undefined ? { id } : {}),
        code: err.code,
        message: err.message,
        ...(err.field ? { field: err.field } : {}),
      });
      return;
    }
    this.log.error({ err, connectionId: d.connectionId }, 'command failed unexpectedly');
    this.reply(ws, { type: 'error', ...(id !== undefined ? { id } : {}), code: 'internal', message: 'internal error' });
  }

  private reply(ws: Socket, frame: ServerFrame): void {
    this.connections.write(ws, frame);
  }
}
