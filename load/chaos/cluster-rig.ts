/**
 * The chaos harness's cluster (`npm run chaos -- --cluster`, CLUSTER-3):
 * three nats-servers and three Switchboard nodes on loopback. The node
 * ranking first for the workspace owns it; the clients go through another
 * node (the gateway), which forwards them. A cycle kills the owner with
 * SIGKILL; a live node takes the workspace over from the replicated
 * journal; the killed node is started again on its data directory, and the
 * workspace is handed back to it (it ranks first) before the clients
 * reconnect, so every cycle kills an owner that carries traffic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startNatsCluster } from '../harness/nats-servers.js';
import {
  freePort,
  killSwitchboard,
  LOOPBACK,
  startSwitchboard,
  type SwitchboardProcess,
} from './switchboard-process.js';
import { rankNodes } from '../../src/cluster/cluster-node.js';

const LEASE_MS = 1200;
const WORKSPACE = 'default';
const NODES = ['n1', 'n2', 'n3'];

interface RigNode {
  id: string;
  dataDir: string;
  port: number;
  proc: SwitchboardProcess;
}

/** The node ranking first for `workspace` among `nodes`. */
const preferred = (workspace: string, nodes: readonly string[]): string => rankNodes(workspace, nodes)[0]!;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class ClusterRig {
  private constructor(
    private readonly nodes: RigNode[],
    private readonly args: string[],
    private readonly ownerId: string,
    private readonly gateway: RigNode,
  ) {}

  /** The clients' way in: the gateway node, which never owns the workspace at a cycle's start. */
  get gatewayUrl(): string {
    return `ws://${LOOPBACK}:${this.gateway.port}`;
  }

  get owner(): SwitchboardProcess {
    return this.node(this.ownerId).proc;
  }

  /** `seededDir` holds the seeded workspace: its node starts first, alone, and uploads it to the journal. */
  static async start(
    seededDir: string,
    firstPort: number,
    teardown: (() => unknown)[],
    log: (line: string) => void,
  ): Promise<ClusterRig> {
    const nats = await startNatsCluster({ teardown: (fn) => teardown.push(fn) }, 3);
    const args = ['--frame-rate', '0', '--nats', nats.urls.join(','), '--lease-ms', String(LEASE_MS)];
    const nodes: RigNode[] = [];
    teardown.push(async () => {
      for (const n of nodes) await killSwitchboard(n.proc, 'SIGTERM');
      for (const n of nodes.slice(1)) rmSync(n.dataDir, { recursive: true, force: true });
    });
    for (const [i, id] of NODES.entries()) {
      const dataDir = i === 0 ? seededDir : mkdtempSync(join(tmpdir(), 'switchboard-chaos-node-'));
      const port = i === 0 ? firstPort : await freePort();
      const proc = await startSwitchboard({ dataDir, port, args: [...args, '--node-id', id], timeoutMs: 60_000 });
      nodes.push({ id, dataDir, port, proc });
    }
    const ownerId = preferred(WORKSPACE, NODES);
    const gateway = nodes.find((n) => n.id !== ownerId)!;
    const rig = new ClusterRig(nodes, args, ownerId, gateway);
    await rig.ownedBy(ownerId);
    log(
      `cluster: nats-servers ${nats.urls.join(', ')}; ${ownerId} owns the workspace, clients go through ${gateway.id}`,
    );
    return rig;
  }

  /** Resolves (performance.now()) once the gateway sees a node other than the killed owner own the workspace. */
  async takenOver(): Promise<number> {
    await this.until(async (owner) => owner !== null && owner !== this.ownerId);
    return performance.now();
  }

  /** Starts the killed owner again on its data; resolves once the workspace is back with it. */
  async restartOwner(): Promise<SwitchboardProcess> {
    const n = this.node(this.ownerId);
    n.proc = await startSwitchboard({
      dataDir: n.dataDir,
      port: n.port,
      args: [...this.args, '--node-id', n.id],
      timeoutMs: 60_000,
    });
    await this.ownedBy(this.ownerId);
    return n.proc;
  }

  private node(id: string): RigNode {
    return this.nodes.find((n) => n.id === id)!;
  }

  private ownedBy(id: string): Promise<void> {
    return this.until(async (owner) => owner === id);
  }

  private async until(check: (owner: string | null) => Promise<boolean>, ms = 60_000): Promise<void> {
    const deadline = performance.now() + ms;
    for (;;) {
      const owner = await fetch(`http://${LOOPBACK}:${this.gateway.port}/clusterz`, {
        signal: AbortSignal.timeout(1000),
      })
        .then((r) => r.json() as Promise<{ owners: Record<string, string | null> }>)
        .then((v) => v.owners[WORKSPACE] ?? null)
        .catch(() => null);
      if (await check(owner)) return;
      if (performance.now() > deadline) throw new Error(`cluster: the workspace's owner did not settle (${owner})`);
      await pause(50);
    }
  }
}
