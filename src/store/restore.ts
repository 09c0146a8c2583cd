/**
 * OPS-3: restores a backup file (made by LmdbStore.backup) into a data
 * directory. The backup is checked before anything in the directory is
 * touched: it must be an LMDB store stamped with this server's data format
 * or an older one the server migrates at open.
 * It is copied into a staging directory inside the target first and renamed
 * into place, so an interrupted restore never leaves a half-written store.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dataFileOf, formatReadable, readFormat, StoreError, versionMismatch } from './lmdb-store.js';
import { DataFileDamage, inspectDataFile } from './data-file-check.js';
import { claimDataDir } from './data-dir-lock.js';

export interface RestoreOptions {
  /** Replace the store of a non-empty data directory. No server may be running on it: the directory's lock refuses the restore then. */
  force?: boolean;
}

/**
 * Opening a file that is not LMDB, or a damaged one, can crash the native
 * binding instead of throwing, so the file is checked (data-file-check.ts)
 * before LMDB ever sees it.
 */
function checkBackup(file: string): void {
  try {
    inspectDataFile(file);
  } catch (err) {
    if (err instanceof DataFileDamage)
      throw new StoreError('backup_invalid', `${file} is not a Switchboard backup, or a damaged one: ${err.message}`);
    throw err;
  }
}

export function restoreStore(file: string, dataDir: string, options: RestoreOptions = {}): { bytes: number } {
  if (!existsSync(file) || !statSync(file).isFile())
    throw new StoreError('backup_invalid', `no backup file at ${file}`);
  checkBackup(file);
  // OPS-1: refused at once while a server (or another restore) runs on the directory.
  const claim = claimDataDir(dataDir);
  try {
    refuseNonEmpty(dataDir, options);
    const bytes = restoreInto(file, dataDir);
    claim.release();
    return { bytes };
  } catch (err) {
    claim.abandon();
    throw err;
  }
}

function refuseNonEmpty(dataDir: string, options: RestoreOptions): void {
  const present = readdirSync(dataDir);
  if (present.length > 0 && !options.force) {
    throw new StoreError(
      'store_not_empty',
      `data directory ${dataDir} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}); restore into an empty directory, or pass --force to replace its store`,
    );
  }
}

function restoreInto(file: string, dataDir: string): number {
  const stage = mkdtempSync(join(dataDir, '.restore-'));
  try {
    copyFileSync(file, dataFileOf(stage));
    const format = readFormat(stage);
    if (!format)
      throw new StoreError('backup_invalid', `${file} is not a Switchboard backup (it has no data format stamp)`);
    // An older format is migrated when a server opens it.
    if (!formatReadable(format.formatVersion)) throw versionMismatch(`backup ${file}`, format.formatVersion);
    // The reader lock table of the check, and of whatever server ran before on this directory, must not survive.
    rmSync(join(dataDir, 'lock.mdb'), { force: true });
    renameSync(dataFileOf(stage), dataFileOf(dataDir));
    return statSync(dataFileOf(dataDir)).size;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
