/**
 * MON-2: the summary report of a range: the rollups of its hours summed per
 * department, per agent and in total, and a series of hours or days. It
 * sums rollups (range-sums.ts: the hours of the range, or the days and
 * months summed from them) and never reads a conversation's history.
 */
import type { Journal } from '../../actors/journal.js';
import { Keys } from '../../actors/keyspace.js';
import type { DepartmentRecord } from '../../actors/department/records.js';
import type { StaffRecord } from '../../actors/agent/records.js';
import type { RollupSums } from './rollup-sums.js';
import { rangeSums, sumsIn } from './range-sums.js';
import { ReportsJournal } from './reports-journal.js';
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

export function summary(journal: Journal, q: SummaryQuery): Summary {
  const { from, to } = q.range;
  const bucketMs = to - from <= HOURLY_UP_TO_MS ? HOUR_MS : DAY_MS;
  // The reports journal (the server's) keeps summed days and months; a bare store is read by the hour.
  const periods = journal instanceof ReportsJournal ? journal.periods : undefined;
  const { total, departments, agents, points } = rangeSums(journal, periods, q.range, bucketMs, q.departments);
  const fig = (s: RollupSums): Figures => figuresOf(s, q.serviceLevelSec);
  const departmentName = (id: string): string => journal.getRecord<DepartmentRecord>(Keys.department(id))?.name ?? id;
  const staffName = (id: string): string => journal.getRecord<StaffRecord>(Keys.staff(id))?.name ?? id;
  return {
    range: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), timeZone: REPORT_TIME_ZONE },
    serviceLevelSec: q.serviceLevelSec,
    total: fig(total),
    // Every department asked for is listed, also one with nothing in the range.
    departments: q.departments.map((id) => ({ id, name: departmentName(id), figures: fig(sumsIn(departments, id)) })),
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
