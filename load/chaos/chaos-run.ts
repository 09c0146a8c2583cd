/**
 * The chaos harness (OPS-1, OPS-2): a real server process under steady
 * traffic from visitors and agents is killed with SIGKILL at a random
 * moment, restarted on the same data directory, audited, and every client
 * reconnects and resumes; then the next cycle. Used by `npm run chaos`
 * (load/chaos/chaos.ts) and, short, by test/chaos.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Ledger } from './chaos-ledger.js';
import { Auditor, type QueueSnapshot } from './chaos-audit.js';
import { ChaosAgent } from './chaos-agent.js';
import { ChaosVisitor } from './chaos-visitor.js';
import { seedWorkspace } from './workspace-seed.js';
import { ClusterRig } from './cluster-rig.js';
import {
  freePort,
  killSwitchboard,
  LOOPBACK,
  startSwitchboard,
  type SwitchboardProcess,
} from './switchboard-process.js';

export interface ChaosOptions {
  cycles: number;
  visitors: number;
  /** Agents in each department (one department per entry). */
  agentsPerDepartment: number[];
  /** Each agent's capacity: small, so that a queue forms. */
  maxConcurrent: number;
  /** The kill comes at a random moment this many ms into a cycle's traffic. */
  killAfterMs: [number, number];
  /** Mean ms between two actions of one visitor, and of one agent. */
  visitorEveryMs: number;
  agentEveryMs: number;
  seed: number;
  /** Give up (and fail) after this long in all. */
  timeLimitMs: number;
  /**
   * CLUSTER-3: three nats-servers and three nodes; the clients go through a node that does not own the
   * workspace, and each cycle kills the owner, which a live node takes over from the replicated journal.
   */
  cluster: boolean;
  log: (line: string) => void;
}

export const defaultChaosOptions: ChaosOptions = {
  cycles: 100,
  visitors: 50,
  agentsPerDepartment: [3, 2],
  maxConcurrent: 2,
  killAfterMs: [500, 2500],
  visitorEveryMs: 400,
  agentEveryMs: 150,
  seed: 1,
  timeLimitMs: 30 * 60_000,
  cluster: false,
  log: () => undefined,
};

export interface CycleFigures {
  cycle: number;
  killedAfterMs: number;
  /** Spawn to /readyz 200 of the restarted process. */
  restartMs: number;
  /** Cluster: the kill until a live node owned the workspace. */
  takeoverMs?: number;
  conversationsAudited: number;
  ackedMessagesChecked: number;
  eventsChecked: number;
  waitingAtKill: number;
  failures: number;
}

export interface ChaosReport {
  cycles: CycleFigures[];
  kills: number;
  ackedMessagesChecked: number;
  /** In the final audit of every conversation, after the last restart. */
  finalAckedMessages: number;
  conversations: number;
  transfersAcked: number;
  resolvesAcked: number;
  restartMeanMs: number;
  restartMaxMs: number;
  /** Cluster: the kill until a live node owned the workspace, over the cycles. */
  takeoverMeanMs?: number;
  takeoverMaxMs?: number;
  failures: string[];
}

/** Small seeded PRNG (mulberry32): a run's choices repeat with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const round = (n: number): number => Math.round(n);

export async function runChaos(partial: Partial<ChaosOptions> = {}): Promise<ChaosReport> {
  const o: ChaosOptions = { ...defaultChaosOptions, ...partial };
  const random = seededRandom(o.seed);
  const deadline = performance.now() + o.timeLimitMs;
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-chaos-'));
  const ledger = new Ledger();
  const report: ChaosReport = {
    cycles: [],
    kills: 0,
    ackedMessagesChecked: 0,
    finalAckedMessages: 0,
    conversations: 0,
    transfersAcked: 0,
    resolvesAcked: 0,
    restartMeanMs: 0,
    restartMaxMs: 0,
    failures: ledger.failures,
  };
  let server: SwitchboardProcess | undefined;
  const teardown: (() => unknown)[] = [];
  let ticker: NodeJS.Timeout | undefined;
  const agents: ChaosAgent[] = [];
  const visitors: ChaosVisitor[] = [];
  try {
    const workspace = await seedWorkspace(dataDir, {
      agentsPerDepartment: o.agentsPerDepartment,
      maxConcurrent: o.maxConcurrent,
    });
    const port = await freePort();
    let url = `ws://${LOOPBACK}:${port}`;
    let cluster: ClusterRig | undefined;
    if (o.cluster) {
      cluster = await ClusterRig.start(dataDir, port, teardown, o.log);
      url = cluster.gatewayUrl;
      server = cluster.owner;
    } else server = await startSwitchboard({ dataDir, port });
    for (const account of workspace.agents) {
      const colleagues = workspace.agents.filter((a) => a.department === account.department && a.id !== account.id);
      agents.push(
        new ChaosAgent(
          account,
          colleagues,
          workspace.departments.filter((d) => d !== account.department),
          ledger,
          random,
        ),
      );
    }
    for (let i = 0; i < o.visitors; i++)
      visitors.push(new ChaosVisitor(`v${i + 1}`, workspace.departments, ledger, random));
    for (const a of agents) await a.connect(url);
    await Promise.all(visitors.map((v) => v.connect(url)));

    const TICK_MS = 20;
    const startTraffic = (): void => {
      ticker = setInterval(() => {
        for (const v of visitors) if (random() < TICK_MS / o.visitorEveryMs) v.act();
        for (const a of agents) if (random() < TICK_MS / o.agentEveryMs) a.act();
      }, TICK_MS);
    };
    const stopTraffic = (): void => clearInterval(ticker);

    for (let cycle = 1; cycle <= o.cycles; cycle++) {
      if (performance.now() > deadline) {
        ledger.fail(`time limit of ${o.timeLimitMs} ms reached after ${cycle - 1} cycles`);
        break;
      }
      const failuresBefore = ledger.failures.length;
      const watcher = await Auditor.connect(url, workspace.auditorToken, ledger, workspace.departments);
      startTraffic();
      const killedAfterMs = round(o.killAfterMs[0] + random() * (o.killAfterMs[1] - o.killAfterMs[0]));
      await pause(killedAfterMs);
      // The queues as they were a moment before the kill; the process dies with traffic in flight.
      const before: QueueSnapshot = await watcher.queues();
      server.proc.kill('SIGKILL');
      report.kills++;
      stopTraffic();
      await killSwitchboard(server);
      const killedAt = performance.now();
      watcher.close();
      let takeoverMs: number | undefined;
      if (cluster) takeoverMs = round((await cluster.takenOver()) - killedAt);
      while ([...agents, ...visitors].some((c) => c.connected)) await pause(5);

      server = cluster ? await cluster.restartOwner() : await startSwitchboard({ dataDir, port });
      const auditor = await Auditor.connect(url, workspace.auditorToken, ledger, workspace.departments);
      const figures = await auditor.audit({ before });
      const { assigned, openOf } = auditor.expectations();
      auditor.close();
      // ROUTE-11, CLUSTER-3: no agent serves more than its capacity, whatever the kill (or the takeover) interrupted.
      for (const [agentId, served] of assigned)
        if (served.size > o.maxConcurrent)
          ledger.fail(
            `cycle ${cycle}: ${agentId} serves ${served.size} conversations, over its capacity ${o.maxConcurrent}`,
          );
      for (const a of agents) await a.connect(url, assigned.get(a.id) ?? new Set());
      await Promise.all(visitors.map((v) => v.connect(url, (visitorId) => openOf.get(visitorId))));
      const waitingAtKill = [...before.values()].reduce((n, q) => n + q.length, 0);
      const row: CycleFigures = {
        cycle,
        killedAfterMs,
        restartMs: round(server.readyMs),
        ...(takeoverMs !== undefined ? { takeoverMs } : {}),
        conversationsAudited: figures.conversations,
        ackedMessagesChecked: figures.messagesChecked,
        eventsChecked: figures.eventsChecked,
        waitingAtKill,
        failures: ledger.failures.length - failuresBefore,
      };
      report.cycles.push(row);
      report.ackedMessagesChecked += figures.messagesChecked;
      o.log(
        `cycle ${cycle}/${o.cycles}: killed after ${killedAfterMs} ms with ${waitingAtKill} waiting; ${takeoverMs !== undefined ? `taken over in ${takeoverMs} ms; ` : ''}restart ${row.restartMs} ms; ` +
          `${row.conversationsAudited} conversations, ${row.ackedMessagesChecked} acked messages and ${row.eventsChecked} received events checked; ${row.failures} failures`,
      );
      for (const f of ledger.failures.slice(failuresBefore, failuresBefore + 5)) o.log(`  FAIL ${f}`);
    }

    // The retries after the last restart, and a last look at every conversation.
    startTraffic();
    await pause(500);
    stopTraffic();
    await pause(500);
    const final = await Auditor.connect(url, workspace.auditorToken, ledger, workspace.departments);
    const figures = await final.audit({ all: true });
    final.close();
    report.finalAckedMessages = figures.messagesChecked;
    report.conversations = ledger.conversations.size;
  } finally {
    clearInterval(ticker);
    for (const c of [...agents, ...visitors]) c.disconnect();
    if (server) await killSwitchboard(server, 'SIGTERM');
    for (const fn of teardown.reverse()) await fn();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const takeovers = report.cycles.flatMap((c) => (c.takeoverMs !== undefined ? [c.takeoverMs] : []));
  if (takeovers.length) {
    report.takeoverMeanMs = round(takeovers.reduce((a, b) => a + b, 0) / takeovers.length);
    report.takeoverMaxMs = Math.max(...takeovers);
  }
  const restarts = report.cycles.map((c) => c.restartMs);
  report.restartMeanMs = restarts.length ? round(restarts.reduce((a, b) => a + b, 0) / restarts.length) : 0;
  report.restartMaxMs = restarts.length ? Math.max(...restarts) : 0;
  report.transfersAcked = agents.reduce((n, a) => n + a.transfersAcked, 0);
  report.resolvesAcked = agents.reduce((n, a) => n + a.resolvesAcked, 0);
  return report;
}
