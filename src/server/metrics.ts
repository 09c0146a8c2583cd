/**
 * OPS-4: the Prometheus metrics behind `GET /metrics`, in a registry of
 * their own (never prom-client's global one, so two servers in one process,
 * as in tests, do not mix their figures).
 *
 * The hot path pays for nothing it does not need: frames in and out and
 * connection counts are plain numbers, incremented in place by the gateway
 * and Connections, and copied into the Prometheus counters only when
 * /metrics is scraped. Labels are bounded sets: connection kind, error code,
 * department and policy; never a conversation, visitor or connection id.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RoutingMetrics } from '../../actors/metrics.js';
import type { CommitObserver } from '../store/commit-meter.js';
import type { ErrorCode } from '../../protocol/errors.js';

export type ConnectionKind = 'visitor' | 'staff';
export const CONNECTION_KINDS: readonly ConnectionKind[] = ['visitor', 'staff'];

/** Counts kept as plain numbers by Connections (frames in are counted there by the gateway). */
/** CLUSTER-1: every served workspace's traffic, by workspace id. */
export interface WorkspaceTraffic {
  sources(): Iterable<[string, TrafficSource]>;
}

export interface TrafficSource {
  readonly framesIn: Readonly<Record<ConnectionKind, number>>;
  readonly framesOut: Readonly<Record<ConnectionKind, number>>;
  /** Frames dropped because a client was over its backpressure limit (OPS-5). */
  readonly dropped: number;
  /** Connections closed for going past the frame rate limit (OPS-5). */
  readonly rateClosed: number;
  openByKind(): Record<ConnectionKind, number>;
}

/** Seconds; from a millisecond relay to a minute-long wait. */
const RELAY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const WAIT_BUCKETS = [0, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
/** Seconds; an LMDB commit of a batch takes tens of µs to a few ms, far more behind a slow disk. */
const COMMIT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
/**
 * The event-loop delay is sampled every millisecond: stalls of a few ms, the
 * size that matters against a 10 ms relay goal, are seen (Node's default of
 * 10 ms misses most of them). The sampling timer is native: no JS runs for it.
 */
const LOOP_RESOLUTION_MS = 1;
const LOOP_QUANTILES = [0.5, 0.9, 0.99, 0.999, 1];

export class Metrics implements CommitObserver {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  private readonly errors: Counter<'code'>;
  private readonly assignments: Counter<'workspace' | 'department' | 'policy'>;
  private readonly queueLengths: Gauge<'workspace' | 'department'>;
  private readonly waits: Histogram<'workspace' | 'department'>;
  private readonly relay: Histogram;
  private readonly uploads: Gauge;
  private readonly commits: Histogram;
  private readonly writes: Counter;
  private readonly loopDelay: IntervalHistogram;

  /** `traffic`: each served workspace's connections by workspace id (CLUSTER-1: the series carry a `workspace` label). */
  constructor(traffic: WorkspaceTraffic, store: { sizeBytes(): number; checkSpace(): number }) {
    const registers = [this.registry];
    const prefix = 'switchboard_';
    new Gauge({
      name: `${prefix}connections`,
      help: 'Open WebSocket connections by workspace and kind.',
      labelNames: ['workspace', 'kind'],
      registers,
      collect() {
        for (const [workspace, source] of traffic.sources()) {
          const open = source.openByKind();
          for (const kind of CONNECTION_KINDS) this.set({ workspace, kind }, open[kind]);
        }
      },
    });
    const totals = (name: string, help: string, read: (t: TrafficSource) => Record<ConnectionKind, number>) =>
      new Counter({
        name,
        help,
        labelNames: ['workspace', 'kind'],
        registers,
        collect() {
          // The plain count is the truth; the counter is rewritten from it at each scrape.
          this.reset();
          for (const [workspace, source] of traffic.sources())
            for (const kind of CONNECTION_KINDS) this.inc({ workspace, kind }, read(source)[kind]);
        },
      });
    totals(
      `${prefix}frames_in_total`,
      'WebSocket frames received, by workspace and connection kind.',
      (t) => t.framesIn,
    );
    totals(`${prefix}frames_out_total`, 'WebSocket frames sent, by workspace and connection kind.', (t) => t.framesOut);
    const single = (name: string, help: string, read: (t: TrafficSource) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['workspace'],
        registers,
        collect() {
          this.reset();
          for (const [workspace, source] of traffic.sources()) this.inc({ workspace }, read(source));
        },
      });
    single(
      `${prefix}backpressure_dropped_frames_total`,
      'Frames dropped because a client did not read (its connection is closed), by workspace.',
      (t) => t.dropped,
    );
    single(
      `${prefix}rate_limit_closed_total`,
      'Connections closed for sending frames far beyond the rate limit, by workspace.',
      (t) => t.rateClosed,
    );
    this.errors = new Counter({
      name: `${prefix}errors_total`,
      help: 'Error frames sent to clients, by error code.',
      labelNames: ['code'],
      registers,
    });
    this.assignments = new Counter({
      name: `${prefix}assignments_total`,
      help: "Conversations assigned by routing, by workspace, department and policy (sticky: the returning customer's last agent).",
      labelNames: ['workspace', 'department', 'policy'],
      registers,
    });
    this.queueLengths = new Gauge({
      name: `${prefix}queue_length`,
      help: "Conversations waiting in a department's queue, by workspace and department.",
      labelNames: ['workspace', 'department'],
      registers,
    });
    this.waits = new Histogram({
      name: `${prefix}queue_wait_seconds`,
      help: 'Time a conversation waited in its queue until an agent accepted it (0 when assigned without queueing).',
      labelNames: ['workspace', 'department'],
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.relay = new Histogram({
      name: `${prefix}relay_seconds`,
      help: 'From a send frame received to its ack written: decode, validate, store commit.',
      buckets: RELAY_BUCKETS,
      registers,
    });
    this.uploads = new Gauge({
      name: `${prefix}uploads_in_flight`,
      help: 'File uploads being received or stored (each holds one of the upload slots).',
      registers,
    });
    new Gauge({
      name: `${prefix}store_bytes`,
      help: 'Size of the LMDB data file in bytes.',
      registers,
      collect() {
        this.set(store.sizeBytes());
      },
    });
    new Gauge({
      name: `${prefix}disk_free_bytes`,
      help: "Free bytes on the data directory's file system; writes are refused below the reserve (--min-free-bytes).",
      registers,
      collect() {
        const free = store.checkSpace();
        if (Number.isFinite(free)) this.set(free);
      },
    });
    this.commits = new Histogram({
      name: `${prefix}store_commit_seconds`,
      help: "Store commits of one event-loop turn's writes: from the hand-over to LMDB's write thread to the commit seen by the main thread (waiting behind the commit before included).",
      buckets: COMMIT_BUCKETS,
      registers,
    });
    this.writes = new Counter({
      name: `${prefix}store_writes_total`,
      help: 'Writes (events, snapshots, records) committed; divided by switchboard_store_commit_seconds_count, the writes per commit.',
      registers,
    });
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loop.enable();
    this.loopDelay = loop;
    new Gauge({
      name: `${prefix}event_loop_delay_seconds`,
      help: `How late the main thread ran a timer due every ${LOOP_RESOLUTION_MS} ms, by quantile (1: the maximum), over the time since the previous scrape.`,
      labelNames: ['quantile'],
      registers,
      collect() {
        // Node records the whole interval between two samples: the sampling period is not delay.
        const late = (ns: number) => Math.max(0, ns / 1e9 - LOOP_RESOLUTION_MS / 1000);
        for (const q of LOOP_QUANTILES)
          this.set({ quantile: String(q) }, loop.count === 0 ? 0 : late(q === 1 ? loop.max : loop.percentile(q * 100)));
        loop.reset();
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  committed(seconds: number, writes: number): void {
    this.commits.observe(seconds);
    this.writes.inc(writes);
  }

  /** Stops sampling the event loop. */
  close(): void {
    this.loopDelay.disable();
  }

  error(code: ErrorCode): void {
    this.errors.inc({ code });
  }

  relayed(seconds: number): void {
    this.relay.observe(seconds);
  }

  /** CLUSTER-1: the routing metrics of one workspace's actors: its series carry its `workspace` label. */
  routingFor(workspace: string): RoutingMetrics {
    return {
      assigned: (department, policy, waitMs) => {
        this.assignments.inc({ workspace, department, policy });
        this.waits.observe({ workspace, department }, waitMs / 1000);
      },
      queueLength: (department, length) => this.queueLengths.set({ workspace, department }, length),
    };
  }

  uploadsInFlight(n: number): void {
    this.uploads.set(n);
  }

  /** The text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
