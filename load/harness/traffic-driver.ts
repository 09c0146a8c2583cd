/**
 * One kind of traffic, as a worker drives it on the sockets it holds. The
 * worker calls `start` at the schedule's start, `stop` at the end of the
 * measurement window (no new work from then on), waits until `settled` (or
 * the drain time is up) and then `finish`, which counts what never got an
 * answer as lost.
 */
export interface TrafficDriver {
  start(): void;
  stop(): void;
  /** Nothing sent is still waiting for its answer. */
  settled(): boolean;
  finish(): void;
}
