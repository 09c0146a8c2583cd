/**
 * `relay`: chat messages relayed from visitors to agents, persisted and acked
 * (an agent receives a message only after it is committed; the visitor's ack
 * also comes after the commit).
 *
 *  1. baseline: the bare echo server, `connections` x `window`;
 *  2. max: the same number of visitors, each with an assigned conversation,
 *     each keeping `window` sends in flight (refilled on the ack);
 *  3. paced: open loop at half the measured maximum (or --rate).
 *
 * Goals: relayed msgs/s ≥ 50 % of echo msgs/s; relay p99 ≤ 10 ms in the
 * paced run.
 */
import { phaseNotes, ofEcho, type ScenarioReport } from './report.js';
import {
  connectAgents,
  connectVisitors,
  echoBaseline,
  stopAndProfile,
  relayPaced,
  switchboardFor,
  timingOf,
  type ScenarioContext,
} from './scenario-context.js';
import { echoThroughput, throughput, latencyGoal, noErrorsGoal } from './scenario-goals.js';
import { runPhase, type PhaseResult } from './phase.js';

const RATIO_GOAL = 0.5;
const P99_GOAL_MS = 10;

export async function relayScenario(ctx: ScenarioContext): Promise<Partial<ScenarioReport>> {
  const { opts, pool } = ctx;
  const echo = await echoBaseline(ctx);
  const agents = opts.agents?.[0] ?? 20;
  const sb = await switchboardFor(ctx, agents, opts.maxConcurrent ?? 50, 'relay');
  let paced: PhaseResult;
  let max: PhaseResult | undefined;
  try {
    const slots = await connectAgents(ctx, sb);
    const { assigned, queued } = await connectVisitors(ctx, sb, opts.connections, true);
    ctx.log(
      `${agents} agents online (${slots} slots), ${assigned} conversations assigned${queued ? `, ${queued} queued` : ''}`,
    );
    if (queued) ctx.notes.push(`${queued} conversations were queued (no free agent slot): their visitors send nothing`);
    max = await runPhase(
      'relay max',
      pool,
      () => ({ kind: 'relay', window: opts.window }),
      timingOf(opts),
      sb.pid,
      sb.metricsUrl,
    );
    const maxRate = max.perSec.relayed ?? 0;
    const rate = opts.rate ?? Math.max(1, Math.round(maxRate / 2));
    ctx.log(`relay max ${maxRate} msgs/s; paced run at ${rate} msgs/s`);
    paced = await relayPaced(ctx, sb, `relay paced ${rate}/s`, rate);
  } finally {
    const profile = await stopAndProfile(ctx, sb, 'relay', max);
    if (profile) ctx.profiles.relay = profile;
  }
  const echoRate = ctx.echoMsgsPerSec;
  const relayed = max.perSec.relayed ?? 0;
  const ratio = ofEcho(relayed, echoRate);
  const undelivered = (max.totals.sent ?? 0) - (max.totals.relayed ?? 0);
  if (undelivered > 0) ctx.notes.push(`relay max: ${undelivered} messages sent never reached an agent`);
  return {
    echo,
    phases: [max, paced],
    throughputs: [
      echoThroughput(ctx, echo),
      throughput(ctx, 'relay max msgs/s (persisted, acked)', max, relayed),
      throughput(ctx, 'relay paced msgs/s', paced, paced.perSec.relayed ?? 0),
    ],
    goals: [
      {
        name: 'relay throughput vs bare echo',
        target: `≥ ${RATIO_GOAL * 100}%`,
        value: ratio === undefined ? 'n/a' : `${(ratio * 100).toFixed(1)}%`,
        met: ratio !== undefined && ratio >= RATIO_GOAL,
      },
      latencyGoal(`relay latency at ${paced.name.replace('relay paced ', '')}`, paced, 'relay', P99_GOAL_MS),
      noErrorsGoal(max),
      noErrorsGoal(paced),
    ],
    notes: [
      ...phaseNotes(echo, ctx.cpus, pool.size),
      ...phaseNotes(max, ctx.cpus, pool.size),
      ...phaseNotes(paced, ctx.cpus, pool.size),
    ],
  };
}
