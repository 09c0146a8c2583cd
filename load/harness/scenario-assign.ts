/**
 * `assign`: new conversations at a fixed rate (default 2,000/s, open loop),
 * measured with each agent count in --agents (default 10, 100, 1,000; one
 * department, round robin). A fresh server is seeded and started for each
 * count; its agents resolve every conversation as soon as it is assigned, so
 * capacity never runs out, and a pool of --visitors visitors starts them.
 *
 * Goal, per agent count: p99 start → `assigned` ≤ 5 ms while the offered
 * rate is met (≥ 95 %), with no errors and nothing lost.
 */
import { runPhase, type PhaseResult } from './phase.js';
import { phaseNotes, type Goal, type ScenarioReport, type Throughput } from './report.js';
import {
  connectAgents,
  connectVisitors,
  echoBaseline,
  stopAndProfile,
  switchboardFor,
  timingOf,
  type ScenarioContext,
} from './scenario-context.js';
import { echoThroughput, errorCount, throughput } from './scenario-goals.js';
import { rateShares } from './worker-pool.js';

const P99_GOAL_MS = 5;
const DEFAULT_AGENTS = [10, 100, 1000];

export async function assignScenario(ctx: ScenarioContext): Promise<Partial<ScenarioReport>> {
  const { opts, pool } = ctx;
  const echo = await echoBaseline(ctx);
  const rate = opts.rate ?? 2000;
  const rates = rateShares(rate, pool.size);
  const phases: PhaseResult[] = [];
  const goals: Goal[] = [];
  const throughputs: Throughput[] = [echoThroughput(ctx, echo)];
  const notes = phaseNotes(echo, ctx.cpus, pool.size);
  for (const agents of opts.agents ?? DEFAULT_AGENTS) {
    const tag = `assign-${agents}`;
    const sb = await switchboardFor(ctx, agents, opts.maxConcurrent ?? 50, tag);
    let phase: PhaseResult | undefined;
    try {
      const slots = await connectAgents(ctx, sb);
      await connectVisitors(ctx, sb, opts.visitors, false);
      ctx.log(`${agents} agents online (${slots} slots), ${opts.visitors} visitors; ${rate} starts/s`);
      phase = await runPhase(
        `assign, ${agents} agents`,
        pool,
        (i) => ({ kind: 'assign', rate: rates[i] ?? 0, department: sb.workspace.department }),
        timingOf(opts, 10_000),
        sb.pid,
        sb.metricsUrl,
      );
    } finally {
      const profile = await stopAndProfile(ctx, sb, tag, phase);
      if (profile) ctx.profiles[tag] = profile;
    }
    phases.push(phase);
    const starts = phase.perSec.starts ?? 0;
    const assigned = phase.perSec.assigned ?? 0;
    throughputs.push(throughput(ctx, `assigned/s, ${agents} agents`, phase, assigned));
    const l = phase.latency.assign;
    const errors = errorCount(phase);
    goals.push({
      name: `${rate} new conversations/s, ${agents} agents`,
      target: `p99 ≤ ${P99_GOAL_MS} ms, ≥ 95% of rate, 0 errors`,
      value: `p99 ${l ? l.p99Ms.toFixed(2) : '-'} ms, ${starts}/s sent, ${assigned}/s assigned, ${errors} errors`,
      met: l !== undefined && l.count > 0 && l.p99Ms <= P99_GOAL_MS && starts >= 0.95 * rate && errors === 0,
    });
    if (phase.counters.delayed)
      notes.push(
        `${phase.name}: ${phase.counters.delayed} starts waited for a free visitor (raise --visitors, or the server is slower than the rate)`,
      );
    if (phase.counters.queued)
      notes.push(`${phase.name}: ${phase.counters.queued} conversations were queued (no agent with a free slot)`);
    notes.push(...phaseNotes(phase, ctx.cpus, pool.size));
  }
  return { echo, phases, throughputs, goals, notes };
}
