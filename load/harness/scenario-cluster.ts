/**
 * `cluster` (CLUSTER-4): the relay on one cluster node and on three, in one
 * run, on three nats-servers the harness starts (Debian's nats-server).
 *
 *  1. baseline: the bare echo server;
 *  2. one node owning every workspace (`--workspaces`, 6 by default, each
 *     with `--agents` agents and as many visitors per agent slot as fit in
 *     `--connections`), every client connected to it: relay max;
 *  3. two more nodes join; once the workspaces have spread (each on the
 *     node ranking first for it), every client connects to its workspace's
 *     owner: relay max again;
 *  4. the same three nodes with every client connected to a node that does
 *     not own its workspace, so each frame goes through a forwarding
 *     gateway and NATS: relay max.
 * Reported: msgs/s and relay p99 of each, the three-node ÷ one-node ratio
 * (goal ≥ 2.5), the forwarded ÷ direct ratio, and the nodes' CPU per
 * message (all node processes summed), which is the fair comparison on a
 * machine with fewer cores than nodes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { phaseNotes, type ScenarioReport, type Throughput } from './report.js';
import { connectAgents, connectVisitors, echoBaseline, timingOf, type ScenarioContext } from './scenario-context.js';
import { echoThroughput, latencyGoal, noErrorsGoal, throughput } from './scenario-goals.js';
import { runPhase, type PhaseResult } from './phase.js';
import {
  freePort,
  HOST,
  registerDataDir,
  removeDataDir,
  serverStartArgs,
  spawnNode,
  stopChild,
  threadCpuSeconds,
  waitForReadyz,
  type Child,
} from './processes.js';
import { seedBenchWorkspaces } from './bench-seed.js';
import { startNatsCluster } from './nats-servers.js';
import type { Switchboard } from './servers.js';
import { DEPARTMENT } from './scenario-context.js';
import { rankNodes } from '../../src/cluster/cluster-node.js';

const SCALE_GOAL = 2.5;
const LEASE_MS = 1500;
/** How long the workspaces may take to spread: many leases, well under a test's timeout. */
const SETTLE_MS = 45_000;

interface Node {
  id: string;
  child: Child;
  port: number;
  dataDir: string;
}

/** The node ranking first for `workspace` among `nodes`. */
const preferred = (workspace: string, nodes: readonly string[]): string => rankNodes(workspace, nodes)[0]!;

/** A node's last log lines, for a run that fails on it. */
const logTail = (n: Node): string =>
  `--- ${n.id}:\n${(n.child.stdout + n.child.stderr).trimEnd().split('\n').slice(-12).join('\n')}`;

async function owners(n: Node): Promise<Record<string, string | null>> {
  const r = await fetch(`http://${HOST}:${n.port}/clusterz`);
  return ((await r.json()) as { owners: Record<string, string | null> }).owners;
}

/** The CPU seconds the node processes used so far, summed. */
const cpuOf = (nodes: Node[]): number =>
  nodes.reduce((sum, n) => {
    let s = 0;
    for (const t of threadCpuSeconds(n.child.proc.pid).values()) s += t.user + t.system;
    return sum + s;
  }, 0);

export async function clusterScenario(ctx: ScenarioContext): Promise<Partial<ScenarioReport>> {
  const { opts, pool } = ctx;
  const echo = await echoBaseline(ctx);
  const count = opts.workspaces ?? 6;
  const ids = Array.from({ length: count }, (_, i) => `ws-${i + 1}`);
  const agentsEach = opts.agents?.[0] ?? 4;
  const maxConcurrent = opts.maxConcurrent ?? 50;
  const teardown: (() => unknown)[] = [];
  const nodes: Node[] = [];
  const phases: PhaseResult[] = [];
  const cpuUsEach: Record<string, number | undefined> = {};
  try {
    ctx.log(`starting 3 nats-servers; seeding ${count} workspaces of ${agentsEach} agents`);
    const nats = await startNatsCluster({ teardown: (fn) => teardown.push(fn) }, 3);
    const firstDir = mkdtempSync(join(tmpdir(), 'switchboard-cluster-'));
    registerDataDir(firstDir);
    const seeds = await seedBenchWorkspaces(
      { dataDir: firstDir, department: DEPARTMENT, agents: agentsEach, maxConcurrent },
      ids,
    );
    const start = async (id: string, dataDir: string): Promise<Node> => {
      const port = await freePort();
      const child = spawnNode(`switchboard ${id}`, [
        ...serverStartArgs(port, dataDir),
        '--frame-rate',
        '0',
        '--nats',
        nats.urls.join(','),
        '--node-id',
        id,
        '--lease-ms',
        String(LEASE_MS),
      ]);
      const node = { id, child, port, dataDir };
      nodes.push(node);
      await waitForReadyz(child, port, 60_000);
      return node;
    };
    const freshDir = (): string => {
      const d = mkdtempSync(join(tmpdir(), 'switchboard-cluster-'));
      registerDataDir(d);
      return d;
    };
    const settled = async (want: (ws: string) => string): Promise<void> => {
      const deadline = Date.now() + SETTLE_MS;
      for (;;) {
        const views = await Promise.all(nodes.map((n) => owners(n).catch(() => ({}) as Record<string, string | null>)));
        if (views.every((v) => ids.every((ws) => v[ws] === want(ws)))) return;
        if (Date.now() > deadline)
          throw new Error(
            `workspaces did not settle in ${SETTLE_MS / 1000} s: ${JSON.stringify(views)}\n${nodes.map(logTail).join('\n')}`,
          );
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const n1 = await start('n1', firstDir);
    await settled(() => 'n1');
    const visitorsEach = Math.max(1, Math.floor(opts.connections / count));
    /** Every workspace's agents and visitors, connected through the node `via(ws)` picks. */
    const connect = async (via: (ws: string) => Node): Promise<void> => {
      for (const ws of ids) {
        const n = via(ws);
        const base = `ws://${HOST}:${n.port}/w/${ws}`;
        const sb = {
          visitorUrl: `${base}/v1/visitor`,
          staffUrl: `${base}/v1/staff`,
          workspace: { department: DEPARTMENT, agents: seeds.get(ws)!.agents },
        } as Switchboard;
        await connectAgents(ctx, sb);
        const { queued } = await connectVisitors(ctx, sb, visitorsEach, true);
        if (queued) ctx.notes.push(`${ws}: ${queued} conversations queued (no free slot): their visitors send nothing`);
      }
    };
    const measure = async (name: string, measured: Node[]): Promise<PhaseResult> => {
      const before = cpuOf(measured);
      const t0 = Date.now();
      const phase = await runPhase(
        name,
        pool,
        () => ({ kind: 'relay', window: opts.window }),
        timingOf(opts),
        undefined,
      );
      const cpu = cpuOf(measured) - before;
      const relayed = phase.totals.relayed ?? 0;
      cpuUsEach[name] = relayed ? Math.round((cpu * 1e6) / relayed) : undefined;
      ctx.log(
        `${name}: ${phase.perSec.relayed ?? 0} msgs/s; nodes' CPU ${cpu.toFixed(1)} s in ${(Date.now() - t0) / 1000} s`,
      );
      await pool.all(() => ({ op: 'reset' }));
      phases.push(phase);
      return phase;
    };
    ctx.log(`one node: ${count} workspaces, ${visitorsEach} visitors each`);
    await connect(() => n1);
    const one = await measure('relay, one node', [n1]);

    await start('n2', freshDir());
    await start('n3', freshDir());
    const names = ['n1', 'n2', 'n3'];
    ctx.log('three nodes: waiting for the workspaces to spread');
    await settled((ws) => preferred(ws, names));
    const nodeOf = (id: string): Node => nodes.find((n) => n.id === id)!;
    const spread = Object.fromEntries(names.map((n) => [n, ids.filter((ws) => preferred(ws, names) === n).length]));
    ctx.notes.push(`three nodes: workspaces per node ${JSON.stringify(spread)}`);
    await connect((ws) => nodeOf(preferred(ws, names)));
    const three = await measure('relay, three nodes, direct', nodes);
    // Each client on the next node after its workspace's owner: every frame crosses a forwarding gateway.
    await connect((ws) => nodeOf(names[(names.indexOf(preferred(ws, names)) + 1) % names.length]!));
    const forwarded = await measure('relay, three nodes, forwarded', nodes);

    const rate = (p: PhaseResult): number => p.perSec.relayed ?? 0;
    const scale = rate(one) ? rate(three) / rate(one) : 0;
    const fwd = rate(three) ? rate(forwarded) / rate(three) : 0;
    const row = (name: string, p: PhaseResult): Throughput => ({
      ...throughput(ctx, name, p, rate(p)),
      serverUsEach: cpuUsEach[p.name],
    });
    return {
      echo,
      phases,
      throughputs: [
        echoThroughput(ctx, echo),
        row('relay msgs/s, one node', one),
        row('relay msgs/s, three nodes, direct', three),
        row('relay msgs/s, three nodes, forwarded', forwarded),
      ],
      goals: [
        {
          name: 'three nodes ÷ one node, relay msgs/s',
          target: `≥ ${SCALE_GOAL}`,
          value: scale.toFixed(2),
          met: scale >= SCALE_GOAL,
        },
        latencyGoal('relay latency, one node', one, 'relay', 10),
        latencyGoal('relay latency, three nodes', three, 'relay', 10),
        noErrorsGoal(one),
        noErrorsGoal(three),
        noErrorsGoal(forwarded),
      ],
      notes: [
        `forwarded ÷ direct relay msgs/s on three nodes: ${fwd.toFixed(2)}`,
        `node CPU µs per relayed message (all node processes): ${JSON.stringify(cpuUsEach)}`,
        `${ctx.cpus} cores for 3 nats-servers, ${nodes.length} nodes and ${pool.size} client workers: the nodes compete for the same cores, so the msgs/s ratio is bounded by the machine, not the design`,
        ...phaseNotes(echo, ctx.cpus, pool.size),
        ...phases.flatMap((p) => phaseNotes(p, ctx.cpus, pool.size)),
      ],
      extra: { cluster: { workspaces: count, agentsEach, scale, forwardedOfDirect: fwd, cpuUsEach, spread } },
    };
  } finally {
    await pool.all(() => ({ op: 'reset' })).catch(() => undefined);
    for (const n of nodes) await stopChild(n.child);
    for (const n of nodes) removeDataDir(n.dataDir);
    for (const fn of teardown.reverse()) await fn();
  }
}
