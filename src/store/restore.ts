/**
 * OPS-3: restores a backup file (made by LmdbStore.backup) into a data
 * directory. The backup is checked before anything in the directory is
 * touched: it must be an LMDB store stamped with this server's data format.
 * It is copied into a staging directory inside the target first and renamed
 * into place, so an interrupted restore never leaves a half-written store.
 */
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readFormat, STORE_FORMAT_VERSION, StoreError, versionMismatch } from './lmdb-store.js';

export interface RestoreOptions {
  /** Replace the store of a non-empty data directory. The server on it must be stopped first. */
  force?: boolean;
}

/** LMDB's meta page magic (0xBEEFC0DE, little-endian), near the start of every data file. */
const LMDB_MAGIC = Buffer.from([0xde, 0xc0, 0xef, 0xbe]);
/** Two meta pages of 4 KiB: the smallest LMDB data file. */
const MIN_LMDB_BYTES = 8192;

/**
 * Opening a file that is not LMDB can crash the native binding instead of
 * throwing, so the file's start is checked before LMDB ever sees it.
 */
function looksLikeLmdb(file: string): boolean {
  if (statSync(file).size < MIN_LMDB_BYTES) return false;
  const head = Buffer.alloc(64);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.includes(LMDB_MAGIC);
}

export function restoreStore(file: string, dataDir: string, options: RestoreOptions = {}): { bytes: number } {
  if (!existsSync(file) || !statSync(file).isFile()) throw new StoreError('backup_invalid', `no backup file at ${file}`);
  if (!looksLikeLmdb(file)) throw new StoreError('backup_invalid', `${file} is not a Switchboard backup (not an LMDB data file)`);
  mkdirSync(dataDir, { recursive: true });
  const present = readdirSync(dataDir);
  if (present.length > 0 && !options.force) {
    throw new StoreError('store_not_empty', `data directory ${dataDir} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}); restore into an empty directory, or pass --force to replace its store`);
  }
  const stage = mkdtempSync(join(dataDir, '.restore-'));
  try {
    copyFileSync(file, join(stage, 'data.mdb'));
    const format = readFormat(stage);
    if (!format) throw new StoreError('backup_invalid', `${file} is not a Switchboard backup (it has no data format stamp)`);
    if (format.formatVersion !== STORE_FORMAT_VERSION) throw versionMismatch(`backup ${file}`, format.formatVersion);
    // The reader lock table of the check, and of whatever server ran before on this directory, must not survive.
    rmSync(join(dataDir, 'lock.mdb'), { force: true });
    renameSync(join(stage, 'data.mdb'), join(dataDir, 'data.mdb'));
    return { bytes: statSync(join(dataDir, 'data.mdb')).size };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
