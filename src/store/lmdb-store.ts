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
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BatchJournal, JournalWrite, RecordKey, RecordWrite, StoredEvent } from '../../actors/journal.js';
import { DEFAULT_WORKSPACE } from '../workspaces/workspace-id.js';
import { migrateFormat1 } from './format-migration.js';
import { type Key, type StoreAccess, WorkspaceJournal } from './workspace-journal.js';
import { ensureDefault, listWorkspaces, type Registry, removeWorkspace, clearWorkspace } from './workspace-registry.js';
import type { WorkspaceEntry } from './workspace-registry.js';
import { CommitMeter, type CommitObserver } from './commit-meter.js';
import { DataFileDamage, inspectDataFile, type DataFileReport } from './data-file-check.js';
import { estimateBytes, SpaceAccount, type SpaceReservation } from './space-account.js';

export type Durability = 'commit' | 'flushed';

import { formatReadable, type Meta, STORE_FORMAT_VERSION, StoreError, versionMismatch } from './store-format.js';

export {
  formatReadable,
  type Meta,
  OLDEST_MIGRATED_FORMAT,
  STORE_FORMAT_VERSION,
  StoreError,
  type StoreErrorCode,
  versionMismatch,
} from './store-format.js';

/** The LMDB data file of a data directory; its name is LMDB's, unchanged since the first store. */
export function dataFileOf(dir: string): string {
  return join(dir, 'data.mdb');
}

/**
 * lmdb-js takes a path with an extension (`data.v2`, `/tmp/tmp.Xy3.z`) for
 * a file name, not a directory (`noSubdir`); a data directory is always a
 * directory, holding data.mdb and lock.mdb.
 */
function lmdbOptions(path: string): { path: string; noSubdir: false; maxDbs: number; compression: false } {
  return { path, noSubdir: false, maxDbs: 8, compression: false };
}

/**
 * OPS-1: checks the data file of `dir` before LMDB maps it (data-file-check.ts);
 * throws `store_corrupt` naming the file. Undefined when there is no data file yet.
 */
export function checkDataFile(dir: string): DataFileReport | undefined {
  const file = dataFileOf(dir);
  if (!existsSync(file)) return undefined;
  try {
    return inspectDataFile(file);
  } catch (err) {
    if (!(err instanceof DataFileDamage)) throw err;
    throw new StoreError(
      'store_corrupt',
      `data file ${file} is damaged: ${err.message}. It is not opened (LMDB would crash on it). Restore the last backup: switchboard restore <backup-file> --data ${dir} --force`,
    );
  }
}

/** The format stamp of the LMDB environment in directory `path`, read without writing anything; undefined when it has none. */
export function readFormat(path: string): Meta | undefined {
  let root: RootDatabase | undefined;
  try {
    inspectDataFile(dataFileOf(path));
    root = open({ ...lmdbOptions(path), readOnly: true });
    // Read-only, a database that does not exist opens as nothing rather than being created.
    const meta = root.openDB<Meta, string>({ name: 'meta' }) as Database<Meta, string> | undefined;
    return meta?.get('format');
  } catch (err) {
    throw new StoreError('backup_invalid', `${path} holds no readable Switchboard store: ${(err as Error).message}`);
  } finally {
    void root?.close();
  }
}

/** OPS-5: writes stop while the data directory's file system has less free space than this. */
export const DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024;
const SPACE_CHECK_MS = 1000;

export interface SpaceGuard {
  /** Refuse writes while fewer bytes than this are free (0: never). */
  minFreeBytes: number;
  /** Told when writes stop or resume for lack of space. */
  onChange?: (low: boolean, freeBytes: number) => void;
}

/**
 * The environment, and (as its Journal) the default workspace's view of it;
 * `workspace(id)` is another workspace's view (CLUSTER-1).
 */
export class LmdbStore implements BatchJournal {
  /**
   * OPS-5: every write reserves its bytes in this account before LMDB sees
   * it, and is refused (as a failed write) when they do not fit above the
   * reserve (space-account.ts). With a SpaceGuard at open the file system
   * is measured at once and every second, and whenever a write does not fit.
   */
  readonly space: SpaceAccount;
  private spaceTimer: NodeJS.Timeout | undefined;
  private meter: CommitMeter | undefined;
  private batchListeners: Set<() => void> | undefined;
  private readonly access: StoreAccess;
  private readonly views = new Map<string, WorkspaceJournal>();
  private readonly defaultView: WorkspaceJournal;

  private constructor(
    private readonly root: RootDatabase,
    private readonly registry: Registry,
    db: Omit<StoreAccess, 'write'>,
    readonly durability: Durability,
    readonly path: string,
  ) {
    this.space = new SpaceAccount(path, DEFAULT_MIN_FREE_BYTES);
    this.access = { ...db, write: (values, writes) => this.write(values, writes) };
    this.defaultView = this.workspace(DEFAULT_WORKSPACE);
  }

  /** CLUSTER-1: the view of workspace `id` (made on first use; registered or not, see workspaces()). */
  workspace(id: string): WorkspaceJournal {
    let view = this.views.get(id);
    if (!view) this.views.set(id, (view = new WorkspaceJournal(id, this.access)));
    return view;
  }

  /** CLUSTER-1: the workspaces this store holds, the default one first. */
  workspaces(): WorkspaceEntry[] {
    return listWorkspaces(this.registry);
  }

  /** CLUSTER-1: registers workspace `id` (validated by the caller); false when it exists already. */
  async createWorkspace(id: string): Promise<boolean> {
    if (this.registry.get(id)) return false;
    await this.registry.put(id, { id, createdAt: Date.now() });
    return true;
  }

  /** CLUSTER-1: removes workspace `id` and every record, event and snapshot it owns. */
  deleteWorkspace(id: string): { keys: number } {
    if (id === DEFAULT_WORKSPACE) throw new StoreError('workspace_invalid', 'the default workspace cannot be deleted');
    this.views.delete(id);
    return removeWorkspace(this.registry, this.access, id);
  }

  /** CLUSTER-3: empties workspace `id`, its registry entry kept, before a node rebuilds it from the journal. */
  clearWorkspace(id: string): { keys: number } {
    return clearWorkspace(this.registry, this.access, id);
  }

  /**
   * CLUSTER-1 export: removes every workspace but `id` from this store (a
   * copy being exported). The default workspace's entry stays, as every
   * store has one, but nothing it owned does.
   */
  keepOnlyWorkspace(id: string): void {
    for (const w of this.workspaces()) {
      if (w.id === id) continue;
      this.views.delete(w.id);
      removeWorkspace(this.registry, this.access, w.id);
    }
    ensureDefault(this.registry, Date.now());
  }

  /** Refuse writes that would leave fewer free bytes than this (0: never). */
  get minFreeBytes(): number {
    return this.space.minFreeBytes;
  }

  set minFreeBytes(bytes: number) {
    this.space.minFreeBytes = bytes;
  }

  /**
   * `checks.fileChecked`: the data file was already checked by the process
   * that has it open now (a server, when `backup` runs beside it); reading
   * its pages while that process writes could see pages it is reusing.
   */
  static open(
    path: string,
    durability: Durability = 'commit',
    space?: SpaceGuard,
    checks: { fileChecked?: boolean } = {},
  ): LmdbStore {
    mkdirSync(path, { recursive: true });
    const report = checks.fileChecked ? undefined : checkDataFile(path);
    let root: RootDatabase;
    try {
      root = open(lmdbOptions(path));
    } catch (err) {
      throw new StoreError('store_open_failed', `cannot open LMDB store at ${path}: ${(err as Error).message}`);
    }
    const meta = root.openDB<Meta, string>({ name: 'meta' });
    const found = meta.get('format');
    if (found && !formatReadable(found.formatVersion)) {
      // Open is synchronous; the close finishes on its own and the refusal below is what matters.
      void root.close();
      throw versionMismatch(`store at ${path}`, found.formatVersion);
    }
    const holding = [...(report?.databases ?? [])]
      .filter(([name, entries]) => name !== 'meta' && entries > 0)
      .map(([name]) => name);
    if (report?.plainEntries) holding.push(`${report.plainEntries} keys outside any database`);
    if (!found && holding.length > 0) {
      // Stamping it would hide that this is another program's store, or one that lost its stamp.
      void root.close();
      throw new StoreError(
        'store_corrupt',
        `data file ${dataFileOf(path)} holds data (${holding.join(', ')}) but no Switchboard format stamp: it is not a Switchboard store, or a damaged one. Restore the last backup: switchboard restore <backup-file> --data ${path} --force`,
      );
    }
    if (!found) meta.putSync('format', { formatVersion: STORE_FORMAT_VERSION, createdAt: Date.now() });
    const db = {
      events: root.openDB<unknown, Key>({ name: 'events' }),
      snapshots: root.openDB<{ seq: number; state: unknown }, Key>({ name: 'snapshots' }),
      records: root.openDB<unknown, Key>({ name: 'records' }),
    };
    if (found?.formatVersion === 1) migrateFormat1(root, { meta, ...db });
    const registry = root.openDB<WorkspaceEntry, string>({ name: 'workspaces' });
    ensureDefault(registry, found?.createdAt ?? Date.now());
    const store = new LmdbStore(root, registry, db, durability, path);
    if (space) {
      store.space.minFreeBytes = space.minFreeBytes;
      store.space.onChange = space.onChange;
      store.checkSpace();
      store.spaceTimer = setInterval(() => store.checkSpace(), SPACE_CHECK_MS).unref();
    }
    return store;
  }

  /** The id of the last committed write transaction: unchanged means nothing was written (a dry run proves so, MON-4). */
  lastTransactionId(): number {
    return (this.root.getStats() as { lastTxnId: number }).lastTxnId;
  }

  /** OPS-4: from now on, every commit of writes is timed and its writes counted (commit-meter.ts). */
  observeCommits(observer: CommitObserver): void {
    if (this.meter) throw new Error('commits are already observed');
    const meter = new CommitMeter(observer);
    this.meter = meter;
    this.onBatch(() => meter.handedOver());
  }

  /**
   * Calls `listener` whenever a turn's writes go to LMDB's writer as one
   * transaction (lmdb-js's `beforecommit`), on the main thread; what a
   * trace of the writes per commit needs (test/support/commit-trace.ts).
   * Returns the function that stops the calls.
   */
  onBatch(listener: () => void): () => void {
    if (!this.batchListeners) {
      const listeners = (this.batchListeners = new Set());
      // lmdb-js keeps `beforecommit` callbacks in a list of its own, with no way to remove one.
      this.root.on('beforecommit', () => {
        for (const l of listeners) l();
      });
    }
    this.batchListeners.add(listener);
    return () => void this.batchListeners?.delete(listener);
  }

  /** Looks at the free space now; returns the free bytes. */
  checkSpace(): number {
    return this.space.measure();
  }

  /** The write's bytes, reserved; undefined when they do not fit above the reserve. */
  private reserve(values: Iterable<unknown>): SpaceReservation | undefined {
    return this.space.reserve(estimateBytes(values));
  }

  private refused(): Promise<never> {
    return Promise.reject(
      new StoreError(
        'store_full',
        `the disk of ${this.path} has too little space above the reserve of ${this.minFreeBytes} free bytes; writes are refused until space is freed`,
      ),
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
    return this.defaultView.append(stream, seq, event, records);
  }

  writeBatch(writes: readonly JournalWrite[]): Promise<void> {
    return this.defaultView.writeBatch(writes);
  }

  read<E>(stream: string, fromSeq: number, toSeq?: number): Iterable<StoredEvent<E>> {
    return this.defaultView.read(stream, fromSeq, toSeq);
  }

  lastSeq(stream: string): number {
    return this.defaultView.lastSeq(stream);
  }

  saveSnapshot<S>(stream: string, seq: number, state: S): Promise<void> {
    return this.defaultView.saveSnapshot(stream, seq, state);
  }

  loadSnapshot<S>(stream: string): { seq: number; state: S } | undefined {
    return this.defaultView.loadSnapshot(stream);
  }

  writeRecords(writes: readonly RecordWrite[]): Promise<void> {
    return this.defaultView.writeRecords(writes);
  }

  getRecord<V>(key: RecordKey): V | undefined {
    return this.defaultView.getRecord(key);
  }

  records<V>(prefix: RecordKey): Iterable<{ key: RecordKey; value: V }> {
    return this.defaultView.records(prefix);
  }

  /** Resolves when everything written so far is flushed to disk. */
  async flush(): Promise<void> {
    await this.root.flushed;
  }

  async close(): Promise<void> {
    clearInterval(this.spaceTimer);
    await this.root.flushed;
    await this.root.close();
  }

  /** Every workspace's writes come through here: admitted against the disk reserve, then settled. */
  private write(values: unknown[], writes: () => Promise<boolean>[]): Promise<void> {
    const space = this.reserve(values);
    if (!space) return this.refused();
    return this.settle(writes(), space);
  }

  /**
   * Every write's promise is observed (a transaction that fails rejects all
   * of them). lmdb-js also hangs the failure's cause on a promise of its own
   * (`commitError`), rejected a moment later; left unobserved, that rejection
   * would end the process on a full disk instead of failing the writes.
   */
  private async settle(writes: Promise<boolean>[], space: SpaceReservation): Promise<void> {
    const meter = this.meter;
    if (meter) for (const w of writes) meter.wrote(w);
    try {
      await Promise.all(writes);
    } catch (err) {
      // A failed commit may still have grown the file: counted as used until the next measurement.
      space.release(true);
      void (err as { commitError?: Promise<unknown> }).commitError?.catch(() => undefined);
      throw err;
    }
    space.release(true);
    if (this.durability === 'flushed') await this.root.flushed;
  }
}
