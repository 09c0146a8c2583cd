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
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Journal, RecordKey, RecordWrite, StoredEvent } from '../../actors/journal.js';

export type Durability = 'commit' | 'flushed';

/** Bumped whenever the on-disk layout changes incompatibly. */
export const STORE_FORMAT_VERSION = 1;

const MAX_SEQ = Number.MAX_SAFE_INTEGER;
// Sorts after every string or number key component the store writes.
const KEY_END = '\uffff';

export type StoreErrorCode =
  | 'store_version_mismatch'
  | 'store_open_failed'
  /** OPS-3: `restore` into a data directory that already holds something, without --force. */
  | 'store_not_empty'
  /** OPS-3: the file given to `restore` is not a Switchboard backup, or `backup` found no store. */
  | 'backup_invalid';

export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface Meta {
  formatVersion: number;
  createdAt: number;
}

export function versionMismatch(what: string, found: number): StoreError {
  return new StoreError(
    'store_version_mismatch',
    `${what} has data format ${found}; this server reads format ${STORE_FORMAT_VERSION}. Restore a matching backup or run the matching server version.`,
  );
}

/** The format stamp of the LMDB environment in directory `path`, read without writing anything; undefined when it has none. */
export function readFormat(path: string): Meta | undefined {
  let root: RootDatabase | undefined;
  try {
    root = open({ path, maxDbs: 8, compression: false, readOnly: true });
    // Read-only, a database that does not exist opens as nothing rather than being created.
    const meta = root.openDB<Meta, string>({ name: 'meta' }) as Database<Meta, string> | undefined;
    return meta?.get('format');
  } catch (err) {
    throw new StoreError('backup_invalid', `${path} holds no readable Switchboard store: ${(err as Error).message}`);
  } finally {
    void root?.close();
  }
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
      throw versionMismatch(`store at ${path}`, found.formatVersion);
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

  /** Bytes of the LMDB data file: what the store takes on disk (OPS-4 metric). */
  sizeBytes(): number {
    try {
      return statSync(join(this.path, 'data.mdb')).size;
    } catch {
      return 0;
    }
  }

  /**
   * OPS-3: writes a consistent copy of the whole store to `file`, while the
   * store stays open for writes here or in another process. LMDB copies from
   * one read transaction, so the copy is the state of one commit; compaction
   * leaves free pages out. The copy goes to a staging directory beside
   * `file` and is renamed into place, so `file` never holds a partial copy.
   */
  async backup(file: string): Promise<void> {
    const target = resolve(file);
    const stage = mkdtempSync(join(dirname(target), '.switchboard-backup-'));
    try {
      await this.root.backup(stage, true);
      renameSync(join(stage, 'data.mdb'), target);
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
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
