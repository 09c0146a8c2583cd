/**
 * Pending asks and their timeouts. One coarse sweep instead of a timer per
 * ask (nact's `query` sets one per query): an ask is on the path of every
 * chat message, and its timeout is only a safety net, so it may fire up to
 * SWEEP_MS late. The sweep runs on the injected clock, armed only while asks
 * are pending; the real clock's timers are unref'd, so it never keeps a
 * stopping process alive.
 */
import type { Clock, TimerHandle } from '../clock.js';

export const SWEEP_MS = 100;

interface PendingAsk {
  deadline: number;
  expire: () => void;
}

export class AskSweep {
  private readonly pending = new Set<PendingAsk>();
  private timer: TimerHandle | undefined;

  constructor(private readonly clock: Clock) {}

  /** Registers an ask; `expire` runs once if it is still pending at its deadline. Returns the settle function. */
  add(timeoutMs: number, expire: () => void): () => boolean {
    const ask: PendingAsk = { deadline: this.clock.now() + timeoutMs, expire };
    this.pending.add(ask);
    if (!this.timer) this.arm();
    // True the first time only: an answer after the timeout (or a second answer) is ignored.
    return () => this.pending.delete(ask);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = this.clock.setTimer(SWEEP_MS, () => this.sweep());
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const ask of this.pending) {
      if (ask.deadline <= now) {
        this.pending.delete(ask);
        ask.expire();
      }
    }
    if (this.pending.size > 0) this.arm();
    else this.timer = undefined;
  }
}
