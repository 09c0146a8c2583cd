/**
 * The simulator's clock (SIM-1): virtual time that jumps from one timer to
 * the next, like actors/clock.ts VirtualClock, but built for a day of
 * traffic: timers sit in a binary heap (hundreds of thousands of them), and
 * before time moves on it waits until the actors have handled every message
 * the moment caused (the runtime's in-flight count is zero), so that an
 * assignment is stamped with the time it happened, however many actor hops
 * it took.
 */
import type { Clock, TimerHandle } from '../../actors/clock.js';

interface Timer {
  at: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

/** Anything that can say whether work is still in flight (the counting runtime). */
export interface Quiescence {
  readonly inFlight: number;
}

/** Event-loop turns with work in flight and no timer fired, after which the run is declared stuck. */
const MAX_IDLE_TURNS = 1_000_000;

export class SimulationStalled extends Error {
  readonly code = 'simulation_stalled';
}

const turn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

export class SimClock implements Clock {
  private time: number;
  private order = 0;
  private readonly heap: Timer[] = [];
  /** Timers fired so far (a measure of simulated work). */
  fired = 0;

  constructor(
    start: number,
    private readonly work: Quiescence,
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer: Timer = { at: this.time + Math.max(0, ms), order: this.order++, fn, cancelled: false };
    this.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Lets the actors finish what is in flight, without moving time. */
  async settle(): Promise<void> {
    let turns = 0;
    for (;;) {
      await turn();
      if (this.work.inFlight > 0) {
        if (++turns > MAX_IDLE_TURNS)
          throw new SimulationStalled(
            `actors still busy after ${MAX_IDLE_TURNS} turns at ${new Date(this.time).toISOString()}`,
          );
        continue;
      }
      // One more turn: promise callbacks queued by the last handler may tell someone.
      await turn();
      if (this.work.inFlight === 0) return;
    }
  }

  /**
   * Fires timers in time order (same time: in the order set), letting the
   * actors settle after each instant, until no timer is left, the next one
   * is after `until`, or `stop()` says so. Time ends at the last instant run.
   */
  async run(opts: { until?: number; stop?: () => boolean } = {}): Promise<void> {
    await this.settle();
    for (;;) {
      if (opts.stop?.()) return;
      const next = this.peek();
      if (!next || (opts.until !== undefined && next.at > opts.until)) return;
      this.time = next.at;
      while (this.heap.length > 0 && this.heap[0]!.at === this.time) {
        const timer = this.pop()!;
        if (timer.cancelled) continue;
        this.fired++;
        timer.fn();
      }
      await this.settle();
    }
  }

  /** The earliest live timer, dropping cancelled ones on the way. */
  private peek(): Timer | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0];
  }

  private before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
