/**
 * OPS-2: a Bloom filter of a conversation's client message ids, in front of
 * the exact duplicate check (chat.ts: the recent ids in memory, then the
 * id's index record in the store). A negative answer is certain, so a new
 * message skips the exact lookup, which after the first 1,024 ids (or once
 * a snapshot was loaded) is a B-tree lookup in LMDB for every send; a
 * positive answer falls through to the exact check. So no duplicate passes
 * and no new message is refused: the filter only spares work.
 *
 * It grows with the conversation (a scalable Bloom filter): when a layer
 * holds its capacity, a new one of twice the capacity and half the
 * false-positive rate is added, so the rate over all layers stays below
 * twice the first layer's (p + p/2 + p/4 … < 2p) however many ids come.
 * Nothing of it is stored: it is rebuilt when the conversation loads
 * (recovery.ts), from the events replayed and the ids' index records.
 */

/** The first layer's false-positive rate; the whole filter's stays below twice this. */
export const FIRST_LAYER_FP = 0.005;
/** Ids the first layer is sized for when the conversation has fewer. */
const MIN_CAPACITY = 1024;

class Layer {
  readonly bits: Uint32Array;
  readonly size: number;
  readonly hashes: number;
  count = 0;

  constructor(
    readonly capacity: number,
    fp: number,
  ) {
    // The optimal sizes for `capacity` ids at rate `fp`: m = -n ln p / ln² 2 bits, k = m/n ln 2 probes.
    const bits = Math.ceil((-capacity * Math.log(fp)) / Math.LN2 ** 2);
    this.size = Math.ceil(bits / 32) * 32;
    this.bits = new Uint32Array(this.size / 32);
    this.hashes = Math.max(1, Math.round((this.size / capacity) * Math.LN2));
  }

  add(h1: number, h2: number): void {
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + i * h2) % this.size;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.count++;
  }

  has(h1: number, h2: number): boolean {
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + i * h2) % this.size;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

export class ClientMsgFilter {
  /** Empty until the first id: most conversations a server creates under load never see one, and a layer is 1.4 KiB. */
  private readonly layers: Layer[] = [];
  private readonly firstCapacity: number;
  private h1 = 0;
  private h2 = 0;

  /** Sized for `expected` ids (those the conversation holds when it loads), with room to grow. */
  constructor(expected = 0) {
    this.firstCapacity = Math.max(MIN_CAPACITY, 2 * expected);
  }

  /** Ids added so far. */
  get count(): number {
    let n = 0;
    for (const l of this.layers) n += l.count;
    return n;
  }

  add(key: string): void {
    this.hash(key);
    let last = this.layers[this.layers.length - 1];
    if (!last) {
      last = new Layer(this.firstCapacity, FIRST_LAYER_FP);
      this.layers.push(last);
    } else if (last.count >= last.capacity) {
      const fp = FIRST_LAYER_FP / 2 ** this.layers.length;
      last = new Layer(last.capacity * 2, fp);
      this.layers.push(last);
    }
    last.add(this.h1, this.h2);
  }

  /** False: `key` was never added. True: it may have been (the exact check decides). */
  mightHave(key: string): boolean {
    if (!this.layers.length) return false;
    this.hash(key);
    for (const l of this.layers) if (l.has(this.h1, this.h2)) return true;
    return false;
  }

  /**
   * Two independent 32-bit hashes of the key's UTF-16 units (FNV-1a and a
   * multiply-xorshift), combined as h1 + i·h2 (Kirsch–Mitzenmacher): as good
   * as k hashes for a Bloom filter at the cost of two. h2 is odd, so the
   * probes do not collapse onto one bit.
   */
  private hash(key: string): void {
    let a = 0x811c9dc5;
    let b = 0x9e3779b9;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    this.h1 = (a ^ (a >>> 16)) >>> 0;
    this.h2 = ((b ^ (b >>> 16)) | 1) >>> 0;
  }
}
