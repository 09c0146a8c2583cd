/**
 * Open-loop pacing: calls `fire(dueAt)` once for every event due at a fixed
 * rate since `start`, whatever the answers to earlier events (a slow server
 * therefore sees the same offered load, and its queueing shows in the
 * latencies). With `poisson`, gaps are exponential around the mean instead of
 * even, as independent arrivals are.
 */
import { epochNow } from './worker-protocol.js';

export class OpenLoop {
  private timer: NodeJS.Timeout | undefined;
  private nextAt = 0;

  constructor(
    private readonly ratePerSec: number,
    private readonly fire: (dueAt: number) => void,
    private readonly poisson = false,
  ) {}

  start(): void {
    if (this.ratePerSec <= 0) return;
    this.nextAt = epochNow();
    this.tick();
    this.timer = setInterval(() => this.tick(), 1);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private gapMs(): number {
    const mean = 1000 / this.ratePerSec;
    return this.poisson ? -Math.log(1 - Math.random()) * mean : mean;
  }

  private tick(): void {
    const now = epochNow();
    while (this.nextAt <= now) {
      const due = this.nextAt;
      this.nextAt += this.gapMs();
      this.fire(due);
    }
  }
}
