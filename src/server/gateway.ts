/**
 * The uWebSockets.js gateway: one listening port for the whole process,
 * with the health probes, /metrics and the web pages, and the routes of
 * every workspace it serves (workspace-gateway.ts): the default
 * workspace's on the unprefixed paths, every other one's under
 * `/w/<workspace>` (CLUSTER-1). A path under `/w/` that names no served
 * workspace is answered 404 `not_found` naming the workspace.
 *
 * uWebSockets.js rules kept here and in the workspace routes: a message's
 * ArrayBuffer is only valid during the callback, so frames are decoded
 * before any await; a socket is never touched after its close event
 * (ConnectionData.closed); HTTP handlers register onAborted before async
 * work and cork their writes.
 */
import type { HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { DEFAULT_WORKSPACE } from '../../protocol/workspace-scope.js';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';
import type { FrameRateLimit } from './frame-rate-limit.js';
import type { SpaceState } from '../store/space-account.js';
import { registerStaticRoutes, registerWorkspacePages } from './static/static-routes.js';
import { loadWebAssets } from './static/web-assets.js';
import { Listener } from './listener.js';
import type { TlsFiles, TlsSummary } from './tls.js';

export { MAX_BACKPRESSURE_BYTES } from './workspace-gateway.js';

/** One workspace's routes: its own (WorkspaceGateway) or, on a cluster node, a switch (workspace-switch.ts). */
export interface WorkspaceRoutes {
  readonly prefixes: string[];
  register(app: TemplatedApp): void;
  /** Closes its open connections with 1001. */
  closeAll(): void;
}

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
  /** CLUSTER-2: what GET /clusterz shows on a cluster node (its id, the owner of every workspace). */
  cluster?: () => unknown;
}

/** CLUSTER-1: where a workspace's routes start: nowhere for the default workspace, `/w/<id>` for the others. */
export function workspaceRoutePrefix(workspaceId: string): string {
  return workspaceId === DEFAULT_WORKSPACE ? '' : `/w/${workspaceId}`;
}

/** Counts work a graceful stop waits for: commands being executed, uploads, API calls. */
export class WorkInFlight {
  private count = 0;
  private idleWaiters: (() => void)[] = [];

  track(work: Promise<unknown>): void {
    this.count++;
    const done = (): void => {
      if (--this.count === 0) for (const w of this.idleWaiters.splice(0)) w();
    };
    work.then(done, done);
  }

  /** Resolves once nothing is in flight. */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise<void>((r) => this.idleWaiters.push(r));
  }
}

export class Gateway {
  private readonly listener: Listener;

  constructor(
    private readonly workspaces: readonly WorkspaceRoutes[],
    private readonly log: Logger,
    private readonly state: GatewayState,
    private readonly ops: GatewayOps,
    private readonly work: WorkInFlight,
  ) {
    const assets = loadWebAssets(log);
    this.listener = new Listener((app: TemplatedApp) => {
      app.get('/healthz', (res) => this.json(res, '200 OK', { status: 'ok' }));
      app.get('/readyz', (res) => this.readiness(res));
      app.get('/metrics', (res) => this.serveMetrics(res));
      app.get('/clusterz', (res) => {
        const cluster = ops.cluster?.();
        if (cluster === undefined)
          return this.json(res, '404 Not Found', {
            error: { code: 'not_found', message: 'this server is not a cluster node' },
          });
        this.json(res, '200 OK', cluster);
      });
      for (const w of workspaces) w.register(app);
      registerStaticRoutes(app, assets);
      for (const w of workspaces) for (const p of w.prefixes) if (p) registerWorkspacePages(app, assets, p);
      app.any('/w/*', (res, req) => {
        const named = req.getUrl().split('/')[2] ?? '';
        this.json(res, '404 Not Found', {
          error: { code: 'not_found', message: `this server serves no workspace "${named}"` },
        });
      });
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
    await this.work.idle();
    for (const w of this.workspaces) w.closeAll();
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

  private json(res: HttpResponse, status: string, body: unknown): void {
    res.cork(() => {
      res.writeStatus(status).writeHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
  }
}
