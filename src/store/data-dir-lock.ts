/**
 * OPS-1: one process at a time owns a data directory. Two servers on one
 * store each keep their own in-memory sequence numbers, so they hand out
 * colliding seqs and overwrite each other's acknowledged messages; a
 * `restore --force` under a running server swaps the file under its map.
 *
 * The owner holds an exclusive flock(2) on the data directory itself (an
 * open descriptor of the directory) for as long as it runs. The kernel
 * drops a flock when its last descriptor closes, which includes the
 * process dying in any way (kill -9, a native crash), so a lock is never
 * stale and nothing needs cleaning up after a crash. Locking the directory
 * rather than a file in it adds no file to the directory: its contents stay
 * LMDB's two files.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { flockSync } from 'fs-ext';
import { StoreError } from './lmdb-store.js';

export interface DataDirLock {
  /** Closes the descriptor, which releases the lock; idempotent. */
  release(): void;
}

/** The process holding the flock on `dir`, from the kernel's lock table (Linux); '' when it cannot tell. */
function holderOf(dir: string): string {
  try {
    const inode = statSync(dir).ino;
    // e.g. "3: FLOCK  ADVISORY  WRITE 4242 00:2e:1234567 0 EOF"
    const line = readFileSync('/proc/locks', 'utf8')
      .split('\n')
      .find((l) => / FLOCK /.test(l) && l.split(/\s+/)[5]?.endsWith(`:${inode}`));
    const pid = line?.split(/\s+/)[4];
    return pid ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}

/**
 * Takes the lock on data directory `dir` (which must exist) for this
 * process; undefined at once, without waiting, when another process (or
 * another owner in this one) holds it.
 */
export function tryLockDataDir(dir: string): DataDirLock | undefined {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (err) {
    throw new StoreError('store_open_failed', `cannot open data directory ${dir}: ${(err as Error).message}`);
  }
  try {
    flockSync(fd, 'exnb');
  } catch (err) {
    closeSync(fd);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return undefined;
    throw new StoreError('store_open_failed', `cannot lock data directory ${dir}: ${(err as Error).message}`);
  }
  let open = true;
  return {
    release() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

/** As tryLockDataDir, but throws `store_locked`, naming the holder, when the directory is taken. */
export function lockDataDir(dir: string): DataDirLock {
  const lock = tryLockDataDir(dir);
  if (lock) return lock;
  throw new StoreError(
    'store_locked',
    `data directory ${dir} is in use by another Switchboard process${holderOf(dir)}; stop it first, or use another --data directory`,
  );
}

/** A data directory owned by this process: locked, and created by it if it was missing. */
export interface DataDirClaim {
  /** Releases the lock; the directory stays. */
  release(): void;
  /** For a command that failed: removes the directory if this claim created it, and releases the lock. */
  abandon(): void;
}

/**
 * Creates `dir` if missing and locks it. A command that then fails abandons
 * the claim, so a failed start or restore leaves no directory behind that
 * was not there before.
 */
export function claimDataDir(dir: string): DataDirClaim {
  let created: string | undefined;
  try {
    created = mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new StoreError('store_open_failed', `cannot create data directory ${dir}: ${(err as Error).message}`);
  }
  // Refused here, the directory is left alone even if this call created it: the holder is using it now.
  const lock = lockDataDir(dir);
  return {
    release: () => lock.release(),
    abandon() {
      // Removed while still locked, so no other process can have started on it meanwhile.
      if (created !== undefined) rmSync(created, { recursive: true, force: true });
      lock.release();
    },
  };
}
