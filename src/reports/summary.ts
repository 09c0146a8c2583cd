/**
 * MON-2: the summary report of a range: the rollups of its hours summed per
 * department, per agent and in total, and a series of hours or local days.
 * It reads the range as whole UTC months, days and the hours left over
 * (period-rollups.ts keeps the sums of past days and months), never a
 * conversation's history; the presence of agents online now adds their
 * time so far (presence-track.ts).
 */
import type { Journal } from '../../actors/journal.js';
import { Keys } from '../../actors/keyspace.js';
import type { DepartmentRecord } from '../../actors/department/records.js';
import type { StaffRecord } from '../../actors/agent/records.js';
import { addPresence, addSums, emptySums, type RollupSums } from './rollup-sums.js';
import { figuresOf, type Figures } from './figures.js';
import { DAY_MS, HOUR_MS, hourOf } from './hours.js';
import type { ReportRange } from './report-range.js';
import { localLabel, nextDayEdge } from './report-zone.js';
import { presenceParts, type PresenceTrack } from './presence-track.js';
import type { Contribution } from './conversation-track.js';
import { foldAggregate, type SummarySink } from './period-aggregate.js';
import { PeriodRollups, segments } from './period-rollups.js';
import { ReportsJournal } from './reports-journal.js';

export interface SeriesPoint {
  start: string;
  /** The bucket's start as local wall time in the report zone: `YYYY-MM-DDTHH:mm`, or the local day `YYYY-MM-DD`. */
  local: string;
  received: number;
  resolved: number;
  abandoned: number;
  waitMsMean: number | null;
}

export interface Summary {
  range: { from: string; to: string; timeZone: string; edgesMoved: boolean };
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
  /** Now: agents online now count until now. */
  now: number;
}

/** Ranges of at most this length are shown by the hour, longer ones by the local day. */
const HOURLY_UP_TO_MS = 2 * DAY_MS;

const sumsOf = (map: Map<string, RollupSums>, id: string): RollupSums => {
  let s = map.get(id);
  if (!s) map.set(id, (s = emptySums()));
  return s;
};

/** The buckets' starts: every hour, or every local day's first hour; the range ends the last. */
function bucketStarts(range: ReportRange, bucket: 'hour' | 'day'): number[] {
  const starts: number[] = [];
  for (let at = range.from; at < range.to; at = bucket === 'hour' ? at + HOUR_MS : nextDayEdge(range.timeZone, at))
    starts.push(at);
  return starts;
}

/**
 * An agent's presence is in the rollup of each department it served, in
 * full: a department's occupancy is that of the agents serving it. In the
 * agent's row and the total it counts once per hour: the hour's largest
 * (they are equal unless the agent's departments changed within the hour).
 */
class PresenceOnce {
  private readonly best = new Map<string, RollupSums>();
  offer(agent: string, s: RollupSums): void {
    const b = this.best.get(agent);
    if (s.slotMs > 0 && (!b || s.slotMs > b.slotMs)) this.best.set(agent, s);
  }
  drain(into: (agent: string, s: RollupSums) => void): void {
    for (const [agent, s] of this.best) into(agent, s);
    this.best.clear();
  }
}

export function summary(journal: Journal, q: SummaryQuery): Summary {
  const { from, to } = q.range;
  const wanted = new Set(q.departments);
  const bucket = to - from <= HOURLY_UP_TO_MS ? 'hour' : 'day';
  const starts = bucketStarts(q.range, bucket);
  const total = emptySums();
  const departments = new Map<string, RollupSums>();
  const agents = new Map<string, RollupSums>();
  const points = starts.map(() => emptySums());
  const once = new PresenceOnce();
  const countOnce = (agent: string, s: RollupSums): void => {
    addPresence(total, s);
    addPresence(sumsOf(agents, agent), s);
  };
  const add = (department: string, agent: string, value: RollupSums): void => {
    if (!wanted.has(department)) return;
    addSums(total, value, false);
    addSums(sumsOf(departments, department), value);
    if (agent === '') return;
    addSums(sumsOf(agents, agent), value, false);
    once.offer(agent, value);
  };
  // Hours arrive in order within a segment and segments in order, so the bucket only moves forward.
  let b = 0;
  const sink: SummarySink = {
    total,
    department: (id) => sumsOf(departments, id),
    agent: (id) => sumsOf(agents, id),
    point: (hour) => {
      if (hour < starts[b]!) b = 0;
      while (b + 1 < starts.length && starts[b + 1]! <= hour) b++;
      return points[b]!;
    },
  };
  const periods = journal instanceof ReportsJournal ? journal.periods : new PeriodRollups(journal, false);
  for (const segment of segments(from, to)) foldAggregate(periods.aggregate(segment, q.now), wanted, sink);
  // Agents online now: their time since their last presence change is in no rollup yet.
  const open: Contribution[] = [];
  for (const { value } of journal.records<PresenceTrack>(Keys.allReportPresence))
    open.push(...presenceParts(value, Math.min(q.now, to), from));
  let hour = Number.NaN;
  for (const c of open.sort((x, y) => x.at - y.at)) {
    if (hourOf(c.at) !== hour) once.drain(countOnce);
    hour = hourOf(c.at);
    add(c.department, c.agent, c.sums);
  }
  once.drain(countOnce);

  const fig = (s: RollupSums): Figures => figuresOf(s, q.serviceLevelSec);
  const departmentName = (id: string): string => journal.getRecord<DepartmentRecord>(Keys.department(id))?.name ?? id;
  const staffName = (id: string): string => journal.getRecord<StaffRecord>(Keys.staff(id))?.name ?? id;
  return {
    range: {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      timeZone: q.range.timeZone,
      edgesMoved: q.range.edgesMoved,
    },
    serviceLevelSec: q.serviceLevelSec,
    total: fig(total),
    // Every department asked for is listed, also one with nothing in the range.
    departments: q.departments.map((id) => ({ id, name: departmentName(id), figures: fig(sumsOf(departments, id)) })),
    agents: [...agents.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, s]) => ({ id, name: staffName(id), figures: fig(s) })),
    series: {
      bucket,
      points: points.map((s, i) => ({
        start: new Date(starts[i]!).toISOString(),
        local: localLabel(q.range.timeZone, starts[i]!, bucket),
        received: s.received,
        resolved: s.resolved,
        abandoned: s.abandoned,
        waitMsMean: s.waitMs.count > 0 ? s.waitMs.sum / s.waitMs.count : null,
      })),
    },
  };
}
