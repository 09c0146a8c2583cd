/**
 * OPS-5: the free-disk reserve, held whatever the write rate.
 *
 * lmdb-js does not survive a write that finds the disk full (a native abort,
 * or a raw EIO, seen with lmdb 3.5.6), so nothing is written unless its bytes
 * fit, with the reserve left over. Every write first reserves its estimated
 * bytes here, against the measured free space minus the reserve minus
 * everything reserved and not yet committed; all writers (uploads, event
 * batches, records) share this one account, so sixteen concurrent uploads
 * cannot each see the same free space.
 *
 * The file system is measured (statfs) once a second, and again whenever a
 * reservation does not fit the last measurement: bytes committed since the
 * last measurement are counted as used until the next one sees them, so a
 * burst between two measurements cannot overrun the reserve. Binary values
 * (file bytes) count their length plus a page; any other value counts one
 * page; what that estimate misses (LMDB's branch pages, its free list) is
 * small beside the reserve, and the next measurement corrects it.
 */
import { statfsSync } from 'node:fs';

/** One LMDB page: the least a record or event costs on disk, and the overhead counted on top of a binary value. */
export const PAGE_BYTES = 4096;

/** What a write costs, counted before it is issued. */
export function estimateBytes(values: Iterable<unknown>): number {
  let bytes = 0;
  for (const value of values) bytes += value instanceof Uint8Array ? value.byteLength + PAGE_BYTES : PAGE_BYTES;
  return bytes;
}

/** Bytes set aside for one write or upload; give them back once, when it is committed or abandoned. */
export interface SpaceReservation {
  /** Bytes held now. */
  readonly bytes: number;
  /** Holds at least `bytes` in all (an upload whose body keeps arriving); false, holding what it held, when they do not fit. */
  grow(bytes: number): boolean;
  /** `written`: the bytes went to the disk, so they count as used until the next measurement sees them. Later calls do nothing. */
  release(written: boolean): void;
}

/** What can reserve space (the store's account; tests and in-memory journals may have none). */
export interface SpaceReserver {
  reserve(bytes: number): SpaceReservation | undefined;
}

/** The account's view for /readyz and the log. */
export interface SpaceState {
  /** Measured free space is below the reserve: every write is refused. */
  low: boolean;
  freeBytes: number;
  minFreeBytes: number;
}

function statfsFree(path: string): number {
  try {
    const fs = statfsSync(path);
    return fs.bavail * fs.bsize;
  } catch {
    return Infinity;
  }
}

export class SpaceAccount implements SpaceReserver {
  /** Refuse writes that would leave fewer free bytes than this (0: never refuse). */
  minFreeBytes: number;
  /** Told when measured free space falls below the reserve, or is back above it. */
  onChange: ((low: boolean, freeBytes: number) => void) | undefined;
  private low = false;
  private measured = Infinity;
  /** Reserved by writes in flight and uploads arriving. */
  private held = 0;
  /** Committed since the last measurement, which may not show them yet. */
  private unmeasured = 0;

  constructor(
    private readonly path: string,
    minFreeBytes: number,
    onChange?: (low: boolean, freeBytes: number) => void,
    /** The free bytes of the file system holding `path` (tests give their own disk). */
    private readonly freeBytesOf: (path: string) => number = statfsFree,
  ) {
    this.minFreeBytes = minFreeBytes;
    this.onChange = onChange;
  }

  /** Measures the file system now; returns the free bytes (Infinity when it cannot tell, and then leaves writing to LMDB). */
  measure(): number {
    const free = this.freeBytesOf(this.path);
    this.measured = free;
    this.unmeasured = 0;
    const low = this.minFreeBytes > 0 && free < this.minFreeBytes;
    if (low !== this.low) {
      this.low = low;
      this.onChange?.(low, free);
    }
    return free;
  }

  state(): SpaceState {
    return { low: this.low, freeBytes: this.measured, minFreeBytes: this.minFreeBytes };
  }

  /** Sets `bytes` aside if they fit above the reserve; undefined when they do not (the write must be refused). */
  reserve(bytes: number): SpaceReservation | undefined {
    if (!this.take(bytes)) return undefined;
    let held = bytes;
    let released = false;
    return {
      get bytes() {
        return held;
      },
      grow: (want: number): boolean => {
        if (released || want <= held) return !released;
        if (!this.take(want - held)) return false;
        held = want;
        return true;
      },
      release: (written: boolean): void => {
        if (released) return;
        released = true;
        this.held -= held;
        if (written) this.unmeasured += held;
      },
    };
  }

  private take(bytes: number): boolean {
    if (this.minFreeBytes > 0 && !this.fits(bytes)) {
      this.measure();
      if (!this.fits(bytes)) return false;
    }
    this.held += bytes;
    return true;
  }

  private fits(bytes: number): boolean {
    return !this.low && this.measured - this.held - this.unmeasured - bytes >= this.minFreeBytes;
  }
}
