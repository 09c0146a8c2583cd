/**
 * CLUSTER-1: one workspace's view of the store. Every key on disk starts
 * with the workspace id: records `[ws, ...key]`, events `[ws, stream, seq]`,
 * snapshots `[ws, stream]`. The actors build their keys as before
 * (actors/keyspace.ts) and never see the workspace component, so a
 * workspace's actors cannot read or write another's records, and one range
 * read over `[ws]` yields everything a workspace owns (export, delete, and
 * later a move to another node).
 */
import type { Database } from 'lmdb';
import type { BatchJournal, JournalWrite, RecordKey, RecordWrite, StoredEvent } from '../../actors/journal.js';

const MAX_SEQ = Number.MAX_SAFE_INTEGER;
/** Sorts after every string or number key component the store writes. */
export const KEY_END = '\uffff';

export type Key = (string | number)[];

/** The databases of one environment, and how a batch of writes is admitted and settled (lmdb-store.ts). */
export interface StoreAccess {
  readonly events: Database<unknown, Key>;
  readonly snapshots: Database<{ seq: number; state: unknown }, Key>;
  readonly records: Database<unknown, Key>;
  /** Reserves the values' bytes, issues `writes` in this turn, and resolves when they are durable. */
  write(values: unknown[], writes: () => Promise<boolean>[]): Promise<void>;
}

export class WorkspaceJournal implements BatchJournal {
  constructor(
    readonly workspace: string,
    private readonly db: StoreAccess,
  ) {}

  append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
    // Same event-loop turn, so the event and its records commit in one transaction.
    return this.db.write([event, ...records.map((w) => w.value)], () => [
      this.db.events.put([this.workspace, stream, seq], event),
      ...records.map((w) => this.writeOne(w)),
    ]);
  }

  writeBatch(writes: readonly JournalWrite[]): Promise<void> {
    const values = writes.map((w) => (w.kind === 'event' ? w.event : w.kind === 'record' ? w.write.value : w.state));
    return this.db.write(values, () =>
      writes.map((w) =>
        w.kind === 'event'
          ? this.db.events.put([this.workspace, w.stream, w.seq], w.event)
          : w.kind === 'record'
            ? this.writeOne(w.write)
            : this.db.snapshots.put([this.workspace, w.stream], { seq: w.seq, state: w.state }),
      ),
    );
  }

  *read<E>(stream: string, fromSeq: number, toSeq = MAX_SEQ): Iterable<StoredEvent<E>> {
    const ws = this.workspace;
    for (const { key, value } of this.db.events.getRange({
      start: [ws, stream, fromSeq],
      end: [ws, stream, toSeq + 1],
    })) {
      yield { seq: key[2] as number, event: value as E };
    }
  }

  lastSeq(stream: string): number {
    const ws = this.workspace;
    const range = { start: [ws, stream, MAX_SEQ], end: [ws, stream, 0], reverse: true, limit: 1 };
    for (const key of this.db.events.getKeys(range)) return key[2] as number;
    return 0;
  }

  saveSnapshot<S>(stream: string, seq: number, state: S): Promise<void> {
    return this.db.write([state], () => [this.db.snapshots.put([this.workspace, stream], { seq, state })]);
  }

  loadSnapshot<S>(stream: string): { seq: number; state: S } | undefined {
    return this.db.snapshots.get([this.workspace, stream]) as { seq: number; state: S } | undefined;
  }

  writeRecords(writes: readonly RecordWrite[]): Promise<void> {
    return this.db.write(
      writes.map((w) => w.value),
      () => writes.map((w) => this.writeOne(w)),
    );
  }

  getRecord<V>(key: RecordKey): V | undefined {
    return this.db.records.get([this.workspace, ...key]) as V | undefined;
  }

  *records<V>(prefix: RecordKey): Iterable<{ key: RecordKey; value: V }> {
    const start = [this.workspace, ...prefix];
    for (const { key, value } of this.db.records.getRange({ start, end: [...start, KEY_END] })) {
      yield { key: key.slice(1), value: value as V };
    }
  }

  /** CLUSTER-3: everything the workspace holds, as the writes that would make it (a first upload to the cluster). */
  *contents(): Iterable<JournalWrite> {
    const range = { start: [this.workspace], end: [this.workspace, KEY_END] };
    for (const { key, value } of this.db.events.getRange(range))
      yield { kind: 'event', stream: key[1] as string, seq: key[2] as number, event: value };
    for (const { key, value } of this.db.snapshots.getRange(range))
      yield { kind: 'snapshot', stream: key[1] as string, seq: value.seq, state: value.state };
    for (const { key, value } of this.db.records.getRange(range))
      yield { kind: 'record', write: { key: key.slice(1), value } };
  }

  private writeOne(w: RecordWrite): Promise<boolean> {
    const key = [this.workspace, ...w.key];
    return w.value === undefined ? this.db.records.remove(key) : this.db.records.put(key, w.value);
  }
}
