/**
 * What every scenario shares: its options, the client workers, the echo
 * baseline, starting Switchboard (or using the one given by --url), putting
 * agents and visitors on the workers, the paced relay run. Turning phases into
 * goals and table rows: scenario-goals.ts.
 */
import { join } from 'node:path';
import type { HarnessOptions } from './harness-options.js';
import { stopChild } from './processes.js';
import { runPhase, type PhaseResult, type PhaseTiming } from './phase.js';
import { topSelfTime, type ProfileSummary } from './profile-summary.js';
import { externalSwitchboard, startEchoServer, startSwitchboard, type Switchboard } from './servers.js';
import { deal, rateShares, shares, type WorkerPool } from './worker-pool.js';
import type { ConnectResult } from './worker-protocol.js';

export const DEPARTMENT = 'bench';

export interface ScenarioContext {
  opts: HarnessOptions;
  pool: WorkerPool;
  log: (s: string) => void;
  timing: PhaseTiming;
  notes: string[];
  /** Set once the echo baseline ran. */
  echoMsgsPerSec: number;
  cpus: number;
  /** Server CPU profile summaries (--profile), by run tag. */
  profiles: Record<string, ProfileSummary>;
}

export function timingOf(opts: HarnessOptions, drainMs = 5000): PhaseTiming {
  return { warmupMs: opts.warmupS * 1000, durationMs: opts.durationS * 1000, drainMs };
}

/** The echo baseline needs no long warm-up or window, whatever the scenario's. */
const ECHO_MAX_WARMUP_MS = 1000;
const ECHO_MAX_DURATION_MS = 5000;

/**
 * The bare uWebSockets.js echo server driven by the same workers and frames:
 * `connections` sockets (spread over the workers), each with `window` frames
 * in flight. Its msgs/s is the denominator of every ratio in the report.
 */
export async function echoBaseline(ctx: ScenarioContext): Promise<PhaseResult> {
  const { opts, pool } = ctx;
  ctx.log(`baseline: bare uWS echo, ${opts.connections} connections x window ${opts.window}`);
  const echo = await startEchoServer();
  try {
    if (!echo.native) ctx.notes.push('the echo server ran the pure-JS uWebSockets.js fallback, not the native binary');
    const counts = shares(opts.connections, pool.size);
    await pool.all((i) => (counts[i] ? { op: 'connectEcho', url: echo.url, count: counts[i] ?? 0 } : undefined));
    const t = timingOf(opts, 3000);
    const timing = {
      ...t,
      warmupMs: Math.min(t.warmupMs, ECHO_MAX_WARMUP_MS),
      durationMs: Math.min(t.durationMs, ECHO_MAX_DURATION_MS),
    };
    const result = await runPhase(
      'echo',
      pool,
      () => ({ kind: 'echo', window: opts.window }),
      timing,
      echo.child.proc.pid,
    );
    ctx.echoMsgsPerSec = result.perSec.echoed ?? 0;
    return result;
  } finally {
    await pool.all(() => ({ op: 'reset' }));
    await stopChild(echo.child);
  }
}

/** Switchboard for one run: started on a fresh seeded data directory, or the one given by --url. */
export async function switchboardFor(
  ctx: ScenarioContext,
  agents: number,
  maxConcurrent: number,
  tag: string,
): Promise<Switchboard> {
  const { opts } = ctx;
  if (opts.url && opts.workspaceFile) {
    const sb = externalSwitchboard(opts.url, opts.workspaceFile, opts.serverPid);
    if (sb.workspace.agents.length < agents)
      ctx.notes.push(
        `the workspace file has ${sb.workspace.agents.length} agents, fewer than the ${agents} asked for: using them all`,
      );
    sb.workspace.agents = sb.workspace.agents.slice(0, agents);
    return sb;
  }
  const profileDir = opts.profileDir ? join(opts.profileDir, tag) : undefined;
  ctx.log(
    `starting Switchboard: ${agents} agents, ${maxConcurrent} slots each${profileDir ? `, profiling into ${profileDir}` : ''}`,
  );
  const sb = await startSwitchboard({
    agents,
    maxConcurrent,
    department: DEPARTMENT,
    profileDir,
    supervisor: opts.monitors > 0,
  });
  if (!sb.native) ctx.notes.push('Switchboard ran the pure-JS uWebSockets.js fallback, not the native binary');
  return sb;
}

/** The agents dealt out to the workers, signed in and online; returns the free slots. */
export async function connectAgents(ctx: ScenarioContext, sb: Switchboard): Promise<number> {
  const dealt = deal(sb.workspace.agents, ctx.pool.size);
  const results = (await ctx.pool.all((i) =>
    dealt[i]?.length ? { op: 'connectAgents', url: sb.staffUrl, agents: dealt[i] ?? [] } : undefined,
  )) as Partial<ConnectResult>[];
  return results.reduce((n, r) => n + (r.slots ?? 0), 0);
}

/** `count` visitors spread over the workers; with `converse`, each with a conversation routed before this resolves. */
export async function connectVisitors(
  ctx: ScenarioContext,
  sb: Switchboard,
  count: number,
  converse: boolean,
): Promise<{ assigned: number; queued: number }> {
  const counts = shares(count, ctx.pool.size);
  const results = (await ctx.pool.all((i) =>
    counts[i]
      ? {
          op: 'connectVisitors',
          url: sb.visitorUrl,
          count: counts[i] ?? 0,
          department: sb.workspace.department,
          converse,
        }
      : undefined,
  )) as Partial<ConnectResult>[];
  return {
    assigned: results.reduce((n, r) => n + (r.assigned ?? 0), 0),
    queued: results.reduce((n, r) => n + (r.queued ?? 0), 0),
  };
}

/** Stops the server (writing its CPU profile) and, when profiled, summarizes the window of `phase`. */
export async function stopAndProfile(
  ctx: ScenarioContext,
  sb: Switchboard,
  tag: string,
  phase: PhaseResult | undefined,
): Promise<ProfileSummary | undefined> {
  await ctx.pool.all(() => ({ op: 'reset' }));
  await sb.stop();
  if (!ctx.opts.profileDir || !phase || sb.child === undefined) return undefined;
  const summary = topSelfTime(join(ctx.opts.profileDir, tag), phase.fromUs, phase.toUs);
  if (!summary) ctx.notes.push(`no CPU profile found in ${join(ctx.opts.profileDir, tag)}`);
  return summary;
}

/** An open-loop relay run: `rate` messages/s in all over the open conversations, shared between the workers. */
export function relayPaced(ctx: ScenarioContext, sb: Switchboard, name: string, rate: number): Promise<PhaseResult> {
  const rates = rateShares(rate, ctx.pool.size);
  const traffic = (i: number) => ({ kind: 'relay-paced' as const, rate: rates[i] ?? 0 });
  return runPhase(name, ctx.pool, traffic, timingOf(ctx.opts), sb.pid, sb.metricsUrl);
}
