/**
 * One measured phase of a scenario: every worker runs its traffic on the same
 * absolute schedule (a warm-up, the measurement window, a drain), while this
 * process samples the server's CPU (/proc/<pid>/stat) at the window's edges,
 * the whole machine's busy time (to see neighbours' noise), and the server's
 * RSS at the end of the window. Throughputs are counters over the window,
 * latencies the merged histograms.
 */
import { availableParallelism } from 'node:os';
import { processCpuSeconds, sleep, summarize, type LatencySummary } from './measure.js';
import { machineBusySeconds, processRss, threadCpuSeconds } from './processes.js';
import { monotonicUs } from './profile-summary.js';
import { scrapeMetrics, serverMetrics, type ServerMetrics } from './server-metrics.js';
import type { WorkerPool } from './worker-pool.js';
import { epochNow, type Traffic } from './worker-protocol.js';

export interface PhaseTiming {
  warmupMs: number;
  durationMs: number;
  drainMs: number;
}

export interface PhaseResult {
  name: string;
  durationS: number;
  /** Per-second rates of the window counters. */
  perSec: Record<string, number>;
  counters: Record<string, number>;
  /** Whole-run counts (warm-up and drain included). */
  totals: Record<string, number>;
  errors: Record<string, number>;
  latency: Record<string, LatencySummary>;
  /** % of one core. */
  serverCpuPct: number | undefined;
  clientCpuPct: number;
  /** CPU used by everything else on the machine meanwhile, % of one core (of availableParallelism cores). */
  otherCpuPct: number | undefined;
  serverRssMiB: number | undefined;
  serverPeakRssMiB: number | undefined;
  /** Of the RSS at the window's end: anonymous memory (heaps) and file-backed pages (LMDB's map, code). */
  serverAnonMiB: number | undefined;
  serverFileMiB: number | undefined;
  clientLoopDelayP99Ms: number;
  /** The server's commits and event-loop delay in the window, from its /metrics; undefined when not scraped. */
  server: ServerMetrics | undefined;
  /** The server's CPU in the window by thread name, % of one core, user and system time. */
  serverThreads: Record<string, { userPct: number; systemPct: number }>;
  /** Monotonic µs of the window's edges (to cut a CPU profile to it). */
  fromUs: number;
  toUs: number;
}

const pct = (seconds: number, wallS: number): number => Math.round((seconds / wallS) * 1000) / 10;

export async function runPhase(
  name: string,
  pool: WorkerPool,
  traffic: (i: number) => Traffic,
  timing: PhaseTiming,
  serverPid: number | undefined,
  /** The server's GET /metrics, scraped at the window's edges (not the echo server's: it has none). */
  metricsUrl?: string,
): Promise<PhaseResult> {
  const startAt = epochNow() + 300;
  const schedule = {
    startAt,
    measureFrom: startAt + timing.warmupMs,
    measureTo: startAt + timing.warmupMs + timing.durationMs,
    drainMs: timing.drainMs,
  };
  const results = pool.runAll((i) => ({ op: 'run', traffic: traffic(i), schedule }));
  // Keeps a rejection from being unhandled while this process sleeps.
  results.catch(() => undefined);
  await sleep(Math.max(0, schedule.measureFrom - epochNow()));
  // Scraped beside the CPU samples, not before them: the request's answer is awaited after the window.
  const scrape0 = scrapeMetrics(metricsUrl);
  const t0 = epochNow();
  const fromUs = monotonicUs();
  const server0 = serverPid === undefined ? undefined : processCpuSeconds(serverPid);
  const machine0 = machineBusySeconds();
  const threads0 = threadCpuSeconds(serverPid);
  const self0 = process.cpuUsage();
  await sleep(Math.max(0, schedule.measureTo - epochNow()));
  const wallS = (epochNow() - t0) / 1000;
  const toUs = monotonicUs();
  const server1 = serverPid === undefined ? undefined : processCpuSeconds(serverPid);
  const machine1 = machineBusySeconds();
  const threads1 = threadCpuSeconds(serverPid);
  const self = process.cpuUsage(self0);
  const rss = processRss(serverPid);
  const scrape1 = scrapeMetrics(metricsUrl);
  const server = serverMetrics(await scrape0, await scrape1);
  const merged = await results;

  const serverThreads: PhaseResult['serverThreads'] = {};
  for (const [name, t1] of threads1) {
    const t0 = threads0.get(name) ?? { user: 0, system: 0 };
    const userPct = pct(t1.user - t0.user, wallS);
    const systemPct = pct(t1.system - t0.system, wallS);
    if (userPct + systemPct > 0) serverThreads[name] = { userPct, systemPct };
  }
  const durationS = timing.durationMs / 1000;
  const perSec: Record<string, number> = {};
  for (const [k, v] of Object.entries(merged.counters)) perSec[k] = Math.round(v / durationS);
  const latency: Record<string, LatencySummary> = {};
  for (const [k, h] of Object.entries(merged.histograms)) latency[k] = summarize(h);
  const serverCpuPct = server0 === undefined || server1 === undefined ? undefined : pct(server1 - server0, wallS);
  const clientCpuPct = pct(merged.cpuSeconds, wallS);
  const selfS = (self.user + self.system) / 1e6;
  const otherCpuPct =
    machine0 === undefined || machine1 === undefined
      ? undefined
      : Math.max(
          0,
          Math.round((pct(machine1 - machine0, wallS) - (serverCpuPct ?? 0) - clientCpuPct - pct(selfS, wallS)) * 10) /
            10,
        );
  return {
    name,
    durationS,
    perSec,
    counters: merged.counters,
    totals: merged.totals,
    errors: merged.errors,
    latency,
    serverCpuPct,
    clientCpuPct,
    otherCpuPct,
    serverRssMiB: rss?.rssMiB,
    serverPeakRssMiB: rss?.peakMiB,
    serverAnonMiB: rss?.anonMiB,
    serverFileMiB: rss?.fileMiB,
    clientLoopDelayP99Ms: merged.loopDelayP99Ms,
    server,
    serverThreads,
    fromUs,
    toUs,
  };
}

export const cpus = availableParallelism();
