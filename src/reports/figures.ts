/**
 * MON-2: the figures of the reports contract (docs/reports.md), read from
 * summed rollups. Means and shares are computed here, once, so the JSON,
 * the CSV and the pages show the same numbers.
 */
import { WAIT_SEC_MAX, type RollupSums, type Timing } from './rollup-sums.js';

export interface Mean {
  mean: number | null;
  count: number;
}

export interface Figures {
  received: number;
  assigned: number;
  resolved: number;
  queued: number;
  abandoned: number;
  abandonRate: number | null;
  waitMs: Mean;
  firstResponseMs: Mean;
  firstResponseFromCreatedMs: Mean;
  responseMs: Mean;
  handleMs: Mean;
  serviceLevel: number | null;
  /** Slot-ms held ÷ slot-ms offered while online; null with no online time (docs/reports.md). */
  occupancy: number | null;
  /** Agents' time online, ms (summed over agents). */
  onlineMs: number;
  transfers: { in: number; out: number; byTag: Record<string, number> };
  satisfaction: { ratings: number; good: number; goodShare: number | null; mean: number | null };
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const meanOf = (t: Timing): Mean => ({ mean: t.count > 0 ? t.sum / t.count : null, count: t.count });

/** Waits of at most `sec` seconds, from the whole-second buckets. */
export function waitsWithin(s: RollupSums, sec: number): number {
  let n = 0;
  const limit = Math.min(sec, WAIT_SEC_MAX);
  for (const [bucket, count] of Object.entries(s.waitSec)) if (Number(bucket) <= limit) n += count;
  return n;
}

export function figuresOf(s: RollupSums, serviceLevelSec: number): Figures {
  return {
    received: s.received,
    assigned: s.assigned,
    resolved: s.resolved,
    queued: s.queued,
    abandoned: s.abandoned,
    abandonRate: share(s.abandoned, s.queued),
    waitMs: meanOf(s.waitMs),
    firstResponseMs: meanOf(s.firstResponseMs),
    firstResponseFromCreatedMs: meanOf(s.firstResponseFromCreatedMs),
    responseMs: meanOf(s.responseMs),
    handleMs: meanOf(s.handleMs),
    serviceLevel: share(waitsWithin(s, serviceLevelSec), s.waitMs.count),
    occupancy: share(s.usedSlotMs, s.slotMs),
    onlineMs: s.onlineMs,
    transfers: { in: s.transfersIn, out: s.transfersOut, byTag: { ...s.transfersByTag } },
    satisfaction: {
      ratings: s.ratings,
      good: s.ratingsGood,
      goodShare: share(s.ratingsGood, s.ratings),
      mean: s.ratings > 0 ? s.ratingSum / s.ratings : null,
    },
  };
}
