/**
 * MON-2: the rollups of a range summed for the summary report: in total,
 * per department, per agent, and per series bucket. A range of whole UTC
 * days shown by the day is summed from the period cache (period-cache.ts:
 * whole months, whole days, the hours of a partial day); any other range
 * from its hours. Both add the same integer sums, so they give the same
 * figures.
 */
import type { Journal } from '../../actors/journal.js';
import { Keys } from '../../actors/keyspace.js';
import { addSums, emptySums, type RollupSums } from './rollup-sums.js';
import { DAY_MS, HOUR_MS } from './hours.js';
import type { PeriodCache, PeriodRollups } from './period-cache.js';

export interface RangeSums {
  total: RollupSums;
  departments: Map<string, RollupSums>;
  agents: Map<string, RollupSums>;
  /** One per bucket of `bucketMs` from the range's start. */
  points: RollupSums[];
}

export const sumsIn = (map: Map<string, RollupSums>, id: string): RollupSums => {
  let s = map.get(id);
  if (!s) map.set(id, (s = emptySums()));
  return s;
};

function empty(from: number, to: number, bucketMs: number): RangeSums {
  const points: RollupSums[] = [];
  for (let start = from; start < to; start += bucketMs) points.push(emptySums());
  return { total: emptySums(), departments: new Map(), agents: new Map(), points };
}

/** Every hourly rollup record of the range, read from the store. */
function byHours(journal: Journal, from: number, to: number, bucketMs: number, wanted: Set<string>): RangeSums {
  const out = empty(from, to, bucketMs);
  for (let hour = from; hour < to; hour += HOUR_MS) {
    const point = out.points[Math.floor((hour - from) / bucketMs)]!;
    for (const { key, value } of journal.records<RollupSums>(Keys.reportHours(hour))) {
      const department = String(key[2]);
      if (!wanted.has(department)) continue;
      const agent = String(key[3]);
      addSums(out.total, value);
      addSums(point, value);
      addSums(sumsIn(out.departments, department), value);
      if (agent !== '') addSums(sumsIn(out.agents, agent), value);
    }
  }
  return out;
}

/** The same sums from summed periods; the range starts at a UTC midnight and is shown by the day. */
function byPeriods(periods: PeriodCache, from: number, to: number, wanted: Set<string>): RangeSums {
  const out = empty(from, to, DAY_MS);
  const wantedOf = function* (p: PeriodRollups) {
    for (const [department, d] of p) if (wanted.has(department)) yield [department, d] as const;
  };
  for (const period of periods.cover(from, to))
    for (const [department, d] of wantedOf(period)) {
      addSums(out.total, d.sums);
      addSums(sumsIn(out.departments, department), d.sums);
      for (const [agent, s] of d.agents) addSums(sumsIn(out.agents, agent), s);
    }
  out.points.forEach((point, i) => {
    const start = from + i * DAY_MS;
    const end = Math.min(to, start + DAY_MS);
    const day = end - start === DAY_MS ? periods.day(start) : periods.hours(start, end);
    for (const [, d] of wantedOf(day)) addSums(point, d.sums);
  });
  return out;
}

export function rangeSums(
  journal: Journal,
  periods: PeriodCache | undefined,
  range: { from: number; to: number },
  bucketMs: number,
  departments: readonly string[],
): RangeSums {
  const { from, to } = range;
  const wanted = new Set(departments);
  if (periods && bucketMs === DAY_MS && from % DAY_MS === 0) return byPeriods(periods, from, to, wanted);
  return byHours(journal, from, to, bucketMs, wanted);
}
