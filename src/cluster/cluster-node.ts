/**
 * CLUSTER-2: one Switchboard node's place in the cluster: its NATS
 * connection, its heartbeat in the node bucket, the workspace registry, the
 * lease bucket and the journal stream, and the view of who owns what.
 *
 * Who takes a free workspace: every node ranks the live nodes for each
 * workspace by a hash of (workspace, node) (rendezvous hashing), and only
 * the first of them tries to take a workspace that has no live owner. The
 * lease's compare-and-set, not the ranking, makes ownership exclusive: two
 * nodes that see different live sets still cannot both hold it. A node is
 * live while its key in `switchboard-nodes` is younger than the bucket's
 * max age (two lease durations).
 */
import { createHash } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { RealClock } from '../../actors/clock.js';
import type { Logger } from '../logger.js';
import { LeaseBucket, type Lease } from './lease.js';
import { JournalStream } from './journal-stream.js';
import { Packr } from 'msgpackr';
import type { OwnerView } from './forward-wire.js';
import { ClusterError } from './cluster-error.js';

const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false });

export interface ClusterOptions {
  /** NATS server URLs (several, so a node survives one server's loss). */
  servers: string[];
  /** This node's id: [A-Za-z0-9_-]{1,64}, unique in the cluster. */
  nodeId: string;
  /** How long a workspace lease lasts unrenewed: the failover bound's main term. */
  leaseMs: number;
  /** Replicas of the buckets and the journal stream (3 in production and tests). */
  replicas?: number;
}

/** What a node's key in the node bucket says: for operators, and for nodes to know who is live. */
interface NodeRecord {
  startedAt: number;
  at: number;
}

/** Rendezvous hashing: `nodes` in their order of preference for `workspace`, the same on every node. */
export function rankNodes(workspace: string, nodes: readonly string[]): string[] {
  const score = (node: string): string => createHash('sha1').update(`${workspace}\0${node}`).digest('hex');
  return [...nodes].sort((a, b) => (score(a) < score(b) ? 1 : -1));
}

/**
 * A bucket's keys, read within `ms`. nats.js ends a key listing when the last key or an idle heartbeat
 * arrives; on a bucket whose keys expire (the node bucket) a listing can wait for a key that expired
 * after it was counted and never end, which would freeze a node's view of the cluster (seen under load:
 * a node that never handed a workspace over to the nodes that joined).
 */
export async function keysWithin(kv: Pick<KV, 'keys'>, ms: number): Promise<string[]> {
  const listing = await kv.keys();
  const keys: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((done) => {
    timer = setTimeout(() => done('timeout'), ms);
  });
  const read = (async () => {
    for await (const k of listing) keys.push(k);
    return 'read' as const;
  })();
  // A listing that fails after it timed out fails unheard: its look has already failed.
  read.catch(() => undefined);
  try {
    if ((await Promise.race([read, timedOut])) === 'timeout') {
      listing.stop();
      throw new ClusterError('unavailable', `a key listing took over ${ms} ms`);
    }
    return keys;
  } finally {
    clearTimeout(timer);
  }
}

export class ClusterNode implements OwnerView {
  private readonly owners = new Map<string, string>();
  private readonly live = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly ownerListeners: ((workspace: string) => void)[] = [];
  private stopped = false;

  private constructor(
    readonly nc: NatsConnection,
    readonly options: ClusterOptions,
    readonly leases: LeaseBucket,
    readonly journal: JournalStream,
    private readonly nodes: KV,
    readonly registry: KV,
    private readonly log: Logger,
  ) {}

  get nodeId(): string {
    return this.options.nodeId;
  }

  static async join(options: ClusterOptions, log: Logger): Promise<ClusterNode> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(options.nodeId))
      throw new ClusterError('invalid_name', `node id ${JSON.stringify(options.nodeId)} is not [A-Za-z0-9_-]{1,64}`);
    const nc = await connect({
      servers: options.servers,
      name: `switchboard-${options.nodeId}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      // A server that stops answering is noticed within a few seconds, not the default two minutes.
      pingInterval: 2000,
      maxPingOut: 2,
    });
    try {
      const replicas = options.replicas ?? 3;
      const kvm = new Kvm(nc);
      // Leases run on the real clock whatever clock the actors use: other processes share them.
      const leases = await LeaseBucket.open(nc, {
        nodeId: options.nodeId,
        clock: new RealClock(),
        ttlMs: options.leaseMs,
        replicas,
      });
      const journal = await JournalStream.open(nc, { replicas });
      const nodes = await kvm.create('switchboard-nodes', {
        replicas,
        history: 1,
        allow_direct: false,
        ttl: options.leaseMs * 2,
      });
      const registry = await kvm.create('switchboard-workspaces', { replicas, history: 1, allow_direct: false });
      const node = new ClusterNode(nc, options, leases, journal, nodes, registry, log);
      await node.beat(Date.now());
      await node.refresh();
      return node;
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw err;
    }
  }

  /** Registers `workspace` in the cluster (a no-op when it is there). */
  async register(workspace: string): Promise<void> {
    try {
      await this.registry.create(workspace, packr.pack({ createdAt: Date.now(), by: this.nodeId }));
    } catch (err) {
      if (!(await this.registry.get(workspace))) throw err;
    }
  }

  /** The workspaces the cluster serves. */
  async workspaces(): Promise<string[]> {
    return (await keysWithin(this.registry, this.options.leaseMs)).sort();
  }

  /** The nodes this node saw live at its last look. */
  liveNodes(): string[] {
    return [...this.live].sort();
  }

  ownerOf(workspace: string): string | undefined {
    return this.owners.get(workspace);
  }

  /** Calls `fn` with a workspace whose owner changed as this node sees it. */
  onOwnerChange(fn: (workspace: string) => void): void {
    this.ownerListeners.push(fn);
  }

  /** Whether this node should try to take `workspace`: it has no live owner and this node ranks first. */
  shouldTake(workspace: string): boolean {
    const owner = this.owners.get(workspace);
    if (owner !== undefined && (owner === this.nodeId || this.live.has(owner))) return false;
    return this.rank(workspace)[0] === this.nodeId;
  }

  /** The live node that ranks first for `workspace` (this one when alone). */
  preferred(workspace: string): string {
    return this.rank(workspace)[0]!;
  }

  /** The live nodes (this one included) in their order of preference for `workspace`. */
  rank(workspace: string): string[] {
    return rankNodes(workspace, [...new Set([...this.live, this.nodeId])]);
  }

  /** Tries to take `workspace`'s lease; undefined when another node holds it. */
  async take(workspace: string): Promise<Lease | undefined> {
    try {
      const lease = await this.leases.acquire(workspace);
      this.setOwner(workspace, this.nodeId);
      return lease;
    } catch (err) {
      if (err instanceof ClusterError && err.code === 'lease_held') return undefined;
      throw err;
    }
  }

  /** Starts the heartbeat and the periodic refresh of owners and live nodes. */
  start(every: number, tick: () => Promise<void>): void {
    const startedAt = Date.now();
    let looking = false;
    this.timers.push(
      setInterval(() => {
        if (this.stopped) return;
        this.beat(startedAt).catch((err: unknown) => this.log.warn({ err }, 'cluster heartbeat failed'));
        // One look at a time: overlapping refreshes could record owners out of order.
        if (looking) return;
        looking = true;
        // The look is not awaited: a take or a hand-over may take seconds, and the view must go on refreshing.
        this.refresh()
          .then(
            () => void tick(),
            (err: unknown) => this.log.warn({ err }, 'cluster view not refreshed'),
          )
          .finally(() => (looking = false));
      }, every),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.nodes.delete(this.nodeId).catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
  }

  private async beat(startedAt: number): Promise<void> {
    const record: NodeRecord = { startedAt, at: Date.now() };
    await this.nodes.put(this.nodeId, packr.pack(record));
  }

  /** Reads who is live and who owns each registered workspace. */
  private async refresh(): Promise<void> {
    const live = await keysWithin(this.nodes, this.options.leaseMs);
    this.live.clear();
    for (const n of live) this.live.add(n);
    for (const ws of await this.workspaces()) {
      const state = await this.leases.inspect(ws);
      this.setOwner(ws, state?.record.holder);
    }
  }

  setOwner(workspace: string, owner: string | undefined): void {
    if (this.owners.get(workspace) === owner) return;
    if (owner === undefined) this.owners.delete(workspace);
    else this.owners.set(workspace, owner);
    for (const fn of this.ownerListeners) fn(workspace);
  }
}
