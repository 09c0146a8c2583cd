/**
 * The load harness (`npm run load -- <scenario> [flags]`): real WebSocket
 * clients, spread over several worker processes, drive a real Switchboard
 * (started here as a child process on a fresh data directory, or given by
 * --url) and, in the same run, the bare uWebSockets.js echo server as a
 * baseline. It prints throughputs (also as ratios against the echo),
 * p50/p90/p99/max latencies, the server's CPU and RSS, errors by code, and
 * whether each of the scenario's goals was met, as tables and as one JSON
 * line (`--json` prints only the JSON). Scenarios: load/harness/scenario-*.ts; how to
 * run them and the latest figures: docs/performance.md.
 *
 * Everything runs on 127.0.0.1, bounded in clients and time (a run that
 * overruns its watchdog is stopped); every child process is killed and every
 * data directory deleted on exit, error or interrupt.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { seedBenchWorkspace } from './bench-seed.js';
import {
  parseHarnessArgs,
  USAGE,
  UsageError,
  type HarnessOptions,
  type ScenarioName,
  type SeedOptions,
} from './harness-options.js';
import { stopAllChildren } from './processes.js';
import { serverNodeFlags } from './servers.js';
import { reportText, type ScenarioReport } from './report.js';
import { assignScenario } from './scenario-assign.js';
import { clusterScenario } from './scenario-cluster.js';
import { connectionsScenario } from './scenario-connections.js';
import { DEPARTMENT, type ScenarioContext } from './scenario-context.js';
import { mixedScenario } from './scenario-mixed.js';
import { relayScenario } from './scenario-relay.js';
import { WorkerPool } from './worker-pool.js';

const RUNNERS: Record<ScenarioName, (ctx: ScenarioContext) => Promise<Partial<ScenarioReport>>> = {
  relay: relayScenario,
  connections: connectionsScenario,
  assign: assignScenario,
  mixed: mixedScenario,
  cluster: clusterScenario,
};

/** Set-up (seeding, connecting) allowance on top of the measured phases, per server started. */
const SETUP_ALLOWANCE_S = 120;

function watchdogSeconds(opts: HarnessOptions): number {
  const runs = opts.scenario === 'assign' ? (opts.agents?.length ?? 3) : 1;
  const phases = opts.scenario === 'relay' ? 2 : opts.scenario === 'cluster' ? 3 : 1;
  return Math.ceil((runs * phases + 1) * (opts.warmupS + opts.durationS + 15) + runs * SETUP_ALLOWANCE_S);
}

export async function runScenario(opts: HarnessOptions, log: (s: string) => void): Promise<ScenarioReport> {
  const pool = await WorkerPool.start(opts.workers);
  try {
    const clockSkewMs = await pool.clockSkewMs();
    const ctx: ScenarioContext = {
      opts,
      pool,
      log,
      timing: { warmupMs: opts.warmupS * 1000, durationMs: opts.durationS * 1000, drainMs: 5000 },
      notes: [],
      echoMsgsPerSec: 0,
      cpus: availableParallelism(),
      profiles: {},
    };
    const r = await RUNNERS[opts.scenario](ctx);
    const extra: Record<string, unknown> = { ...(r.extra ?? {}) };
    if (Object.keys(ctx.profiles).length) extra.profiles = ctx.profiles;
    return {
      scenario: opts.scenario,
      at: new Date().toISOString(),
      command: `npm run load -- ${process.argv.slice(2).join(' ')}`.trim(),
      node: process.version,
      cpus: ctx.cpus,
      workers: opts.workers,
      clockSkewMs,
      echo: r.echo,
      echoMsgsPerSec: ctx.echoMsgsPerSec,
      phases: r.phases ?? [],
      throughputs: r.throughputs ?? [],
      goals: r.goals ?? [],
      notes: [...ctx.notes, ...(r.notes ?? [])],
      extra,
    };
  } finally {
    await pool.stop();
  }
}

function profileText(report: ScenarioReport): string {
  const profiles = report.extra.profiles as
    | Record<string, { file: string; window: boolean; functions: { name: string; selfMs: number; selfPct: number }[] }>
    | undefined;
  if (!profiles) return '';
  const lines: string[] = [];
  for (const [tag, p] of Object.entries(profiles)) {
    lines.push(`server CPU profile ${tag} (${p.window ? 'measurement window' : 'whole run'}): ${p.file}`);
    for (const f of p.functions)
      lines.push(`  ${String(f.selfPct).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.name}`);
  }
  return `${lines.join('\n')}\n\n`;
}

async function seed(opts: SeedOptions): Promise<void> {
  const { agents, supervisor } = await seedBenchWorkspace({
    dataDir: opts.dataDir,
    department: DEPARTMENT,
    agents: opts.agents,
    maxConcurrent: opts.maxConcurrent,
    supervisor: true,
  });
  const json = `${JSON.stringify({ department: DEPARTMENT, agents, supervisor })}\n`;
  if (opts.out) {
    writeFileSync(opts.out, json, { mode: 0o600 });
    process.stderr.write(
      `load: seeded ${opts.agents} agents into ${opts.dataDir}; workspace file (tokens: keep it private) ${opts.out}\n`,
    );
  } else process.stdout.write(json);
}

async function main(): Promise<void> {
  const parsed = parseHarnessArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (parsed.kind === 'seed') return seed(parsed.opts);
  const opts = parsed.opts;
  // A bad LOAD_SERVER_NODE_FLAGS fails the run before the echo baseline and the seeding, not after them.
  serverNodeFlags();
  const log = (s: string): void => {
    process.stderr.write(`load ${opts.scenario}: ${s}\n`);
  };
  const stopEverything = (why: string, code: number): void => {
    log(`${why}: stopping every child process`);
    void stopAllChildren().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stopEverything('SIGINT', 130));
  process.once('SIGTERM', () => stopEverything('SIGTERM', 143));
  const watchdog = setTimeout(
    () => stopEverything(`still running after ${watchdogSeconds(opts)} s`, 1),
    watchdogSeconds(opts) * 1000,
  );
  watchdog.unref();

  const report = await runScenario(opts, log);
  if (!opts.json) process.stdout.write(reportText(report) + profileText(report));
  process.stdout.write(`${JSON.stringify(report)}\n`);
  clearTimeout(watchdog);
}

main().catch(async (err: unknown) => {
  process.stderr.write(
    `load failed: ${err instanceof UsageError ? `${err.message}\n${USAGE}` : ((err as Error).stack ?? String(err))}\n`,
  );
  process.exitCode = err instanceof UsageError ? 2 : 1;
  await stopAllChildren();
});
