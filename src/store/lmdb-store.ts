/**
 * LMDB store: the event journal, snapshots and records, in one environment.
 *
 * Keys are ordered arrays, values msgpack. Writes are never awaited one by
 * one: lmdb-js puts every write of one event-loop turn into one transaction,
 * and each write's promise resolves when that transaction commits, so a burst
 * of messages costs one commit, not one fsync each.
 *
 * Durability setting:
 *  - `commit` (default): a write is acknowledged when its transaction has
 *    committed. It survives the process being killed (kill -9); LMDB's
 *    overlapping sync flushes it to disk moments later.
 *  - `flushed`: a write is acknowledged only after the commit is flushed to
 *    the disk, so it also survives power loss, at the cost of latency.
 */
import { open, type Database, type RootDatabase } from 'lmdb';
import { mkdirSync } from 'node:fs';
import type { Journal, RecordKey, RecordWrite, StoredEvent } from '../../actors/journal.js';

export type Durability = 'commit' | 'flushed';

/** Bumped whenever the on-disk layout changes incompatibly. */
export const STORE_FORMAT_VERSION = 1;

const MAX_SEQ = Number.MAX_SAFE_INTEGER;
// Sorts after every string or number key component the store writes.
const KEY_END = '\uffff';

export class StoreError extends Error {
  constructor(readonly code: 'store_version_mismatch' | 'store_open_failed', message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

interface Meta {
  formatVersion: number;
  createdAt: number;
}

export class LmdbStore implements Journal {
  private constructor(
    private readonly root: RootDatabase,
    private readonly events: Database<unknown, (string | number)[]>,
    private readonly snapshots: Database<{ seq: number; state: unknown }, string>,
    private readonly recordsDb: Database<unknown, (string | number)[]>,
    readonly durability: Durability,
    readonly path: string,
  ) {}

  static open(path: string, durability: Durability = 'commit'): LmdbStore {
    mkdirSync(path, { recursive: true });
    let root: RootDatabase;
    try {
      root = open({ path, maxDbs: 8, compression: false });
    } catch (err) {
      throw new StoreError('store_open_failed', `cannot open LMDB store at ${path}: ${(err as Error).message}`);
    }
    const meta = root.openDB<Meta, string>({ name: 'meta' });
    const found = meta.get('format');
    if (found && found.formatVersion !== STORE_FORMAT_VERSION) {
      root.close();
      throw new StoreError(
        'store_version_mismatch',
        `store at ${path} has data format ${found.formatVersion}; this server reads format ${STORE_FORMAT_VERSION}. Restore a matching backup or run the matching server version.`,
      );
    }
    if (!found) meta.putSync('format', { formatVersion: STORE_FORMAT_VERSION, createdAt: Date.now() });
    return new LmdbStore(
      root,
      root.openDB<unknown, (string | number)[]>({ name: 'events' }),
      root.openDB<{ seq: number; state: unknown }, string>({ name: 'snapshots' }),
      root.openDB<unknown, (string | number)[]>({ name: 'records' }),
      durability,
      path,
    );
  }

  append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
    // Same event-loop turn, so the event and its records commit in one transaction.
    let last = this.events.put([stream, seq], event);
    for (const w of records) last = this.writeOne(w);
    return this.settle(last);
  }

  *read<E>(stream: string, fromSeq: number, toSeq = MAX_SEQ): Iterable<StoredEvent<E>> {
    for (const { key, value } of this.events.getRange({ start: [stream, fromSeq], end: [stream, toSeq + 1] })) {
      yield { seq: key[1] as number, event: value as E };
    }
  }

  lastSeq(stream: string): number {
    for (const key of this.events.getKeys({ start: [stream, MAX_SEQ], end: [stream, 0], reverse: true, limit: 1 })) {
      return key[1] as number;
    }
    return 0;
  }

  saveSnapshot<S>(stream: string, seq: number, state: S): Promise<void> {
    return this.settle(this.snapshots.put(stream, { seq, state }));
  }

  loadSnapshot<S>(stream: string): { seq: number; state: S } | undefined {
    return this.snapshots.get(stream) as { seq: number; state: S } | undefined;
  }

  writeRecords(writes: readonly RecordWrite[]): Promise<void> {
    let last: Promise<boolean> = Promise.resolve(true);
    for (const w of writes) last = this.writeOne(w);
    return this.settle(last);
  }

  getRecord<V>(key: RecordKey): V | undefined {
    return this.recordsDb.get([...key]) as V | undefined;
  }

  *records<V>(prefix: RecordKey): Iterable<{ key: RecordKey; value: V }> {
    for (const { key, value } of this.recordsDb.getRange({ start: [...prefix], end: [...prefix, KEY_END] })) {
      yield { key, value: value as V };
    }
  }

  /** Resolves when everything written so far is flushed to disk. */
  async flush(): Promise<void> {
    await this.root.flushed;
  }

  async close(): Promise<void> {
    await this.root.flushed;
    await this.root.close();
  }

  private writeOne(w: RecordWrite): Promise<boolean> {
    const key = [...w.key];
    return w.value === undefined ? this.recordsDb.remove(key) : this.recordsDb.put(key, w.value);
  }

  private async settle(write: Promise<boolean>): Promise<void> {
    await write;
    if (this.durability === 'flushed') await this.root.flushed;
  }
}
