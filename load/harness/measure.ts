/**
 * Measurement tools of the load harness, shared by every measurement so that the baseline and the measured
 * server are measured by exactly the same code:
 *
 *  - Latencies go into HDR histograms, in microseconds.
 *  - CPU seconds of a child process (Linux /proc), so a report can tell
 *    whether the client or the server was the bottleneck.
 *
 * The connections are load/client/protocol-socket.ts; the traffic itself (what each client sends and when) is
 * in load/harness/traffic-*.ts, run by the worker processes of load/harness/harness.ts.
 */
import { readFileSync } from 'node:fs';
import { build, type Histogram } from 'hdr-histogram-js';

// ---- latency histograms ----------------------------------------------------

/** Microseconds, 1 µs to 10 minutes, 3 significant digits. */
export function newHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
}

const ms = (us: number): number => Math.round(us) / 1000;

export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0, meanMs: 0 };
  return {
    count: h.totalCount,
    p50Ms: ms(h.getValueAtPercentile(50)),
    p90Ms: ms(h.getValueAtPercentile(90)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    p999Ms: ms(h.getValueAtPercentile(99.9)),
    maxMs: ms(h.maxValue),
    meanMs: ms(h.mean),
  };
}

// ---- CPU sampling ------------------------------------------------------------

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every mainstream Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) used so far by a process, from /proc; undefined where unavailable. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces; the fields after it start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return (utime + stime) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
