/**
 * Client side of the load harness, shared by every measurement so that the
 * baseline and the measured server are driven by exactly the same code:
 *
 *  - BenchSocket: one `ws` connection speaking msgpack binary frames (the
 *    codec the server uses: msgpackr, plain maps, no records). Commands with
 *    an id can be awaited during setup; on the hot path every decoded frame
 *    goes to one `onFrame` listener.
 *  - Latencies go into HDR histograms, in microseconds.
 *  - CPU seconds of a child process (Linux /proc), so a report can tell
 *    whether the client or the server was the bottleneck.
 *
 * The traffic itself (what each client sends and when) is in
 * load/traffic-*.ts, run by the worker processes of load/harness.ts.
 */
import { readFileSync } from 'node:fs';
import { Packr } from 'msgpackr';
import WebSocket from 'ws';
import { build, type Histogram } from 'hdr-histogram-js';

export const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export type Frame = { type: string } & Record<string, unknown>;
export type FrameId = string | number;

function isFrame(v: unknown): v is Frame {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { type?: unknown }).type === 'string';
}

// ---- one connection --------------------------------------------------------

export interface OpenOptions {
  /** Give up connecting after this long. */
  timeoutMs?: number;
}

export class BenchSocket {
  /** Frames received while no hot-path listener is set (setup phase), for waitFor. */
  private readonly backlog: Frame[] = [];
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private readonly pending = new Map<FrameId, (f: Frame) => void>();
  private nextId = 1;
  private closedWith: number | undefined;
  /** Hot-path listener; once set, frames are no longer kept in the backlog. */
  onFrame: ((f: Frame) => void) | undefined;
  framesIn = 0;
  framesOut = 0;
  /** Frames that could not be decoded as a msgpack/JSON object. */
  badFrames = 0;

  private constructor(
    readonly ws: WebSocket,
    readonly label: string,
  ) {
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('close', (code: number) => {
      this.closedWith = code;
    });
    // Errors after open surface as close; keep them from becoming uncaught exceptions.
    ws.on('error', () => undefined);
  }

  static open(url: string, label: string, opts: OpenOptions = {}): Promise<BenchSocket> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
      const sock = new BenchSocket(ws, label);
      ws.once('open', () => resolve(sock));
      ws.once('error', (err) => reject(new Error(`${label}: cannot connect to ${url.replace(/token=[^&]+/, 'token=…')}: ${err.message}`)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`${label}: upgrade refused with HTTP ${res.statusCode ?? '?'}`)));
    });
  }

  get closed(): boolean {
    return this.closedWith !== undefined || this.ws.readyState !== WebSocket.OPEN;
  }

  get closeCode(): number | undefined {
    return this.closedWith;
  }

  /** Sends one frame, msgpack-encoded, as a binary WebSocket message. */
  send(frame: Frame): void {
    this.framesOut++;
    this.ws.send(packr.pack(frame), { binary: true });
  }

  /** Sends a command with a fresh integer id; resolves with the ack or error frame answering it. */
  command(frame: Frame, timeoutMs = 5000): Promise<Frame> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: no answer to ${frame.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, (f) => {
        clearTimeout(timer);
        resolve(f);
      });
      this.send({ ...frame, id });
    });
  }

  /** Like command, but returns the ack's result and throws on an error frame. */
  async ok(frame: Frame, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const answer = await this.command(frame, timeoutMs);
    if (answer.type !== 'ack') throw new Error(`${this.label}: ${frame.type} answered ${JSON.stringify(answer)}`);
    const result = answer.result;
    return typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  }

  /** The first frame (already received during setup, or future) matching `pred`. */
  waitFor(pred: (f: Frame) => boolean, timeoutMs = 5000, what = 'an event'): Promise<Frame> {
    const found = this.backlog.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`${this.label}: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = (f: Frame): void => {
        clearTimeout(timer);
        resolve(f);
      };
      this.waiters.push({ pred, resolve: done });
    });
  }

  /** Closes the connection; resolves when closed (or after a short grace, terminating it). */
  close(graceMs = 1000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, graceMs);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
      else this.ws.close();
    });
  }

  private receive(data: Buffer, isBinary: boolean): void {
    this.framesIn++;
    let value: unknown;
    try {
      value = isBinary ? packr.unpack(data) : JSON.parse(data.toString('utf8'));
    } catch {
      this.badFrames++;
      return;
    }
    if (!isFrame(value)) {
      this.badFrames++;
      return;
    }
    if (this.pending.size > 0 && (value.type === 'ack' || value.type === 'error')) {
      const id = value.id;
      if (typeof id === 'string' || typeof id === 'number') {
        const resolve = this.pending.get(id);
        if (resolve) {
          this.pending.delete(id);
          resolve(value);
          return;
        }
      }
    }
    if (this.onFrame) {
      this.onFrame(value);
      return;
    }
    this.backlog.push(value);
    if (this.waiters.length > 0) {
      const frame = value;
      this.waiters = this.waiters.filter((w) => (w.pred(frame) ? (w.resolve(frame), false) : true));
    }
  }
}

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
