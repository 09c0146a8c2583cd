/**
 * Collects an HTTP request body on uWebSockets.js up to a size limit. Must be
 * created in the route handler itself, before any await: body chunks that
 * arrive before onData is registered are lost. Each chunk is copied, since
 * uWS reuses its ArrayBuffer once the callback returns.
 *
 * `body` always settles, and as soon as the outcome is known: with the bytes
 * once the last chunk is in, or with the reason nothing more will be kept
 * (past the limit, no disk space for it, no bytes for the idle timeout, the
 * client gone). Whoever awaits it can therefore always release what the
 * request holds.
 */
import type { HttpResponse } from 'uWebSockets.js';
import type { Clock, TimerHandle } from '../../actors/clock.js';

export type BodyStop = 'too_large' | 'no_space' | 'idle' | 'aborted';
export type BodyOutcome = { ok: true; bytes: Buffer } | { ok: false; reason: BodyStop; received: number };

export interface BodyOptions {
  /** Largest body kept, in bytes. */
  limit: number;
  /** The Content-Length header, if any; a body declared too long is refused before it arrives. */
  declaredLength: number | undefined;
  /** No chunk for this long ends the body as `idle` (0 or absent: no idle timeout). */
  idle?: { clock: Clock; ms: number };
  /** Asked before keeping more bytes (the total so far); false ends the body as `no_space`. */
  room?: (received: number) => boolean;
}

export class RequestBody {
  /** The body, or why it stopped, as soon as that is known. */
  readonly body: Promise<BodyOutcome>;
  /** The last chunk has arrived: answering now leaves nothing unread on the connection. */
  ended = false;
  private received = 0;
  private chunks: Buffer[] = [];
  private settle!: (outcome: BodyOutcome) => void;
  private settled = false;
  private timer: TimerHandle | undefined;

  constructor(
    res: HttpResponse,
    private readonly options: BodyOptions,
  ) {
    this.body = new Promise((resolve) => (this.settle = resolve));
    const { limit, declaredLength } = options;
    if (declaredLength !== undefined && declaredLength > limit) this.stop('too_large');
    else this.armIdle();
    res.onData((chunk, isLast) => {
      this.ended = isLast;
      if (this.settled) return;
      this.received += chunk.byteLength;
      if (this.received > limit) return this.stop('too_large');
      if (options.room && !options.room(this.received)) return this.stop('no_space');
      this.chunks.push(Buffer.from(chunk.slice(0)));
      if (isLast) this.finish({ ok: true, bytes: Buffer.concat(this.chunks, this.received) });
      else this.armIdle();
    });
  }

  /** The client went away (the response's onAborted): nothing more will arrive. */
  abort(): void {
    this.stop('aborted');
  }

  private stop(reason: BodyStop): void {
    this.finish({ ok: false, reason, received: this.received });
  }

  private finish(outcome: BodyOutcome): void {
    if (this.settled) return;
    this.settled = true;
    // Nothing more is kept: a stopped body's bytes are dropped at once.
    this.chunks = [];
    this.timer?.cancel();
    this.timer = undefined;
    this.settle(outcome);
  }

  private armIdle(): void {
    const { idle } = this.options;
    if (!idle || idle.ms <= 0) return;
    this.timer?.cancel();
    this.timer = idle.clock.setTimer(idle.ms, () => this.stop('idle'));
  }
}
