/**
 * `connections`: many concurrent connections on one server process.
 * Default: 15,000 connections in all: 100 agents (50 slots each), 5,000
 * visitors each with an open, assigned conversation, and the rest idle
 * visitors (connected, `hello` said, no conversation), spread over the
 * client workers so that no process nears the open-file limit. The server's
 * RSS is read before the first connection, after the conversations and after
 * the idle connections; then a paced relay (--rate, default 500 msgs/s over
 * the open conversations) checks that the server still serves everyone.
 *
 * Goals: all connections open at once; server RSS ≤ 512 MiB. Reported: RSS
 * per idle connection (RSS delta over the idle connections ÷ their number)
 * and per connection overall.
 */
import { sleep } from './measure.js';
import { openFds, openFileLimit, processRss } from './processes.js';
import type { PhaseResult } from './phase.js';
import { phaseNotes, type ScenarioReport } from './report.js';
import {
  connectAgents,
  connectVisitors,
  echoBaseline,
  stopAndProfile,
  relayPaced,
  switchboardFor,
  type ScenarioContext,
} from './scenario-context.js';
import { echoThroughput, throughput, latencyGoal, noErrorsGoal } from './scenario-goals.js';
import { shares } from './worker-pool.js';
import type { ConnectResult } from './worker-protocol.js';

const RSS_GOAL_MIB = 512;
/** File descriptors a process needs besides its sockets (stdio, LMDB, the event loop, libraries). */
const FD_HEADROOM = 200;

export async function connectionsScenario(ctx: ScenarioContext): Promise<Partial<ScenarioReport>> {
  const { opts, pool } = ctx;
  const agents = opts.agents?.[0] ?? 100;
  const conversations = Math.min(opts.conversations, opts.total - agents);
  const idle = opts.total - agents - conversations;
  if (idle < 0) throw new Error(`--total ${opts.total} is less than agents + conversations`);
  const limit = openFileLimit();
  if (limit !== undefined && opts.total + FD_HEADROOM > limit)
    throw new Error(
      `${opts.total} connections need about ${opts.total + FD_HEADROOM} open files in the server, over this shell's limit of ${limit} (ulimit -n)`,
    );
  const perWorker = Math.ceil(opts.total / pool.size);
  if (limit !== undefined && perWorker + FD_HEADROOM > limit)
    throw new Error(`${perWorker} connections per worker exceed the open-file limit ${limit}: use more --workers`);

  const echo = await echoBaseline(ctx);
  const sb = await switchboardFor(ctx, agents, opts.maxConcurrent ?? 50, 'connections');
  let paced: PhaseResult | undefined;
  const extra: Record<string, unknown> = { openFileLimit: limit };
  try {
    await sleep(500);
    const rss0 = processRss(sb.pid);
    const t0 = performance.now();
    const slots = await connectAgents(ctx, sb);
    const routed = await connectVisitors(ctx, sb, conversations, true);
    ctx.log(`${agents} agents (${slots} slots), ${routed.assigned} conversations assigned, ${routed.queued} queued`);
    await sleep(500);
    const rss1 = processRss(sb.pid);
    const counts = shares(idle, pool.size);
    const results = (await pool.all((i) => ({
      op: 'connectIdle',
      url: sb.visitorUrl,
      count: counts[i] ?? 0,
      hello: true,
    }))) as Partial<ConnectResult>[];
    const connectS = Math.round(performance.now() - t0) / 1000;
    await sleep(1000);
    const rss2 = processRss(sb.pid);
    const fds = openFds(sb.pid);
    const open = results.reduce((n, r) => n + (r.sockets ?? 0), 0);
    ctx.log(
      `${open} connections open in ${connectS} s; server RSS ${rss0?.rssMiB ?? '?'} → ${rss1?.rssMiB ?? '?'} → ${rss2?.rssMiB ?? '?'} MiB, ${fds ?? '?'} fds`,
    );
    const rate = opts.rate ?? 500;
    paced = await relayPaced(
      ctx,
      sb,
      `relay paced ${rate}/s over ${routed.assigned} conversations, ${open} connections`,
      rate,
    );
    const rss3 = processRss(sb.pid);
    const kib = (
      a: { rssKiB: number } | undefined,
      b: { rssKiB: number } | undefined,
      n: number,
    ): number | undefined => (a && b && n > 0 ? Math.round(((b.rssKiB - a.rssKiB) / n) * 10) / 10 : undefined);
    Object.assign(extra, {
      connectionsOpen: open,
      agents,
      conversationsAssigned: routed.assigned,
      conversationsQueued: routed.queued,
      idleConnections: idle,
      connectSeconds: connectS,
      serverFds: fds,
      rssAtStartMiB: rss0?.rssMiB,
      rssWithConversationsMiB: rss1?.rssMiB,
      rssAllConnectedMiB: rss2?.rssMiB,
      rssAfterTrafficMiB: rss3?.rssMiB,
      peakRssMiB: rss3?.peakMiB,
      anonRssAllConnectedMiB: rss2?.anonMiB,
      fileRssAllConnectedMiB: rss2?.fileMiB,
      kibPerIdleConnection: kib(rss1, rss2, idle),
      kibPerConversation: kib(rss0, rss1, conversations + agents),
      kibPerConnectionOverall: kib(rss0, rss2, open),
    });
    const peak = rss3?.peakMiB;
    return {
      echo,
      phases: [paced],
      throughputs: [
        echoThroughput(ctx, echo),
        throughput(ctx, 'relayed msgs/s (paced, every connection open)', paced, paced.perSec.relayed ?? 0),
      ],
      goals: [
        {
          name: 'concurrent connections, one server',
          target: `${opts.total}`,
          value: String(open),
          met: open >= opts.total,
        },
        {
          name: 'open conversations',
          target: `${conversations}`,
          value: `${routed.assigned} assigned`,
          met: routed.assigned >= conversations,
        },
        {
          name: 'server RSS (peak)',
          target: `≤ ${RSS_GOAL_MIB} MiB`,
          value: peak === undefined ? 'n/a' : `${peak} MiB`,
          met: peak !== undefined && peak <= RSS_GOAL_MIB,
        },
        latencyGoal('relay latency with every connection open', paced, 'relay', 10),
        noErrorsGoal(paced),
      ],
      notes: [...phaseNotes(echo, ctx.cpus, pool.size), ...phaseNotes(paced, ctx.cpus, pool.size)],
      extra,
    };
  } finally {
    const profile = await stopAndProfile(ctx, sb, 'connections', paced);
    if (profile) ctx.profiles.connections = profile;
  }
}
