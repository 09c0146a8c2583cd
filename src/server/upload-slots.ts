/**
 * OPS-5: how many uploads arrive at once. Each may hold up to the upload
 * limit in memory while its body arrives, so only so many are admitted; one
 * that is not gets 503 at once. A slot also carries the upload's disk-space
 * reservation (space-account.ts), so both are given back together, and
 * exactly once, whichever way the upload ends: stored, refused, failed,
 * timed out, or abandoned by its client.
 */
import { PAGE_BYTES, type SpaceReservation, type SpaceReserver } from '../store/space-account.js';

/** Uploads received at once, at most. */
export const MAX_UPLOADS_IN_FLIGHT = 16;

export class UploadSlot {
  private space: SpaceReservation | undefined;
  private released = false;
  /** Until the caller may upload, nothing is reserved: a request without the right to upload holds no disk space. */
  private authorized = false;
  private arrived = 0;

  constructor(
    private readonly reserver: SpaceReserver | undefined,
    private readonly onRelease: () => void,
  ) {}

  /**
   * Holds disk space for at least `bytes` of the file (its Content-Length up front, or what has
   * arrived of a body without one); false when they do not fit above the free-disk reserve.
   */
  cover(bytes: number): boolean {
    if (this.released) return false;
    if (!this.authorized) {
      this.arrived = Math.max(this.arrived, bytes);
      return true;
    }
    if (!this.reserver) return true;
    // As the store will count the write (estimateBytes): the file's bytes and a page each for them and its metadata record.
    const write = bytes + 2 * PAGE_BYTES;
    if (this.space) return this.space.grow(write);
    this.space = this.reserver.reserve(write);
    return this.space !== undefined;
  }

  /**
   * The caller may upload this file: from now on its bytes are reserved, at once all it declared
   * (so concurrent uploads are each taken whole or refused, never all cut off half way).
   */
  authorize(declaredBytes: number): boolean {
    this.authorized = true;
    return this.cover(Math.max(declaredBytes, this.arrived));
  }

  /**
   * Gives the upload's space back just before the store reserves the write itself, in the same turn,
   * so no other write can take it in between.
   */
  handOverSpace(): void {
    this.space?.release(false);
    this.space = undefined;
  }

  /** The upload is over, whichever way; later calls do nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.handOverSpace();
    this.onRelease();
  }
}

export class UploadSlots {
  private taken = 0;

  constructor(
    private readonly reserver: SpaceReserver | undefined,
    /** Told the number of uploads in flight whenever it changes (the OPS-4 gauge). */
    private readonly onCount: (inFlight: number) => void = () => undefined,
    readonly capacity = MAX_UPLOADS_IN_FLIGHT,
  ) {
    onCount(0);
  }

  get inFlight(): number {
    return this.taken;
  }

  /** A slot, or undefined when all are taken. */
  take(): UploadSlot | undefined {
    if (this.taken >= this.capacity) return undefined;
    this.onCount(++this.taken);
    return new UploadSlot(this.reserver, () => this.onCount(--this.taken));
  }
}
