/**
 * MON-2: the summary report of a range: the rollups of its hours summed per
 * department, per agent and in total, and a series of hours or days. It
 * reads one range of rollup records per hour of the range and never a
 * conversation's history.
 */
import type { Journal } from '../../actors/journal.js';
import { Keys } from '../../actors/keyspace.js';
import type { DepartmentRecord } from '../../actors/department/records.js';
import type { StaffRecord } from '../../actors/agent/records.js';
import { addSums, emptySums, type RollupSums } from './rollup-sums.js';
import { figuresOf, type Figures } from './figures.js';
import { DAY_MS, HOUR_MS } from './hours.js';
import { REPORT_TIME_ZONE, type ReportRange } from './report-range.js';

export interface SeriesPoint {
  start: string;
  received: number;
  resolved: number;
  abandoned: number;
  waitMsMean: number | null;
}

export interface Summary {
  range: { from: string; to: string; timeZone: string };
  serviceLevelSec: number;
  total: Figures;
  departments: { id: string; name: string; figures: Figures }[];
  agents: { id: string; name: string; figures: Figures }[];
  series: { bucket: 'hour' | 'day'; points: SeriesPoint[] };
}

export interface SummaryQuery {
  range: ReportRange;
  /** The departments to read (already limited to the caller's). */
  departments: readonly string[];
  serviceLevelSec: number;
}

/** Ranges of at most this length are shown by the hour, longer ones by the day. */
const HOURLY_UP_TO_MS = 2 * DAY_MS;

const sumsOf = (map: Map<string, RollupSums>, id: string): RollupSums => {
  let s = map.get(id);
  if (!s) map.set(id, (s = emptySums()));
  return s;
};

export function summary(journal: Journal, q: SummaryQuery): Summary {
  const { from, to } = q.range;
  const wanted = new Set(q.departments);
  const bucketMs = to - from <= HOURLY_UP_TO_MS ? HOUR_MS : DAY_MS;
  const total = emptySums();
  const departments = new Map<string, RollupSums>();
  const agents = new Map<string, RollupSums>();
  const points: RollupSums[] = [];
  for (let start = from; start < to; start += bucketMs) points.push(emptySums());
  for (let hour = from; hour < to; hour += HOUR_MS) {
    const point = points[Math.floor((hour - from) / bucketMs)]!;
    for (const { key, value } of journal.records<RollupSums>(Keys.reportHours(hour))) {
      const department = String(key[2]);
      if (!wanted.has(department)) continue;
      const agent = String(key[3]);
      addSums(total, value);
      addSums(point, value);
      addSums(sumsOf(departments, department), value);
      if (agent !== '') addSums(sumsOf(agents, agent), value);
    }
  }
  const fig = (s: RollupSums): Figures => figuresOf(s, q.serviceLevelSec);
  const departmentName = (id: string): string => journal.getRecord<DepartmentRecord>(Keys.department(id))?.name ?? id;
  const staffName = (id: string): string => journal.getRecord<StaffRecord>(Keys.staff(id))?.name ?? id;
  return {
    range: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), timeZone: REPORT_TIME_ZONE },
    serviceLevelSec: q.serviceLevelSec,
    total: fig(total),
    // Every department asked for is listed, also one with nothing in the range.
    departments: q.departments.map((id) => ({ id, name: departmentName(id), figures: fig(sumsOf(departments, id)) })),
    agents: [...agents.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, s]) => ({ id, name: staffName(id), figures: fig(s) })),
    series: {
      bucket: bucketMs === HOUR_MS ? 'hour' : 'day',
      points: points.map((s, i) => ({
        start: new Date(from + i * bucketMs).toISOString(),
        received: s.received,
        resolved: s.resolved,
        abandoned: s.abandoned,
        waitMsMean: s.waitMs.count > 0 ? s.waitMs.sum / s.waitMs.count : null,
      })),
    },
  };
}
