/**
 * MON-2: what one hour × department × agent rollup holds. Only sums and
 * counts, so that the figures of any range are the sum of its hours; a mean
 * is a sum divided by its count at read time (src/reports/figures.ts).
 */

/** A mean's parts. */
export interface Timing {
  sum: number;
  count: number;
}

export interface RollupSums {
  received: number;
  assigned: number;
  resolved: number;
  queued: number;
  abandoned: number;
  waitMs: Timing;
  firstResponseMs: Timing;
  firstResponseFromCreatedMs: Timing;
  responseMs: Timing;
  handleMs: Timing;
  /**
   * Waits (created → assigned) by whole seconds rounded up: `waitSec[n]`
   * counts waits of (n-1, n] s, so the service level of any threshold X is
   * the sum of the buckets up to X. Waits above WAIT_SEC_MAX share its bucket.
   */
  waitSec: Record<string, number>;
  transfersIn: number;
  transfersOut: number;
  transfersByTag: Record<string, number>;
  ratings: number;
  ratingsGood: number;
  ratingSum: number;
  /**
   * Occupancy (presence-track.ts): ms an agent was online in the hour, and
   * the slot-ms their capacity offered (max × ms) and their conversations
   * held (active × ms) meanwhile.
   */
  onlineMs: number;
  slotMs: number;
  usedSlotMs: number;
}

/** Service levels are asked for up to an hour; longer waits are "above any threshold". */
export const WAIT_SEC_MAX = 3600;

export const emptySums = (): RollupSums => ({
  received: 0,
  assigned: 0,
  resolved: 0,
  queued: 0,
  abandoned: 0,
  waitMs: { sum: 0, count: 0 },
  firstResponseMs: { sum: 0, count: 0 },
  firstResponseFromCreatedMs: { sum: 0, count: 0 },
  responseMs: { sum: 0, count: 0 },
  handleMs: { sum: 0, count: 0 },
  waitSec: {},
  transfersIn: 0,
  transfersOut: 0,
  transfersByTag: {},
  ratings: 0,
  ratingsGood: 0,
  ratingSum: 0,
  onlineMs: 0,
  slotMs: 0,
  usedSlotMs: 0,
});

/** A deep copy of `s`, cheaper than structuredClone: the fields are known, only the maps and timings are objects. */
export const copySums = (s: RollupSums): RollupSums => ({
  ...s,
  waitMs: { ...s.waitMs },
  firstResponseMs: { ...s.firstResponseMs },
  firstResponseFromCreatedMs: { ...s.firstResponseFromCreatedMs },
  responseMs: { ...s.responseMs },
  handleMs: { ...s.handleMs },
  waitSec: { ...s.waitSec },
  transfersByTag: { ...s.transfersByTag },
});

type CountField = 'received' | 'assigned' | 'resolved' | 'queued' | 'abandoned' | 'transfersIn' | 'transfersOut';
type TimingField = 'waitMs' | 'firstResponseMs' | 'firstResponseFromCreatedMs' | 'responseMs' | 'handleMs';
const COUNTS: readonly CountField[] = [
  'received',
  'assigned',
  'resolved',
  'queued',
  'abandoned',
  'transfersIn',
  'transfersOut',
];
const TIMINGS: readonly TimingField[] = [
  'waitMs',
  'firstResponseMs',
  'firstResponseFromCreatedMs',
  'responseMs',
  'handleMs',
];

function addMap(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, n] of Object.entries(from)) {
    const v = (into[k] ?? 0) + n;
    if (v === 0) delete into[k];
    else into[k] = v;
  }
}

/** Adds the online time and slot-ms of `from` into `into` (in place). */
export function addPresence(into: RollupSums, from: RollupSums): RollupSums {
  into.onlineMs += from.onlineMs;
  into.slotMs += from.slotMs;
  into.usedSlotMs += from.usedSlotMs;
  return into;
}

/**
 * Adds `from` into `into` (in place); without its presence when `presence`
 * is false (an agent's presence is in the rollup of each of its departments,
 * and counts once in the agent's row and the total: summary.ts).
 */
export function addSums(into: RollupSums, from: RollupSums, presence = true): RollupSums {
  for (const f of COUNTS) into[f] += from[f];
  for (const f of TIMINGS) {
    into[f].sum += from[f].sum;
    into[f].count += from[f].count;
  }
  addMap(into.waitSec, from.waitSec);
  addMap(into.transfersByTag, from.transfersByTag);
  into.ratings += from.ratings;
  into.ratingsGood += from.ratingsGood;
  into.ratingSum += from.ratingSum;
  return presence ? addPresence(into, from) : into;
}

/** The bucket a wait falls in (see RollupSums.waitSec). */
export const waitBucket = (ms: number): string => String(Math.min(WAIT_SEC_MAX + 1, Math.ceil(Math.max(0, ms) / 1000)));
