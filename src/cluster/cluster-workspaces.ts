/**
 * CLUSTER-2/3: the workspaces a cluster node owns, taken and given up as
 * leases come and go. Taking a workspace: the lease (CAS), a claim on its
 * journal subject (fencing every earlier owner), the local view brought
 * level with the subject (catch-up.ts), then its actors booted over the
 * replicated journal and its routes switched to them. Losing it (the lease
 * taken over or lapsed, or a journal write refused): its routes switch to
 * forwarding first, so nothing new reaches the stale actors, then its
 * sockets are closed (clients reconnect, and reach the new owner) and its
 * actors stopped; their writes fail, fenced, and nothing is acknowledged.
 */
import type { LmdbStore } from '../store/lmdb-store.js';
import type { Logger } from '../logger.js';
import { ServedWorkspace, type WorkspaceBoot } from '../workspaces/served-workspace.js';
import type { WorkspaceGateway } from '../server/workspace-gateway.js';
import type { WorkspaceSwitch } from '../server/workspace-switch.js';
import type { ServedTraffic } from '../server/served-traffic.js';
import type { ClusterNode } from './cluster-node.js';
import type { Lease } from './lease.js';
import type { ClusterError } from './cluster-error.js';
import { ReplicatedJournal } from './replicated-journal.js';
import { catchUp } from './catch-up.js';

interface Held {
  lease: Lease;
  journal: ReplicatedJournal;
  served: ServedWorkspace;
}

export interface ClusterWorkspacesDeps {
  node: ClusterNode;
  store: LmdbStore;
  boot: WorkspaceBoot;
  switches: ReadonlyMap<string, WorkspaceSwitch>;
  traffic: ServedTraffic;
  /** The workspace's own routes over its actors. */
  gatewayFor(served: ServedWorkspace): WorkspaceGateway;
  /** Runs once a workspace is served here, before its routes switch to it (the demo seed of the default one). */
  prepare(served: ServedWorkspace): Promise<void>;
  log: Logger;
  /** Hand workspaces over to the node ranking first for them (default true). */
  rebalance?: boolean;
}

/** Looks in a row another node must rank first before a workspace is handed to it: a node that just joined settles first. */
const HANDOVER_LOOKS = 6;

export class ClusterWorkspaces {
  private readonly held = new Map<string, Held>();
  private readonly busy = new Set<string>();
  /** Per held workspace: looks in a row at which another node ranked first. */
  private readonly outranked = new Map<string, number>();
  private stopping = false;
  private readonly rebalance: boolean;

  constructor(private readonly deps: ClusterWorkspacesDeps) {
    this.rebalance = deps.rebalance ?? true;
  }

  /** The workspaces this node serves now, with their actors. */
  get served(): ReadonlyMap<string, ServedWorkspace> {
    return new Map([...this.held].map(([id, h]) => [id, h.served]));
  }

  /**
   * One look at every workspace: takes those with no live owner for which this node ranks first, and
   * hands over one it holds when another live node has ranked first for it at HANDOVER_LOOKS looks in a
   * row (a node joined): so workspaces spread over the nodes, one move per look at most.
   */
  async tick(): Promise<void> {
    if (this.stopping) return;
    const { node } = this.deps;
    const work: Promise<void>[] = [];
    for (const id of this.deps.switches.keys())
      if (!this.held.has(id) && !this.busy.has(id) && node.shouldTake(id)) work.push(this.take(id));
    let moved = false;
    for (const [id, held] of this.held) {
      const preferred = node.preferred(id);
      const looks = preferred !== node.nodeId ? (this.outranked.get(id) ?? 0) + 1 : 0;
      this.outranked.set(id, looks);
      if (moved || looks < HANDOVER_LOOKS || this.busy.has(id) || !this.rebalance) continue;
      moved = true;
      this.held.delete(id);
      this.outranked.delete(id);
      this.deps.log.info({ workspace: id, to: preferred }, 'cluster: workspace handed over to the node ranking first');
      work.push(
        this.giveUp(id, held, true).catch((e: unknown) =>
          this.deps.log.error({ err: e, workspace: id }, 'cluster: hand-over failed'),
        ),
      );
    }
    await Promise.all(work);
  }

  private async take(id: string): Promise<void> {
    const { node, store, log } = this.deps;
    this.busy.add(id);
    let lease: Lease | undefined;
    let served: ServedWorkspace | undefined;
    try {
      lease = await node.take(id);
      if (!lease) return;
      const started = Date.now();
      const writer = await node.journal.claim(lease, node.nodeId);
      const caught = await catchUp(node.journal, writer, store, id);
      const taken = lease;
      const journal = new ReplicatedJournal(store.workspace(id), writer, (err) => void this.lose(id, taken, err));
      served = await ServedWorkspace.boot(id, journal, this.deps.boot);
      await this.deps.prepare(served);
      await journal.settled();
      // A write of the boot refused (the node's journal then refuses all), or the lease gone meanwhile: not served.
      if (journal.failure) throw journal.failure;
      served.assertStored();
      if (this.stopping || !lease.valid()) throw new Error(`lease of ${id} lost while it was being taken`);
      const ready = served;
      this.held.set(id, { lease, journal, served: ready });
      this.deps.traffic.add(id, ready.connections);
      this.deps.switches.get(id)!.install(this.deps.gatewayFor(ready));
      ready.startBackground(this.deps.boot.clock);
      lease.onLost((err) => void this.lose(id, taken, err));
      log.info(
        { workspace: id, leaseRevision: lease.revision, ...caught, takeMs: Date.now() - started },
        'cluster: workspace taken; this node owns it',
      );
    } catch (err) {
      log.error({ err, workspace: id }, 'cluster: workspace not taken');
      if (!this.held.has(id)) {
        await served?.stop().catch(() => undefined);
        if (lease) await lease.release().catch(() => undefined);
      }
    } finally {
      this.busy.delete(id);
    }
  }

  /** The lease or the journal says this node may not write `id` any more: it stops serving it at once. */
  private async lose(id: string, lease: Lease, err: ClusterError): Promise<void> {
    const held = this.held.get(id);
    if (!held || held.lease !== lease) return;
    this.held.delete(id);
    this.deps.log.warn({ workspace: id, code: err.code, err }, 'cluster: workspace lost; this node stops serving it');
    await this.giveUp(id, held, false).catch((e: unknown) =>
      this.deps.log.error({ err: e, workspace: id }, 'cluster: stepping down failed'),
    );
  }

  private async giveUp(id: string, held: Held, graceful: boolean): Promise<void> {
    const gateway = this.deps.switches.get(id)?.uninstall();
    gateway?.closeAll();
    await held.served.stop();
    if (graceful) {
      await held.journal.settled();
      // MON-2: the agents online here are online until now; the next owner starts them offline.
      await held.served.closePresence(this.deps.boot.clock.now()).catch(() => undefined);
      await held.journal.settled();
    }
    await held.lease.release().catch(() => undefined);
    // Only this node's own entry: a refresh may already have seen the next owner.
    if (this.deps.node.ownerOf(id) === this.deps.node.nodeId) this.deps.node.setOwner(id, undefined);
  }

  /** Graceful stop: every workspace's writes settle, its presence closes, and its lease is released for the next owner. */
  async stop(): Promise<void> {
    this.stopping = true;
    while (this.busy.size) await new Promise((r) => setTimeout(r, 20));
    const all = [...this.held];
    this.held.clear();
    for (const [id, held] of all) await this.giveUp(id, held, true);
  }
}
