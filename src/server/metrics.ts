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
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RoutingMetrics } from '../../actors/metrics.js';
import type { ErrorCode } from '../../protocol/errors.js';

export type ConnectionKind = 'visitor' | 'staff';
export const CONNECTION_KINDS: readonly ConnectionKind[] = ['visitor', 'staff'];

/** Counts kept as plain numbers by Connections (frames in are counted there by the gateway). */
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

export class Metrics implements RoutingMetrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  private readonly errors: Counter<'code'>;
  private readonly assignments: Counter<'department' | 'policy'>;
  private readonly queueLengths: Gauge<'department'>;
  private readonly waits: Histogram<'department'>;
  private readonly relay: Histogram;
  private readonly uploads: Gauge;

  constructor(traffic: TrafficSource, store: { sizeBytes(): number; checkSpace(): number }) {
    const registers = [this.registry];
    const prefix = 'switchboard_';
    new Gauge({
      name: `${prefix}connections`,
      help: 'Open WebSocket connections by kind.',
      labelNames: ['kind'],
      registers,
      collect() {
        const open = traffic.openByKind();
        for (const kind of CONNECTION_KINDS) this.set({ kind }, open[kind]);
      },
    });
    const totals = (name: string, help: string, read: (t: TrafficSource) => Record<ConnectionKind, number>) =>
      new Counter({
        name,
        help,
        labelNames: ['kind'],
        registers,
        collect() {
          // The plain count is the truth; the counter is rewritten from it at each scrape.
          this.reset();
          for (const kind of CONNECTION_KINDS) this.inc({ kind }, read(traffic)[kind]);
        },
      });
    totals(`${prefix}frames_in_total`, 'WebSocket frames received, by connection kind.', (t) => t.framesIn);
    totals(`${prefix}frames_out_total`, 'WebSocket frames sent, by connection kind.', (t) => t.framesOut);
    const single = (name: string, help: string, read: (t: TrafficSource) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read(traffic));
        },
      });
    single(
      `${prefix}backpressure_dropped_frames_total`,
      'Frames dropped because a client did not read (its connection is closed).',
      (t) => t.dropped,
    );
    single(
      `${prefix}rate_limit_closed_total`,
      'Connections closed for sending frames far beyond the rate limit.',
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
      help: "Conversations assigned by routing, by department and policy (sticky: the returning customer's last agent).",
      labelNames: ['department', 'policy'],
      registers,
    });
    this.queueLengths = new Gauge({
      name: `${prefix}queue_length`,
      help: "Conversations waiting in a department's queue.",
      labelNames: ['department'],
      registers,
    });
    this.waits = new Histogram({
      name: `${prefix}queue_wait_seconds`,
      help: 'Time a conversation waited in its queue until an agent accepted it (0 when assigned without queueing).',
      labelNames: ['department'],
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
    collectDefaultMetrics({ register: this.registry });
  }

  error(code: ErrorCode): void {
    this.errors.inc({ code });
  }

  relayed(seconds: number): void {
    this.relay.observe(seconds);
  }

  assigned(department: string, policy: string, waitMs: number): void {
    this.assignments.inc({ department, policy });
    this.waits.observe({ department }, waitMs / 1000);
  }

  queueLength(department: string, length: number): void {
    this.queueLengths.set({ department }, length);
  }

  uploadsInFlight(n: number): void {
    this.uploads.set(n);
  }

  /** The text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
