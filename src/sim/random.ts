/**
 * Seeded randomness for the simulator (SIM-1): the same seed gives the same
 * run. Each kind of draw (arrivals, handle times, patience, ...) has its own
 * stream derived from the seed, so changing one setting does not shift the
 * numbers drawn for another: two runs compared side by side (SIM-2) see the
 * same customers with the same handle times and patience.
 */

/** sfc32: small, fast, and good enough for simulation (passes PractRand to 2^40+). */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = '') {
    // splitmix-style scrambling of seed and stream name into the four words.
    let h = (seed ^ 0x9e3779b9) >>> 0;
    for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x85ebca6b) >>> 0;
    const next = (): number => {
      h = (h + 0x6d2b79f5) >>> 0;
      let z = h;
      z = Math.imul(z ^ (z >>> 15), z | 1);
      z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
      return (z ^ (z >>> 14)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** A duration distribution, in seconds. */
export type Distribution =
  | { dist: 'exponential'; meanSec: number }
  /** Given by its mean and standard deviation (not those of the underlying normal). */
  | { dist: 'lognormal'; meanSec: number; sdSec: number }
  | { dist: 'fixed'; sec: number };

/** Draws one duration in milliseconds. */
export function sampleMs(d: Distribution, rng: Random): number {
  switch (d.dist) {
    case 'exponential':
      return rng.exponential(d.meanSec) * 1000;
    case 'lognormal': {
      const sigma2 = Math.log(1 + (d.sdSec * d.sdSec) / (d.meanSec * d.meanSec));
      const mu = Math.log(d.meanSec) - sigma2 / 2;
      return Math.exp(mu + Math.sqrt(sigma2) * rng.normal()) * 1000;
    }
    case 'fixed':
      return d.sec * 1000;
  }
}

/** The mean of a distribution, in seconds. */
export const meanSec = (d: Distribution): number => (d.dist === 'fixed' ? d.sec : d.meanSec);
