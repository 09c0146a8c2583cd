/**
 * The edges every actor may be handed: the runtime, the store, the sockets,
 * the clock, the log and the metrics. Each behaviour names the few it uses
 * in its own ports; the directory (actors/directory.ts) hands them out.
 */
import type { Clock } from './clock.js';
import type { Journal } from './journal.js';
import type { Log } from './log.js';
import type { Notifier } from './notifier.js';
import type { RoutingMetrics } from './metrics.js';
import type { Runtime } from './runtime.js';

export interface Deps {
  runtime: Runtime;
  journal: Journal;
  notifier: Notifier;
  clock: Clock;
  log: Log;
  /** OPS-4: assignments, waits and queue lengths; none when absent (tests, the simulator). */
  metrics?: RoutingMetrics;
}
