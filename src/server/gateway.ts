/**
 * The uWebSockets.js gateway: two WebSocket endpoints (/v1/visitor,
 * /v1/staff), health probes, frame decoding and validation before anything
 * reaches an actor, and backpressure. Nothing below this file sees a socket.
 * The file routes (/v1/files, CONV-1) are in files-http.ts.
 *
 * uWebSockets.js rules kept here: a message's ArrayBuffer is only valid
 * during the callback, so frames are decoded before any await; a socket is
 * never touched after its close event (ConnectionData.closed); HTTP handlers
 * register onAborted before async work and cork their writes.
 */
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
import type { Metrics } from './metrics.js';
import { FrameBucket, type FrameRateLimit, type FrameVerdict } from './frame-rate-limit.js';
import type { SpaceState } from '../store/space-account.js';
import { registerStaticRoutes } from './static/static-routes.js';
import { loadWebAssets } from './static/web-assets.js';
import { pageMayEmbed } from './embedding.js';
import { Listener } from './listener.js';
import type { TlsFiles, TlsSummary } from './tls.js';

/** Bytes a client may leave unread before uWS closes its connection (OPS-5). */
export const MAX_BACKPRESSURE_BYTES = 1024 * 1024;
const IDLE_TIMEOUT_SECONDS = 120;

/** Closes a socket with one of the protocol's close codes and its reason. */
const close = (ws: Socket, c: CloseCode): void => ws.end(c.code, c.reason);

const visitorValidator = new CommandValidator(VisitorCommands);
const staffValidator = new CommandValidator(StaffCommands);

export interface GatewayState {
  ready: boolean;
  draining: boolean;
}

/** OPS-4, OPS-5: what the gateway measures into, and the frame rate limit of every connection. */
export interface GatewayOps {
  metrics: Metrics;
  frameRate: FrameRateLimit;
  /** OPS-5: the free-disk reserve's state, which /readyz reports. */
  disk?: () => SpaceState;
  /** WEB-1: serve TLS with these files (reloaded by reloadTls). */
  tls?: TlsFiles;
  /** OPS-3: a consistent copy of the store to a file, for the admin API's backup download. */
  backup(file: string): Promise<void>;
}

export class Gateway {
  readonly connections: Connections;
  private readonly commands: CommandDispatcher;
  private readonly listener: Listener;
  /** Commands being executed; shutdown waits for them. */
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly dir: Directory,
    private readonly log: Logger,
    private readonly state: GatewayState,
    connections: Connections,
    files: FilesOptions,
    private readonly ops: GatewayOps,
    signInLimiter: SignInLimiter,
  ) {
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
    const filesHttp = new FilesHttp(dir, log, state, { ...files, track: (work) => this.track(work) });
    const api = new ApiRouter(dir, log, state, apiRoutes, {
      track: (work) => this.track(work),
      signInLimiter,
      backup: (file) => ops.backup(file),
    });
    const assets = loadWebAssets(log);
    const visitor = this.behavior('visitor');
    const staff = this.behavior('staff');
    this.listener = new Listener((app: TemplatedApp) => {
      app.get('/healthz', (res) => this.json(res, '200 OK', { status: 'ok' }));
      app.get('/readyz', (res) => this.readiness(res));
      app.get('/metrics', (res) => this.serveMetrics(res));
      app.ws<ConnectionData>('/v1/visitor', visitor);
      app.ws<ConnectionData>('/v1/staff', staff);
      filesHttp.register(app);
      api.register(app);
      registerStaticRoutes(app, assets);
      app.any('/*', (res) =>
        this.json(res, '404 Not Found', { error: { code: 'not_found', message: 'no such route' } }),
      );
    }, ops.tls);
  }

  /** Resolves with the port, and the certificate when serving TLS; rejects with a TlsError for unusable TLS files. */
  listen(host: string, port: number): Promise<{ port: number; tls?: TlsSummary }> {
    return this.listener.listen(host, port);
  }

  /** WEB-1: new connections get the certificate the TLS files hold now; open ones keep theirs. Throws a TlsError, keeping the old one. */
  reloadTls(): TlsSummary {
    return this.listener.reload();
  }

  /** Stops accepting connections and closes the open ones with 1001, after in-flight commands answer. */
  async drain(): Promise<void> {
    this.listener.close();
    if (this.inFlight > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
    // Answers queued for the next tick go out before the sockets close.
    this.connections.flush();
    for (const ws of this.connections.all()) {
      if (!ws.getUserData().closed) close(ws, CloseCodes.goingAway);
    }
  }

  private behavior(kind: 'visitor' | 'staff'): WebSocketBehavior<ConnectionData> {
    return {
      maxPayloadLength: Limits.maxFrameBytes,
      maxBackpressure: MAX_BACKPRESSURE_BYTES,
      // A boolean in newer uWS; this build types it as a number (non-zero = on).
      closeOnBackpressureLimit: 1,
      idleTimeout: IDLE_TIMEOUT_SECONDS,
      sendPingsAutomatically: true,
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
    const auth = req.getHeader('authorization');
    const queryToken = new URLSearchParams(req.getQuery() ?? '').get('token');
    const token = bearerToken(auth) ?? queryToken;
    const remoteAddress = Buffer.from(res.getRemoteAddressAsText()).toString();
    const origin = req.getHeader('origin');
    // WEB-1: a page of a site not on the allowlist is told so by a close code (4003) a browser can read; a refused upgrade it could not.
    const refusedOrigin =
      kind === 'visitor' && !pageMayEmbed(origin, req.getHeader('host'), this.dir.settings.widgetOrigins);
    if (!this.state.ready || this.state.draining) {
      res.cork(() => res.writeStatus('503 Service Unavailable').end());
      return;
    }
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
    if (kind === 'visitor' || !token) {
      res.upgrade(data(), key, protocol, extensions, context as never);
      return;
    }
    let found: ReturnType<typeof staffOfTokenNow>;
    try {
      found = staffOfTokenNow(this.dir, token);
    } catch {
      res.writeStatus('401 Unauthorized').writeHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: { code: 'unauthorized', message: 'bad token' } }));
      return;
    }
    res.upgrade(data(identity(found.staff), found.sessionId), key, protocol, extensions, context as never);
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

  /**
   * Ready: 200 `{status:"ready"}`. Below the free-disk reserve (OPS-5) the server still serves every
   * read and refuses every write with storage_failed, so it stays in rotation (200) and says so:
   * `{status:"degraded", writes:"refused", reason:"disk_low", freeBytes, minFreeBytes}`.
   * Starting or draining: 503.
   */
  private readiness(res: HttpResponse): void {
    if (!this.state.ready || this.state.draining)
      return this.json(res, '503 Service Unavailable', { status: this.state.draining ? 'draining' : 'starting' });
    const disk = this.ops.disk?.();
    if (disk?.low)
      return this.json(res, '200 OK', {
        status: 'degraded',
        writes: 'refused',
        reason: 'disk_low',
        freeBytes: disk.freeBytes,
        minFreeBytes: disk.minFreeBytes,
      });
    this.json(res, '200 OK', { status: 'ready' });
  }

  /** OPS-4: the Prometheus text exposition (prom-client, the server's own registry). */
  private serveMetrics(res: HttpResponse): void {
    let aborted = false;
    res.onAborted(() => (aborted = true));
    const { metrics } = this.ops;
    metrics.render().then(
      (text) => {
        if (!aborted)
          res.cork(() => res.writeStatus('200 OK').writeHeader('content-type', metrics.contentType).end(text));
      },
      (err: unknown) => {
        this.log.error({ err }, 'metrics collection failed');
        if (!aborted)
          this.json(res, '500 Internal Server Error', {
            error: { code: 'internal', message: 'metrics collection failed' },
          });
      },
    );
  }

  /** `relayStarted`: a send's arrival (performance.now()), for the relay latency histogram. */
  private run(ws: Socket, id: CommandId, exec: () => Promise<AckResult>, relayStarted?: number): void {
    this.inFlight++;
    exec()
      .then(
        (result) => {
          if (relayStarted !== undefined) this.ops.metrics.relayed((performance.now() - relayStarted) / 1000);
          this.reply(ws, result === undefined ? { type: 'ack', id } : { type: 'ack', id, result });
        },
        (err: unknown) => this.fail(ws, id, err),
      )
      .finally(() => this.settled());
  }

  /** HTTP work that drain() waits for like a command (a file being stored); its outcome is handled by its owner. */
  private track(work: Promise<unknown>): void {
    this.inFlight++;
    const done = (): void => this.settled();
    work.then(done, done);
  }

  private settled(): void {
    if (--this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
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

  private json(res: HttpResponse, status: string, body: unknown): void {
    res.cork(() => {
      res.writeStatus(status).writeHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
  }
}
