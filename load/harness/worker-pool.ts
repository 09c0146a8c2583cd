/**
 * The coordinator's side of the client workers: forks them, sends each a
 * command and waits for its answer, and merges their traffic reports (sums
 * of counters and errors, histograms added together).
 */
import { fileURLToPath } from 'node:url';
import { decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { newHistogram } from './measure.js';
import { forkNode, running, stopChild, tail, type Child } from './processes.js';
import {
  epochNow,
  type TrafficReport,
  type WorkerCommand,
  type WorkerReply,
  type WorkerResult,
} from './worker-protocol.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./load-worker.js', import.meta.url));

interface Waiting {
  resolve: (r: WorkerResult) => void;
  reject: (e: Error) => void;
}

/** Workers' reports merged: counts and CPU seconds summed, histograms added, the worst event-loop delay. */
export interface MergedReport extends Omit<TrafficReport, 'histograms'> {
  histograms: Record<string, Histogram>;
}

export class WorkerPool {
  private readonly workers: Child[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextReq = 1;

  private constructor(readonly size: number) {}

  static async start(size: number): Promise<WorkerPool> {
    const pool = new WorkerPool(size);
    for (let i = 0; i < size; i++) {
      const child = forkNode(`load worker ${i}`, WORKER_SCRIPT, [String(i)]);
      child.proc.on('message', (m: WorkerReply) => pool.answer(m));
      void child.exited.then(() => pool.failAll(child));
      pool.workers.push(child);
    }
    // A worker answers once its module graph is loaded.
    await pool.all(() => ({ op: 'clock' }));
    return pool;
  }

  get pids(): number[] {
    return this.workers.map((w) => w.proc.pid ?? 0);
  }

  /** Sends `command` to worker `i`. */
  request(i: number, command: WorkerCommand): Promise<WorkerResult> {
    const w = this.workers[i];
    if (!w || !running(w)) return Promise.reject(new Error(`load worker ${i} is not running`));
    const reqId = this.nextReq++;
    return new Promise((resolve, reject) => {
      this.waiting.set(reqId, { resolve, reject });
      w.proc.send({ reqId, command });
    });
  }

  /** Sends each worker its command (undefined: none) and waits for all of them. */
  all(command: (i: number) => WorkerCommand | undefined): Promise<WorkerResult[]> {
    return Promise.all(
      this.workers.map((_, i) => {
        const c = command(i);
        return c ? this.request(i, c) : Promise.resolve({});
      }),
    );
  }

  /**
   * Largest clock difference between this process and a worker, ms, as far
   * as it can be told: per worker, the sample with the shortest round trip
   * of several, |offset| + half that round trip (an upper bound).
   */
  async clockSkewMs(samples = 8): Promise<number> {
    let worst = 0;
    for (let i = 0; i < this.size; i++) {
      let best = Infinity;
      for (let k = 0; k < samples; k++) {
        const t0 = epochNow();
        const r = (await this.request(i, { op: 'clock' })) as { now: number };
        const t1 = epochNow();
        best = Math.min(best, Math.abs(r.now - (t0 + t1) / 2) + (t1 - t0) / 2);
      }
      worst = Math.max(worst, best);
    }
    return Math.round(worst * 1000) / 1000;
  }

  async runAll(command: (i: number) => WorkerCommand): Promise<MergedReport> {
    const reports = (await this.all(command)) as TrafficReport[];
    return mergeReports(reports);
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => stopChild(w, 3000)));
  }

  private answer(m: WorkerReply): void {
    const w = this.waiting.get(m.reqId);
    if (!w) return;
    this.waiting.delete(m.reqId);
    if (m.ok) w.resolve(m.result);
    else w.reject(new Error(m.error));
  }

  private failAll(child: Child): void {
    if (this.waiting.size === 0) return;
    const err = new Error(
      `${child.name} exited (code ${String(child.proc.exitCode)}, signal ${String(child.proc.signalCode)}):\n${tail(child.stderr)}`,
    );
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

export function mergeReports(reports: readonly TrafficReport[]): MergedReport {
  const merged: MergedReport = {
    counters: {},
    totals: {},
    errors: {},
    histograms: {},
    cpuSeconds: 0,
    loopDelayP99Ms: 0,
  };
  for (const r of reports) {
    for (const [k, v] of Object.entries(r.counters)) merged.counters[k] = (merged.counters[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.totals)) merged.totals[k] = (merged.totals[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.errors)) merged.errors[k] = (merged.errors[k] ?? 0) + v;
    for (const [k, b64] of Object.entries(r.histograms)) {
      const h = (merged.histograms[k] ??= newHistogram());
      h.add(decodeFromCompressedBase64(b64));
    }
    merged.cpuSeconds += r.cpuSeconds;
    merged.loopDelayP99Ms = Math.max(merged.loopDelayP99Ms, r.loopDelayP99Ms);
  }
  return merged;
}

/** Splits `n` into `parts` near-equal shares. */
export function shares(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

/** Splits a rate (per second, fractional) into `parts` near-equal shares, to the thousandth. */
export function rateShares(rate: number, parts: number): number[] {
  return shares(rate * 1000, parts).map((r) => r / 1000);
}

/** Deals `items` out to `parts` workers, round robin. */
export function deal<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = Array.from({ length: parts }, () => []);
  items.forEach((x, i) => {
    out[i % parts]?.push(x);
  });
  return out;
}
