/**
 * CLUSTER-1: format 1 → 2. Format 1 kept one workspace and keyed records
 * `[...key]`, events `[stream, seq]` and snapshots `stream`; format 2 puts
 * the workspace id first in every key (workspace-journal.ts). A format-1
 * store becomes the default workspace of a format-2 one, in one write
 * transaction at open: a crash part way leaves it at format 1, and the next
 * open migrates it again from the start.
 */
import type { Database, RootDatabase } from 'lmdb';
import { DEFAULT_WORKSPACE } from '../workspaces/workspace-id.js';
import type { Key } from './workspace-journal.js';

/** Rewrites every key of `db` with `rekey`; reads all keys first, since LMDB cursors do not survive writes under them. */
function rekeyAll<K extends Key | string, V>(db: Database<V, K>, rekey: (key: K) => Key): number {
  const entries = [...db.getRange({})].map(({ key, value }) => ({ key, value }));
  for (const { key, value } of entries) {
    db.removeSync(key);
    (db as unknown as Database<V, Key>).putSync(rekey(key), value);
  }
  return entries.length;
}

export interface Format1Databases {
  meta: Database<{ formatVersion: number; createdAt: number }, string>;
  events: Database<unknown, Key>;
  snapshots: Database<unknown, Key>;
  records: Database<unknown, Key>;
}

/** Migrates a format-1 store in place; answers how many keys were rewritten. */
export function migrateFormat1(root: RootDatabase, db: Format1Databases): number {
  const found = db.meta.get('format');
  if (!found) return 0;
  return root.transactionSync(() => {
    const ws = DEFAULT_WORKSPACE;
    let n = 0;
    n += rekeyAll(db.events, (k) => [ws, ...k]);
    // Format 1 keyed snapshots by the stream name alone.
    n += rekeyAll(db.snapshots as unknown as Database<unknown, string>, (k) => [ws, k]);
    n += rekeyAll(db.records, (k) => [ws, ...k]);
    db.meta.putSync('format', { ...found, formatVersion: 2 });
    return n;
  });
}
