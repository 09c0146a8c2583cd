/**
 * The persistence port actors write through. src/store implements it on LMDB.
 *
 * Writes return a promise that resolves once the write is durable (per the
 * store's durability setting); writes issued in one event-loop turn commit
 * together, so an actor issues them and answers clients when the promise
 * resolves, instead of awaiting each in turn. Writes commit in the order they
 * were issued. Reads are synchronous and see committed data only.
 */
export type RecordKey = readonly (string | number)[];

/**
 * A string naming `key` alone, for maps keyed by record: a number is `#n;`,
 * a string its length, `:` and itself, so no two keys share one (a string
 * part may hold any character). Cheaper than JSON.stringify, which the
 * reports paid several times per store write.
 */
export function recordKeyId(key: RecordKey): string {
  let id = '';
  for (const part of key) id += typeof part === 'number' ? `#${part};` : `${part.length}:${part}`;
  return id;
}

export interface StoredEvent<E> {
  seq: number;
  event: E;
}

export interface Journal {
  /** Appends `event` at `seq` of `stream`, together with any record updates given. */
  append<E>(stream: string, seq: number, event: E, records?: readonly RecordWrite[]): Promise<void>;
  /** Events of `stream` with fromSeq <= seq <= toSeq, in order. */
  read<E>(stream: string, fromSeq: number, toSeq?: number): Iterable<StoredEvent<E>>;
  /** The highest seq of `stream`, 0 if empty. */
  lastSeq(stream: string): number;
  saveSnapshot<S>(stream: string, seq: number, state: S): Promise<void>;
  loadSnapshot<S>(stream: string): { seq: number; state: S } | undefined;
  /** Writes or (value undefined) deletes records. */
  writeRecords(writes: readonly RecordWrite[]): Promise<void>;
  getRecord<V>(key: RecordKey): V | undefined;
  /** Records whose key starts with `prefix`, in key order. */
  records<V>(prefix: RecordKey): Iterable<{ key: RecordKey; value: V }>;
}

/** One write of a batch (BatchJournal.writeBatch). */
export type JournalWrite =
  | { kind: 'event'; stream: string; seq: number; event: unknown }
  | { kind: 'record'; write: RecordWrite }
  | { kind: 'snapshot'; stream: string; seq: number; state: unknown };

/**
 * A journal that also takes many writes as one: admitted or refused as a whole and committed together, in
 * the order given. The reports journal (src/reports) gathers a turn's writes into one batch with it.
 */
export interface BatchJournal extends Journal {
  writeBatch(writes: readonly JournalWrite[]): Promise<void>;
}

export interface RecordWrite {
  key: RecordKey;
  /** undefined deletes the record. */
  value: unknown;
}
