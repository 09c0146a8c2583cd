/**
 * The store's on-disk format stamp and the errors of opening, restoring
 * and writing a store, with their stable codes.
 */

/**
 * Bumped whenever the on-disk layout changes incompatibly. 2: the workspace
 * id leads every key (CLUSTER-1); a format-1 store is migrated at open
 * (format-migration.ts).
 */
export const STORE_FORMAT_VERSION = 2;
/** The oldest format this server migrates at open. */
export const OLDEST_MIGRATED_FORMAT = 1;

/** True for a format this server opens (its own, or an older one it migrates). */
export function formatReadable(version: number): boolean {
  return version >= OLDEST_MIGRATED_FORMAT && version <= STORE_FORMAT_VERSION;
}

export type StoreErrorCode =
  | 'store_version_mismatch'
  | 'store_open_failed'
  /** OPS-3: `restore` into a data directory that already holds something, without --force. */
  | 'store_not_empty'
  /** OPS-3: the file given to `restore` is not a Switchboard backup, or `backup` found no store. */
  | 'backup_invalid'
  /** OPS-5: the disk's free space is below the reserve; writes are refused until it is back. */
  | 'store_full'
  /** OPS-1: another process (a server or a restore) owns the data directory. */
  | 'store_locked'
  /** OPS-1: the data file is damaged (truncated, zeroed, garbage); LMDB would crash on it. */
  | 'store_corrupt'
  /** CLUSTER-1: a workspace command names a workspace that is not there, or one it may not create or delete. */
  | 'workspace_unknown'
  | 'workspace_invalid'
  /** CLUSTER-1: `workspace create` of an id the store holds already. */
  | 'workspace_exists'
  /** CLUSTER-1: a workspace command pointed at a data directory holding no store. */
  | 'store_missing'
  /** CLUSTER-1: `workspace delete` of a workspace with signed-in staff or open conversations, without --force. */
  | 'workspace_busy';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
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
