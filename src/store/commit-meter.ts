/**
 * OPS-4: times the store's commits for `switchboard_store_commit_seconds`
 * and counts their writes for `switchboard_store_writes_total`.
 *
 * lmdb-js gathers the writes of one event-loop turn into one batch and hands
 * it to its write thread at the turn's end (its `beforecommit` event); every
 * write's promise of that batch resolves together once it has committed. A
 * commit here is one such batch, timed from the hand-over to the moment the
 * main thread sees it committed: the time a batch waits behind the commit
 * before it, and the main thread's delay in noticing, are part of what a
 * client waits for, so they are part of the figure.
 */
import { performance } from 'node:perf_hooks';

export interface CommitObserver {
  /** One batch committed after `seconds`, carrying `writes` puts and removes. */
  committed(seconds: number, writes: number): void;
}

interface Batch {
  writes: number;
  /** performance.now() at the hand-over; NaN while the turn still adds writes. */
  handedAt: number;
}

export class CommitMeter {
  /** The batch of the current turn, not yet handed to the write thread. */
  private open: Batch | undefined;

  constructor(private readonly observer: CommitObserver) {}

  /** A write of this turn, with its promise (which resolves when its batch has committed). */
  wrote(write: Promise<unknown>): void {
    let batch = this.open;
    if (!batch) {
      const opened: Batch = { writes: 0, handedAt: Number.NaN };
      batch = this.open = opened;
      // One observation per batch: every write of it resolves together, so the first one's answer is the batch's.
      write.then(
        () => {
          if (!Number.isNaN(opened.handedAt))
            this.observer.committed((performance.now() - opened.handedAt) / 1000, opened.writes);
        },
        () => undefined,
      );
    }
    batch.writes++;
  }

  /** lmdb-js's `beforecommit`: the turn's writes go to the write thread as one batch. */
  handedOver(): void {
    if (!this.open) return;
    this.open.handedAt = performance.now();
    this.open = undefined;
  }
}
