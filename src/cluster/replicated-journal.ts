/**
 * CLUSTER-3, durability `cluster`: the Journal port of a workspace this node
 * owns. Every write goes first to the workspace's JetStream subject (through
 * the lease-fenced JournalWriter) and then to the node's own LMDB view; its
 * promise resolves only when both hold it, so nothing is acknowledged to a
 * client before a quorum of the NATS servers has it. Reads are the local
 * view's, which holds exactly the acknowledged writes.
 *
 * Writes that arrive while an append is in flight are gathered into the
 * next one (group commit): a batch per round trip, not per write. Batches
 * reach the stream and the local store in the order they were issued, so
 * the port's ordering promise holds. The local view records the stream
 * sequence it has applied (APPLIED_KEY) in the same transaction, which is
 * where a later owner on this node resumes its catch-up.
 *
 * A write the stream refuses for a reason other than its size (fenced,
 * unavailable, lease lost) means this node may no longer write: every later
 * write fails at once and `onFailure` tells the node to step down.
 */
import type { BatchJournal, JournalWrite, RecordKey, RecordWrite, StoredEvent } from '../../actors/journal.js';
import { ClusterError } from './cluster-error.js';
import type { JournalBatch, JournalWriter } from './journal-stream.js';

/** The record of a workspace's local view that holds the last stream sequence applied to it. */
export const APPLIED_KEY: RecordKey = ['_cluster', 'applied'];

interface Pending {
  writes: JournalWrite[];
  /** Per write call, in order: how many writes of `writes` are its, and its promise's settlers. */
  calls: { count: number; resolve: () => void; reject: (err: unknown) => void }[];
}

export class ReplicatedJournal implements BatchJournal {
  private pending: Pending | undefined;
  private draining = false;
  private failed: ClusterError | undefined;

  constructor(
    private readonly local: BatchJournal,
    private readonly writer: JournalWriter,
    private readonly onFailure: (err: ClusterError) => void,
  ) {}

  /** Why this journal refuses writes, once it does. */
  get failure(): ClusterError | undefined {
    return this.failed;
  }

  /** The stream sequence of the last write acknowledged by JetStream. */
  get streamSeq(): number {
    return this.writer.lastSeq;
  }

  append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
    return this.enqueue([{ kind: 'event', stream, seq, event }, ...records.map(recordWrite)]);
  }

  writeBatch(writes: readonly JournalWrite[]): Promise<void> {
    return this.enqueue([...writes]);
  }

  saveSnapshot<S>(stream: string, seq: number, state: S): Promise<void> {
    return this.enqueue([{ kind: 'snapshot', stream, seq, state }]);
  }

  writeRecords(writes: readonly RecordWrite[]): Promise<void> {
    return this.enqueue(writes.map(recordWrite));
  }

  read<E>(stream: string, fromSeq: number, toSeq?: number): Iterable<StoredEvent<E>> {
    return this.local.read<E>(stream, fromSeq, toSeq);
  }

  lastSeq(stream: string): number {
    return this.local.lastSeq(stream);
  }

  loadSnapshot<S>(stream: string): { seq: number; state: S } | undefined {
    return this.local.loadSnapshot<S>(stream);
  }

  getRecord<V>(key: RecordKey): V | undefined {
    return this.local.getRecord<V>(key);
  }

  records<V>(prefix: RecordKey): Iterable<{ key: RecordKey; value: V }> {
    return this.local.records<V>(prefix);
  }

  /** Resolves once every write issued so far has settled. */
  async settled(): Promise<void> {
    while (this.draining || this.pending) await new Promise((r) => setTimeout(r, 2));
  }

  private enqueue(writes: JournalWrite[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<void>((resolve, reject) => {
      this.pending ??= { writes: [], calls: [] };
      this.pending.writes.push(...writes);
      this.pending.calls.push({ count: writes.length, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // The rest of this turn's writes join the batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const batch = this.pending;
      this.pending = undefined;
      await this.send(batch);
    }
    this.draining = false;
  }

  /**
   * One batch to the stream; once acknowledged, to the local view (not
   * awaited, so the next append starts while LMDB commits: the local writes
   * are still issued in stream order). A batch over the size limit is split
   * by write call; a single call over it fails alone.
   */
  private async send(batch: Pending): Promise<void> {
    if (this.failed) return rejectAll(batch, this.failed);
    let seq: number;
    try {
      seq = await this.writer.append(toBatch(batch.writes));
    } catch (err) {
      if (err instanceof ClusterError && err.code === 'too_large') {
        if (batch.calls.length === 1) return rejectAll(batch, err);
        for (const part of halves(batch)) await this.send(part);
        return;
      }
      const failure =
        err instanceof ClusterError ? err : new ClusterError('unavailable', 'journal append failed', { cause: err });
      this.fail(failure);
      return rejectAll(batch, failure);
    }
    // Failed while this append was in flight: the stream has it, but its caller is told it failed.
    if (this.failed) return rejectAll(batch, this.failed);
    const applied: JournalWrite = { kind: 'record', write: { key: APPLIED_KEY, value: seq } };
    this.local.writeBatch([...batch.writes, applied]).then(
      () => {
        for (const c of batch.calls) c.resolve();
      },
      (err: unknown) => {
        // The stream has the batch and this node's store does not: its view is behind, so it must not serve
        // on, and a later batch may commit past this one: the mark goes, so the next take rebuilds the view.
        this.fail(new ClusterError('unavailable', 'the local store refused a replicated batch', { cause: err }));
        rejectAll(batch, err);
        this.local.writeRecords([{ key: APPLIED_KEY, value: undefined }]).catch(() => undefined);
      },
    );
  }

  private fail(err: ClusterError): void {
    if (this.failed) return;
    this.failed = err;
    this.onFailure(err);
  }
}

/** A stream entry's batch, as the local store takes it back (replay.ts). */
export function toBatch(writes: readonly JournalWrite[]): JournalBatch {
  const batch: JournalBatch = { events: [], records: [] };
  for (const w of writes) {
    if (w.kind === 'event') batch.events.push({ stream: w.stream, seq: w.seq, event: w.event });
    else if (w.kind === 'record') batch.records.push(w.write);
    else (batch.snapshots ??= []).push({ stream: w.stream, seq: w.seq, state: w.state });
  }
  return batch;
}

/** The writes of a stream entry's batch. Events, records and snapshots touch distinct keys, so their order across kinds does not matter. */
export function writesOf(batch: JournalBatch): JournalWrite[] {
  return [
    ...batch.events.map((e): JournalWrite => ({ kind: 'event', stream: e.stream, seq: e.seq, event: e.event })),
    ...batch.records.map(recordWrite),
    ...(batch.snapshots ?? []).map(
      (s): JournalWrite => ({ kind: 'snapshot', stream: s.stream, seq: s.seq, state: s.state }),
    ),
  ];
}

function recordWrite(write: RecordWrite): JournalWrite {
  return { kind: 'record', write };
}

function rejectAll(batch: Pending, err: unknown): void {
  for (const c of batch.calls) c.reject(err);
}

function halves(batch: Pending): Pending[] {
  const mid = Math.ceil(batch.calls.length / 2);
  const split = batch.calls.slice(0, mid).reduce((n, c) => n + c.count, 0);
  return [
    { writes: batch.writes.slice(0, split), calls: batch.calls.slice(0, mid) },
    { writes: batch.writes.slice(split), calls: batch.calls.slice(mid) },
  ];
}
