/**
 * Wires one Switchboard process: store → actors → gateway. Used by the CLI
 * and by integration tests (port 0 picks a free loopback port).
 */
import { LmdbStore, type Durability } from './store/lmdb-store.js';
import { reportTimeZone, UTC } from './reports/report-zone.js';
import type { Directory } from '../actors/directory.js';
import { RealClock, type Clock } from '../actors/clock.js';
import { Gateway, WorkInFlight, workspaceRoutePrefix, type GatewayOps, type GatewayState } from './server/gateway.js';
import { WorkspaceGateway } from './server/workspace-gateway.js';
import type { Connections } from './server/connections.js';
import { ServedTraffic } from './server/served-traffic.js';
import { ServedWorkspace } from './workspaces/served-workspace.js';
import { DEFAULT_WORKSPACE } from './workspaces/workspace-id.js';
import { uwsImplementation, type UwsImplementation } from './server/uws.js';
import { seedDemo, seedDemoVerification, type DemoCredential } from './seed.js';
import { createLogger, type Logger } from './logger.js';
import { defaults, sessionTimesOf } from './config.js';
import { SignInLimiter, type SignInLimits } from './auth/signin-limiter.js';
import type { SessionTimes } from '../actors/sessions.js';
import { Metrics } from './server/metrics.js';
import type { FrameRateLimit } from './server/frame-rate-limit.js';
import { TrafficRecorder } from './sim/recorder.js';
import { claimDataDir, type DataDirClaim } from './store/data-dir-lock.js';
import { TlsError, checkTlsFiles, type TlsFiles } from './server/tls.js';
import { ClusterNode, type ClusterOptions } from './cluster/cluster-node.js';
import { serveClusterNode } from './cluster/cluster-server.js';

export interface ServerOptions {
  host?: string;
  port?: number;
  dataDir: string;
  durability?: Durability;
  demo?: boolean;
  /**
   * scrypt's N for the demo accounts' passwords (default 2^15, as every
   * password). A start hashes four; the test servers lower it to start fast.
   */
  demoPasswordCost?: number;
  /** CONV-1: largest file upload, in bytes. */
  maxUploadBytes?: number;
  /** CONV-1, OPS-5: an upload body that sends nothing for this many ms is answered 408 (0: no timeout). */
  uploadIdleMs?: number;
  /** ROLE-4: token lifetimes. */
  sessionTimes?: SessionTimes;
  /** ROLE-4: failed sign-ins allowed per account and address. */
  signInLimits?: SignInLimits;
  clock?: Clock;
  logger?: Logger;
  /** OPS-5: per-connection frame rate limit; `perSecond: 0` turns it off. */
  frameRate?: FrameRateLimit;
  /** OPS-5: writes are refused while the disk has fewer free bytes than this (0 = never). */
  minFreeBytes?: number;
  /** SIM-2: append committed conversation traffic to this file (src/sim/recording.ts), for what-if replays. */
  record?: string;
  /** WEB-1: serve HTTPS and WSS with this certificate and key (PEM files), reloaded by `reloadTls`. */
  tls?: TlsFiles;
  /** MON-2: the IANA zone whose local days the reports count by default; UTC when absent. */
  reportTimeZone?: string;
  /**
   * CLUSTER-2/3: run as one node of a cluster on these NATS servers (durability `cluster`): workspaces are
   * owned by one node at a time, replicated through JetStream, and forwarded from every other node.
   */
  cluster?: ClusterOptions;
}

export interface RunningServer {
  host: string;
  port: number;
  /** Demo accounts created by this start (empty when the store already had a workspace). */
  demoCredentials: DemoCredential[];
  /** CUST-1: the verification secret set by this start's demo seed (absent when the store already had a workspace). */
  demoVerificationSecret?: string;
  uws: UwsImplementation;
  /** The default workspace's actors (on a cluster node: throws while another node owns it). */
  readonly directory: Directory;
  /** CLUSTER-1: every workspace served, by id (the default one included), with its actors and connections; on a cluster node, those it owns now. */
  readonly workspaces: ReadonlyMap<string, { directory: Directory; connections: Connections; routePrefix: string }>;
  store: LmdbStore;
  /** OPS-4: what GET /metrics shows. */
  metrics: Metrics;
  /** The default workspace's live connections (tests look at a socket's buffered bytes, OPS-5). */
  readonly connections: Connections;
  /** CLUSTER-2: this node's id and the owner of each workspace as it sees them; absent without a cluster. */
  cluster?: { nodeId: string; owners(): Record<string, string | null> };
  /** WEB-1: whether the port serves TLS (https, wss). */
  tls: boolean;
  /**
   * WEB-1: reads the TLS files again; new connections get their certificate, open ones keep
   * theirs. Logs the outcome; false (the old certificate kept) when the files cannot serve.
   */
  reloadTls(): boolean;
  /** Graceful stop: refuse new connections, answer in-flight commands, flush the store, close. */
  close(): Promise<void>;
}

/**
 * OPS-1: the process owns its data directory (an exclusive lock, see
 * store/data-dir-lock.ts) from before the store opens until it closes; a
 * start that fails closes what it opened and removes the directory if it
 * created it.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // WEB-1: unusable TLS files stop the start before anything is opened or created.
  if (options.tls) checkTlsFiles(options.tls);
  const claim = claimDataDir(options.dataDir);
  const opened: Opened = {};
  try {
    return await serve(options, claim, opened);
  } catch (err) {
    await opened.node?.stop().catch(() => undefined);
    await opened.store?.close().catch(() => undefined);
    claim.abandon();
    throw err;
  }
}

/** What a start has opened, to close if it fails. */
interface Opened {
  store?: LmdbStore;
  node?: ClusterNode;
}

async function serve(options: ServerOptions, claim: DataDirClaim, opened: Opened): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('info');
  const host = options.host ?? '127.0.0.1';
  const implementation = uwsImplementation();
  if (implementation.native) logger.info({ uws: implementation.module }, 'uWebSockets.js: native binary');
  else
    logger.error(
      { uws: implementation.module },
      'uWebSockets.js: NATIVE BINARY NOT LOADED, running the slow pure-JS fallback',
    );

  const minFreeBytes = options.minFreeBytes ?? defaults.minFreeBytes;
  // Called from within open() when the disk is already below the reserve: it must not refer to the store being opened.
  const store = LmdbStore.open(options.dataDir, options.durability ?? 'commit', {
    minFreeBytes,
    onChange: (low, freeBytes) =>
      low
        ? logger.error(
            { freeBytes, minFreeBytes },
            'disk almost full: writes are refused (clients get storage_failed), reads are served',
          )
        : logger.warn({ freeBytes }, 'disk space is back: writes resume'),
  });
  opened.store = store;
  const state: GatewayState = { ready: false, draining: false };
  const started = Date.now();
  const clock = options.clock ?? new RealClock();
  const recorder = options.record !== undefined ? new TrafficRecorder(options.record, logger, clock.now()) : undefined;
  const traffic = new ServedTraffic();
  const metrics = new Metrics(traffic, store);
  store.observeCommits(metrics);
  const boot = {
    clock,
    log: logger,
    metricsFor: (id: string) => metrics.routingFor(id),
    sessionTimes: options.sessionTimes ?? sessionTimesOf(defaults),
    reportTimeZone: reportTimeZone(options.reportTimeZone ?? UTC),
    // Benchmark switch only (docs/performance.md#reports-mon-2): measures what the rollups cost the relay. Not a product option.
    noReports: process.env.SWITCHBOARD_BENCH_NO_REPORTS === '1',
  };
  const frameRate = options.frameRate ?? { perSecond: defaults.frameRate, burst: defaults.frameBurst };
  const files = {
    maxUploadBytes: options.maxUploadBytes ?? defaults.maxUploadBytes,
    uploadIdleMs: options.uploadIdleMs ?? defaults.uploadIdleMs,
    space: store.space,
    onUploadsInFlight: (n: number) => metrics.uploadsInFlight(n),
  };
  const ops: GatewayOps = {
    metrics,
    frameRate,
    disk: () => store.space.state(),
    backup: (file: string) => store.backup(file),
    ...(options.tls ? { tls: options.tls } : {}),
  };
  const work = new WorkInFlight();
  const shared = {
    log: logger,
    state,
    ops,
    signInLimiter: new SignInLimiter(clock, options.signInLimits),
    track: (w: Promise<unknown>) => work.track(w),
  };
  const gatewayFor = (w: ServedWorkspace): WorkspaceGateway =>
    new WorkspaceGateway(w.directory, w.connections, files, workspaceRoutePrefix(w.id), shared);
  if (options.cluster) {
    const node = await ClusterNode.join(options.cluster, logger);
    opened.node = node;
    return serveClusterNode({
      options,
      node,
      store,
      logger,
      host,
      clock,
      state,
      boot,
      traffic,
      metrics,
      ops,
      work,
      files,
      gatewayFor,
      claim,
      implementation,
      started,
    });
  }
  // CLUSTER-1: every registered workspace is served, each with its own actors; SIM-2 records the default one's traffic.
  const served: ServedWorkspace[] = [];
  for (const { id } of store.workspaces()) {
    const view = id === DEFAULT_WORKSPACE ? (recorder ? recorder.wrap(store) : store) : store.workspace(id);
    const workspace = await ServedWorkspace.boot(id, view, boot);
    traffic.add(id, workspace.connections);
    served.push(workspace);
  }
  const main = served.find((w) => w.id === DEFAULT_WORKSPACE);
  if (!main) throw new Error('the store has no default workspace');
  const { directory } = main;
  const demoCredentials = options.demo === false ? [] : await seedDemo(directory, options.demoPasswordCost);
  const demoVerificationSecret = demoCredentials.length ? await seedDemoVerification(directory) : undefined;
  // Whatever boot wrote (e.g. a new visitor-id key) is on disk before the first client is served.
  await store.flush();
  for (const w of served) w.assertStored();
  const gateway = new Gateway(served.map(gatewayFor), logger, state, ops, work);
  const { port, tls } = await gateway.listen(host, options.port ?? 8080);
  if (tls?.expired) logger.warn({ tls }, 'the TLS certificate has expired: browsers will refuse it');
  state.ready = true;
  // MON-2: past days and months not kept yet are summed in the background, so long reports are fast from the start.
  for (const w of served) w.startBackground(clock);
  const disk = store.space.state().low ? { disk: 'below the reserve: writes refused' } : {};
  logger.info(
    {
      host,
      port,
      dataDir: options.dataDir,
      durability: store.durability,
      frameRate,
      recoveryMs: Date.now() - started,
      demoAccounts: demoCredentials.length,
      workspaces: served.map((w) => w.id),
      ...disk,
      ...(recorder ? { record: recorder.path } : {}),
      ...(tls ? { tls } : {}),
    },
    'switchboard listening',
  );
  const reloadTls = (): boolean => {
    try {
      const summary = gateway.reloadTls();
      logger.info({ tls: summary }, 'TLS certificate reloaded: new connections use it, open ones keep theirs');
      if (summary.expired) logger.warn({ tls: summary }, 'the TLS certificate has expired: browsers will refuse it');
      return true;
    } catch (err) {
      const code = err instanceof TlsError ? err.code : 'internal';
      logger.error({ err, code }, 'TLS certificate not reloaded: the old one stays in use');
      return false;
    }
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      state.draining = true;
      await gateway.drain();
      // MON-2: agents still online are online until now. The actors stop first and their writes settle, so the
      // presence an agent journaled as its socket closed is on disk, and nothing appends to it meanwhile.
      for (const w of served) await w.stop();
      await store.flush();
      const stoppedAt = clock.now();
      for (const w of served) await w.closePresence(stoppedAt);
      await store.flush();
      await recorder?.close();
      await store.close();
      metrics.close();
      claim.release();
      logger.info('switchboard stopped');
    })());

  return {
    host,
    port,
    demoCredentials,
    ...(demoVerificationSecret ? { demoVerificationSecret } : {}),
    uws: implementation,
    directory,
    workspaces: new Map(
      served.map((w) => [
        w.id,
        { directory: w.directory, connections: w.connections, routePrefix: workspaceRoutePrefix(w.id) },
      ]),
    ),
    store,
    metrics,
    connections: main.connections,
    tls: tls !== undefined,
    reloadTls,
    close,
  };
}
