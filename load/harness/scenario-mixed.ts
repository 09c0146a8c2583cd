/**
 * `mixed`: the day-peak mix for a bounded time: visitors arriving (Poisson,
 * --arrivals per second in all, each on its own new connection), writing
 * every --visitor-think ms, agents replying after --agent-think ms, and after
 * --messages visitor messages transferring (--transfer-share of the
 * conversations, to the department: routing picks another agent) or
 * resolving; visitors leave once resolved. The warm-up lets the number of
 * open conversations build up before the window.
 *
 * Goals (the other scenarios' latency goals, under the mix): relay p99 ≤ 10
 * ms, assignment p99 ≤ 5 ms, and no errors.
 */
import { runPhase, type PhaseResult } from './phase.js';
import { ofEcho, phaseNotes, type ScenarioReport } from './report.js';
import {
  connectAgents,
  echoBaseline,
  stopAndProfile,
  switchboardFor,
  timingOf,
  type ScenarioContext,
} from './scenario-context.js';
import { echoThroughput, throughput, latencyGoal, noErrorsGoal } from './scenario-goals.js';
import { rateShares, shares } from './worker-pool.js';
import { MonitorWatchers } from './monitor-watchers.js';

export async function mixedScenario(ctx: ScenarioContext): Promise<Partial<ScenarioReport>> {
  const { opts, pool } = ctx;
  const echo = await echoBaseline(ctx);
  const agents = opts.agents?.[0] ?? 200;
  const sb = await switchboardFor(ctx, agents, opts.maxConcurrent ?? 6, 'mixed');
  let phase: PhaseResult | undefined;
  let watchers: MonitorWatchers | undefined;
  try {
    const slots = await connectAgents(ctx, sb);
    ctx.log(`${agents} agents online (${slots} slots); ${opts.arrivals} arrivals/s`);
    if (opts.monitors > 0) {
      watchers = await MonitorWatchers.connect(sb, opts.monitors);
      ctx.log(`${opts.monitors} supervisors watch the department monitor (MON-1)`);
    }
    const arrivals = rateShares(opts.arrivals, pool.size);
    const maxVisitors = shares(opts.maxVisitors, pool.size);
    phase = await runPhase(
      `mixed, ${opts.arrivals} arrivals/s, ${agents} agents`,
      pool,
      (i) => ({
        kind: 'mixed',
        url: sb.visitorUrl,
        department: sb.workspace.department,
        arrivalsPerSec: arrivals[i] ?? 0,
        maxVisitors: Math.max(1, maxVisitors[i] ?? 1),
        visitorThinkMs: opts.visitorThinkMs,
        agentThinkMs: opts.agentThinkMs,
        messagesPerConversation: opts.messages,
        transferShare: opts.transferShare,
      }),
      timingOf(opts, 5000),
      sb.pid,
      sb.metricsUrl,
    );
  } finally {
    await watchers?.close();
    const profile = await stopAndProfile(ctx, sb, 'mixed', phase);
    if (profile) ctx.profiles.mixed = profile;
  }
  const notes = [...phaseNotes(echo, ctx.cpus, pool.size), ...phaseNotes(phase, ctx.cpus, pool.size)];
  if (phase.totals.arrivalsRefused)
    notes.push(`${phase.totals.arrivalsRefused} arrivals were turned away at --max-visitors`);
  if (phase.counters.queued)
    notes.push(
      `${phase.counters.queued} conversations waited in the queue (agents full): assignment latency includes that wait`,
    );
  const monitor = watchers?.figures(phase.fromUs, phase.toUs);
  if (monitor)
    notes.push(
      `MON-1: ${monitor.watchers} supervisor(s) got ${monitor.framesPerSec} department_monitor frames/s each (at most ${monitor.maxFramesInASecond} in one second), ${monitor.bytesPerFrame} B and ${monitor.agentsPerFrame} agents per frame; the whole figures (ack) were ${monitor.snapshotBytes} B in ${monitor.snapshotMs} ms`,
    );
  const msgs = (phase.perSec.relayed ?? 0) + (phase.perSec.replies ?? 0);
  return {
    echo,
    phases: [phase],
    throughputs: [
      echoThroughput(ctx, echo),
      // Server CPU per message here carries all of the mix's work (connects, starts, transfers, resolves).
      throughput(ctx, 'chat messages delivered/s (both ways)', phase, msgs),
      {
        name: 'conversations assigned/s',
        perSec: phase.perSec.assigned ?? 0,
        ofEcho: ofEcho(phase.perSec.assigned ?? 0, ctx.echoMsgsPerSec),
      },
    ],
    goals: [
      latencyGoal('relay visitor → agent under the mix', phase, 'relay', 10),
      latencyGoal('assignment under the mix', phase, 'assign', 5),
      noErrorsGoal(phase),
    ],
    notes,
    ...(monitor ? { extra: { monitor } } : {}),
  };
}
