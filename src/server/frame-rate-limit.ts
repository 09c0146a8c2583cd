/**
 * OPS-5: the per-connection frame rate limit, a token bucket. A connection
 * starts with `burst` tokens; each frame takes one; tokens come back at
 * `perSecond`, up to `burst`. A frame with no token left is refused with a
 * `rate_limited` error, not executed. A connection that keeps flooding, with
 * more than `perSecond` frames refused within one second, is closed (1008):
 * answering a flood frame by frame would cost as much as serving it.
 */
export interface FrameRateLimit {
  /** Sustained frames per second per connection; 0 turns the limit off. */
  perSecond: number;
  /** Frames a connection may send at once, above the sustained rate. */
  burst: number;
}

export type FrameVerdict = 'ok' | 'refused' | 'close';

export class FrameBucket {
  private tokens: number;
  private last: number;
  private refusedWindowStart = 0;
  private refusedInWindow = 0;

  constructor(
    private readonly limit: FrameRateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.last = now;
  }

  /** Takes one frame's token at `now` (ms). */
  take(now: number): FrameVerdict {
    const { perSecond, burst } = this.limit;
    if (now > this.last) {
      this.tokens = Math.min(burst, this.tokens + ((now - this.last) * perSecond) / 1000);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'ok';
    }
    if (now - this.refusedWindowStart >= 1000) {
      this.refusedWindowStart = now;
      this.refusedInWindow = 0;
    }
    return ++this.refusedInWindow > perSecond ? 'close' : 'refused';
  }
}
