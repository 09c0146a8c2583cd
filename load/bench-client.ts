/**
 * Client side of the load harness, shared by every measurement so that the
 * baseline and the measured server are driven by exactly the same code:
 *
 *  - BenchSocket: one `ws` connection speaking msgpack binary frames (the
 *    codec the server uses: msgpackr, plain maps, no records). Commands with
 *    an id can be awaited during setup; on the hot path every decoded frame
 *    goes to one `onFrame` listener.
 *  - PipelinedLoad: keeps `window` messages in flight on each lane (a lane =
 *    one sending connection), for a warm-up and then a fixed measurement
 *    period. A message is done when someone calls `complete(key)` (the echo
 *    came back, or the agent received it); the window slot is then refilled.
 *    Extra observations per message (e.g. the sender's ack) are recorded
 *    with `observe(stage, key)` into their own histograms.
 *  - Latencies go into HDR histograms, in microseconds.
 *  - CPU sampling of this process and of a child process (Linux /proc), so a
 *    report can tell whether the client or the server was the bottleneck.
 */
import { performance } from 'node:perf_hooks';
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

export interface CpuSample {
  at: number;
  client: number;
  server: number | undefined;
}

export function sampleCpu(serverPid: number | undefined): CpuSample {
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    client: (usage.user + usage.system) / 1e6,
    server: serverPid === undefined ? undefined : processCpuSeconds(serverPid),
  };
}

/** Percent of one core used by the client and the server between two samples. */
export function cpuPercent(a: CpuSample, b: CpuSample): { clientCpuPct: number; serverCpuPct: number | undefined } {
  const wall = (b.at - a.at) / 1000;
  const pct = (x: number): number => Math.round((x / wall) * 1000) / 10;
  return {
    clientCpuPct: pct(b.client - a.client),
    serverCpuPct: a.server === undefined || b.server === undefined ? undefined : pct(b.server - a.server),
  };
}

// ---- pipelined load --------------------------------------------------------

export interface Lane {
  /** The connection this lane sends on. */
  socket: BenchSocket;
  /** Builds the frame carrying message `key` (unique across all lanes). */
  frame(key: string): Frame;
}

export interface LoadOptions {
  lanes: readonly Lane[];
  /** Messages kept in flight per lane. */
  window: number;
  warmupMs: number;
  durationMs: number;
  /** After the measurement, how long to wait for in-flight messages before calling them lost. */
  drainMs: number;
  /** Extra per-message observations expected besides completion (e.g. ['ack']). */
  stages?: readonly string[];
  /** Pid of the server process, to report its CPU use during the measurement. */
  serverPid?: number;
}

export interface StageResult extends LatencySummary {
  perSecond: number;
  /** Messages sent whose observation never came. */
  missing: number;
}

export interface LoadResult {
  lanes: number;
  window: number;
  durationS: number;
  /** Messages completed during the measurement period, per second. */
  msgsPerSec: number;
  latency: LatencySummary;
  stages: Record<string, StageResult>;
  sent: number;
  completed: number;
  /** Messages answered with an error frame instead of completing. */
  failed: number;
  /** Messages still not completed after the drain period. */
  lost: number;
  clientCpuPct: number;
  serverCpuPct: number | undefined;
}

interface InFlight {
  lane: number;
  sentAt: number;
  completed: boolean;
  /** Stages still to be observed. */
  waiting: number;
  seen: Set<string> | undefined;
}

type Phase = 'idle' | 'warmup' | 'measure' | 'drain' | 'done';

/**
 * Closed-loop pipelined load: each lane keeps `window` messages in flight;
 * every completion sends the next message on the same lane. Completions
 * during the measurement period are counted and their latencies (send →
 * completion) recorded.
 */
export class PipelinedLoad {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly counters: number[];
  private readonly histogram = newHistogram();
  private readonly stageNames: readonly string[];
  private readonly stageHistograms = new Map<string, Histogram>();
  private readonly stageCounts = new Map<string, number>();
  private phase: Phase = 'idle';
  private measureStart = 0;
  private measureEnd = 0;
  private measuredCompletions = 0;
  private sent = 0;
  private completed = 0;
  private failed = 0;
  private onIdle: (() => void) | undefined;

  constructor(private readonly opts: LoadOptions) {
    if (opts.lanes.length === 0) throw new Error('no lanes to drive');
    if (!Number.isInteger(opts.window) || opts.window < 1) throw new Error('window must be a positive integer');
    this.counters = opts.lanes.map(() => 0);
    this.stageNames = opts.stages ?? [];
    for (const s of this.stageNames) {
      this.stageHistograms.set(s, newHistogram());
      this.stageCounts.set(s, 0);
    }
  }

  /** Message `key` reached its destination: record it and refill its lane's window. */
  complete(key: string): void {
    const m = this.inFlight.get(key);
    if (!m || m.completed) return;
    const now = performance.now();
    m.completed = true;
    this.completed++;
    if (this.phase === 'measure') {
      this.measuredCompletions++;
      this.histogram.recordValue(Math.max(1, Math.round((now - m.sentAt) * 1000)));
    }
    if (m.waiting === 0) this.inFlight.delete(key);
    this.release(m.lane);
  }

  /** An extra observation of message `key` (e.g. its ack); does not touch the window. */
  observe(stage: string, key: string): void {
    const m = this.inFlight.get(key);
    if (!m || m.waiting === 0) return;
    m.seen ??= new Set();
    if (m.seen.has(stage)) return;
    m.seen.add(stage);
    m.waiting--;
    if (this.phase === 'measure') {
      const h = this.stageHistograms.get(stage);
      if (h) {
        h.recordValue(Math.max(1, Math.round((performance.now() - m.sentAt) * 1000)));
        this.stageCounts.set(stage, (this.stageCounts.get(stage) ?? 0) + 1);
      }
    }
    if (m.waiting === 0 && m.completed) {
      this.inFlight.delete(key);
      if (this.phase === 'drain' && this.onIdle && this.pendingCount() === 0) this.onIdle();
    }
  }

  /** Message `key` was refused (error frame): free its slot without recording a latency. */
  fail(key: string): void {
    const m = this.inFlight.get(key);
    if (!m || m.completed) return;
    m.completed = true;
    this.failed++;
    this.inFlight.delete(key);
    this.release(m.lane);
  }

  async run(): Promise<LoadResult> {
    if (this.phase !== 'idle') throw new Error('a PipelinedLoad runs once');
    const { warmupMs, durationMs, drainMs, serverPid } = this.opts;
    this.phase = 'warmup';
    for (let lane = 0; lane < this.opts.lanes.length; lane++) {
      for (let i = 0; i < this.opts.window; i++) this.sendNext(lane);
    }
    await sleep(warmupMs);
    const cpuStart = sampleCpu(serverPid);
    this.phase = 'measure';
    this.measureStart = performance.now();
    await sleep(durationMs);
    this.measureEnd = performance.now();
    this.phase = 'drain';
    const cpuEnd = sampleCpu(serverPid);
    if (this.pendingCount() > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainMs);
        this.onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.onIdle = undefined;
    this.phase = 'done';

    const durationS = (this.measureEnd - this.measureStart) / 1000;
    const stages: Record<string, StageResult> = {};
    for (const s of this.stageNames) {
      const h = this.stageHistograms.get(s) ?? newHistogram();
      let missing = 0;
      for (const m of this.inFlight.values()) if (!m.seen?.has(s)) missing++;
      stages[s] = { ...summarize(h), perSecond: Math.round((this.stageCounts.get(s) ?? 0) / durationS), missing };
    }
    let lost = 0;
    for (const m of this.inFlight.values()) if (!m.completed) lost++;
    return {
      lanes: this.opts.lanes.length,
      window: this.opts.window,
      durationS: Math.round(durationS * 1000) / 1000,
      msgsPerSec: Math.round(this.measuredCompletions / durationS),
      latency: summarize(this.histogram),
      stages,
      sent: this.sent,
      completed: this.completed,
      failed: this.failed,
      lost,
      ...cpuPercent(cpuStart, cpuEnd),
    };
  }

  private pendingCount(): number {
    let n = 0;
    for (const m of this.inFlight.values()) if (!m.completed || m.waiting > 0) n++;
    return n;
  }

  private release(lane: number): void {
    if (this.phase === 'warmup' || this.phase === 'measure') this.sendNext(lane);
    else if (this.phase === 'drain' && this.onIdle && this.pendingCount() === 0) this.onIdle();
  }

  private sendNext(lane: number): void {
    const l = this.opts.lanes[lane];
    if (!l || l.socket.closed) return;
    const n = (this.counters[lane] ?? 0) + 1;
    this.counters[lane] = n;
    const key = `L${lane}-${n}`;
    const waiting = this.stageNames.length;
    this.inFlight.set(key, { lane, sentAt: performance.now(), completed: false, waiting, seen: undefined });
    this.sent++;
    l.socket.send(l.frame(key));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
