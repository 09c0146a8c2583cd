/**
 * CLUSTER-2/3: a Switchboard process as one node of a cluster. It serves
 * the same routes as a single node, for every workspace the cluster
 * registers; each workspace is owned by one node at a time
 * (cluster-workspaces.ts), whose actors write through the replicated
 * journal, and every other node forwards its clients there
 * (forward-gateway.ts, forward-target.ts). The node's local LMDB store holds the workspaces it owns
 * or has owned, level with the journal up to the sequence it records.
 */
import type { Directory } from '../../actors/directory.js';
import type { Clock } from '../../actors/clock.js';
import type { RunningServer, ServerOptions } from '../app.js';
import type { LmdbStore } from '../store/lmdb-store.js';
import type { Logger } from '../logger.js';
import {
  Gateway,
  workspaceRoutePrefix,
  type GatewayOps,
  type GatewayState,
  type WorkInFlight,
} from '../server/gateway.js';
import type { WorkspaceGateway } from '../server/workspace-gateway.js';
import { WorkspaceSwitch } from '../server/workspace-switch.js';
import type { ServedTraffic } from '../server/served-traffic.js';
import type { Metrics } from '../server/metrics.js';
import type { UwsImplementation } from '../server/uws.js';
import type { DataDirClaim } from '../store/data-dir-lock.js';
import { TlsError } from '../server/tls.js';
import type { ServedWorkspace, WorkspaceBoot } from '../workspaces/served-workspace.js';
import { DEFAULT_WORKSPACE } from '../workspaces/workspace-id.js';
import { seedDemo, seedDemoVerification, type DemoCredential } from '../seed.js';
import type { ClusterNode } from './cluster-node.js';
import { ClusterWorkspaces } from './cluster-workspaces.js';
import { ForwardGateway } from './forward-gateway.js';
import { ForwardTarget } from './forward-target.js';

export interface ClusterServe {
  options: ServerOptions;
  node: ClusterNode;
  store: LmdbStore;
  logger: Logger;
  host: string;
  clock: Clock;
  state: GatewayState;
  boot: WorkspaceBoot;
  traffic: ServedTraffic;
  metrics: Metrics;
  ops: GatewayOps;
  work: WorkInFlight;
  files: { maxUploadBytes: number };
  gatewayFor(w: ServedWorkspace): WorkspaceGateway;
  claim: DataDirClaim;
  implementation: UwsImplementation;
  started: number;
}

export async function serveClusterNode(c: ClusterServe): Promise<RunningServer> {
  const { node, store, logger, options, state } = c;
  // A file is one record, and a record travels in one journal message: uploads stay under the servers' limit.
  const uploadLimit = Math.floor(node.journal.maxPayload / 2);
  if (c.files.maxUploadBytes > uploadLimit) {
    logger.warn(
      { maxUploadBytes: c.files.maxUploadBytes, natsMaxPayload: node.journal.maxPayload, limit: uploadLimit },
      'cluster: uploads are limited to half the NATS servers max_payload',
    );
    c.files.maxUploadBytes = uploadLimit;
  }
  // Workspaces this store holds join the cluster's registry; the cluster serves the registry's.
  for (const { id } of store.workspaces()) await node.register(id);
  const ids = await node.workspaces();
  for (const id of ids) if (!store.workspaces().some((w) => w.id === id)) await store.createWorkspace(id);
  const forwarder = new ForwardGateway(node.nc, node.nodeId, node, logger);
  node.onOwnerChange((ws) => forwarder.ownerChanged(ws));
  const switches = new Map(ids.map((id) => [id, new WorkspaceSwitch(id, workspaceRoutePrefix(id), forwarder)]));
  let loopback: string | undefined;
  const target = new ForwardTarget(
    node.nc,
    node.nodeId,
    (ws) => switches.get(ws)?.gateway,
    () => loopback,
    logger,
  );
  c.ops.cluster = () => ({
    node: node.nodeId,
    live: node.liveNodes(),
    owners: Object.fromEntries(ids.map((id) => [id, node.ownerOf(id) ?? null])),
  });
  const gateway = new Gateway([...switches.values()], logger, state, c.ops, c.work);
  const { port, tls } = await gateway.listen(c.host, options.port ?? 8080);
  const reachable = c.host === '0.0.0.0' || c.host === '::' ? '127.0.0.1' : c.host;
  loopback = `${tls ? 'https' : 'http'}://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
  state.ready = true;

  let demoCredentials: DemoCredential[] = [];
  let demoVerificationSecret: string | undefined;
  const owned = new ClusterWorkspaces({
    node,
    store,
    boot: c.boot,
    switches,
    traffic: c.traffic,
    gatewayFor: c.gatewayFor,
    prepare: async (served) => {
      if (served.id !== DEFAULT_WORKSPACE || options.demo === false) return;
      const made = await seedDemo(served.directory, options.demoPasswordCost);
      if (!made.length) return;
      demoCredentials = made;
      demoVerificationSecret = await seedDemoVerification(served.directory);
    },
    log: logger,
  });
  // The first look takes what this node should own before the start is reported.
  await owned.tick();
  const leaseMs = options.cluster!.leaseMs;
  node.start(Math.max(50, Math.floor(leaseMs / 3)), () =>
    owned.tick().catch((err: unknown) => logger.error({ err }, 'cluster: a look at the workspaces failed')),
  );
  logger.info(
    {
      host: c.host,
      port,
      dataDir: options.dataDir,
      durability: 'cluster',
      node: node.nodeId,
      nats: options.cluster!.servers,
      leaseMs,
      recoveryMs: Date.now() - c.started,
      demoAccounts: demoCredentials.length,
      workspaces: ids,
      owned: [...owned.served.keys()],
      ...(tls ? { tls } : {}),
    },
    'switchboard listening',
  );

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      state.draining = true;
      await gateway.drain();
      await owned.stop();
      forwarder.close();
      target.close();
      await node.stop();
      await store.flush();
      await store.close();
      c.metrics.close();
      c.claim.release();
      logger.info('switchboard stopped');
    })());
  const defaultServed = (): ServedWorkspace => {
    const w = owned.served.get(DEFAULT_WORKSPACE);
    if (!w) throw new Error(`node ${node.nodeId} does not own the default workspace now`);
    return w;
  };
  return {
    host: c.host,
    port,
    demoCredentials,
    ...(demoVerificationSecret ? { demoVerificationSecret } : {}),
    uws: c.implementation,
    get directory(): Directory {
      return defaultServed().directory;
    },
    get workspaces() {
      return new Map(
        [...owned.served].map(([id, w]) => [
          id,
          { directory: w.directory, connections: w.connections, routePrefix: workspaceRoutePrefix(id) },
        ]),
      );
    },
    get connections() {
      return defaultServed().connections;
    },
    store,
    metrics: c.metrics,
    tls: tls !== undefined,
    reloadTls: () => {
      try {
        logger.info(
          { tls: gateway.reloadTls() },
          'TLS certificate reloaded: new connections use it, open ones keep theirs',
        );
        return true;
      } catch (err) {
        logger.error({ err, code: err instanceof TlsError ? err.code : 'internal' }, 'TLS certificate not reloaded');
        return false;
      }
    },
    cluster: {
      nodeId: node.nodeId,
      owners: () => Object.fromEntries(ids.map((id) => [id, node.ownerOf(id) ?? null])),
    },
    close,
  };
}
