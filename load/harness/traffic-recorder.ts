/**
 * Counters, error codes and latency histograms of one worker's run, bounded
 * by the schedule's measurement window:
 *
 *  - a latency is recorded when the thing timed was *sent* inside the window
 *    (so a slow answer after the window still counts against the server);
 *  - a throughput counter (`count`) counts events that *happened* inside the
 *    window; `total` counts over the whole run.
 *
 * Timestamps in a clientMsgId: `<prefix>.<sequence>.<epoch µs>`, so the
 * receiving side (maybe in another worker) can time a message without a
 * shared table.
 */
import { encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { newHistogram } from './measure.js';
import { epochNow, type Schedule, type TrafficReport } from './worker-protocol.js';

export class TrafficRecorder {
  /** Events in the measurement window. */
  readonly counters: Record<string, number> = {};
  /** Events over the whole run (warm-up and drain included). */
  readonly totals: Record<string, number> = {};
  readonly errors: Record<string, number> = {};
  private readonly histograms = new Map<string, Histogram>();

  constructor(readonly schedule: Schedule) {}

  inWindow(t: number): boolean {
    return t >= this.schedule.measureFrom && t < this.schedule.measureTo;
  }

  /** Records `now - sentAt` (ms in, µs stored) under `name` if `sentAt` lies in the window. */
  latency(name: string, sentAt: number, now = epochNow()): void {
    if (!this.inWindow(sentAt)) return;
    let h = this.histograms.get(name);
    if (!h) {
      h = newHistogram();
      this.histograms.set(name, h);
    }
    h.recordValue(Math.max(1, Math.round((now - sentAt) * 1000)));
  }

  /** Counts an event that happened now, if now is in the window. */
  count(name: string, now = epochNow(), by = 1): void {
    if (this.inWindow(now)) this.counters[name] = (this.counters[name] ?? 0) + by;
  }

  /** Counts an event over the whole run. */
  total(name: string, by = 1): void {
    this.totals[name] = (this.totals[name] ?? 0) + by;
  }

  error(code: string, by = 1): void {
    this.errors[code] = (this.errors[code] ?? 0) + by;
  }

  /** Counts an `error` frame answering `command`, as `<command>:<code>`. */
  errorFrame(command: string, f: Record<string, unknown>): void {
    this.error(`${command}:${typeof f.code === 'string' ? f.code : 'unknown'}`);
  }

  report(cpuSeconds: number, loopDelayP99Ms: number): TrafficReport {
    const histograms: Record<string, string> = {};
    for (const [name, h] of this.histograms) histograms[name] = encodeIntoCompressedBase64(h);
    return {
      counters: { ...this.counters },
      totals: { ...this.totals },
      errors: { ...this.errors },
      histograms,
      cpuSeconds,
      loopDelayP99Ms,
    };
  }
}

/** A clientMsgId carrying its send time: `<prefix>.<n>.<epoch µs>`. */
export function timedId(prefix: string, n: number, at = epochNow()): string {
  return `${prefix}.${n}.${Math.round(at * 1000)}`;
}

/** The send time (epoch ms) in a clientMsgId made by `timedId`, if it is one. */
export function sentAtOf(clientMsgId: unknown, prefix?: string): number | undefined {
  if (typeof clientMsgId !== 'string') return undefined;
  const dot = clientMsgId.lastIndexOf('.');
  if (dot < 0) return undefined;
  if (prefix !== undefined && !clientMsgId.startsWith(`${prefix}.`)) return undefined;
  const us = Number(clientMsgId.slice(dot + 1));
  return Number.isFinite(us) && us > 0 ? us / 1000 : undefined;
}
