/**
 * MON-2: the hourly rollups summed per UTC day and per UTC month, kept in
 * memory, so that a report of a month or a year sums a few hundred records
 * instead of the hundreds of thousands of its hours. A day is summed from
 * its hours when first asked for, a month from its days; both are dropped
 * when a write to one of their hours settles (the reports journal calls
 * `changed`), so the next report sums them again from what the store holds
 * then. Nothing here is written to the store: the hourly rollups stay the
 * only record, and a restart starts with an empty cache.
 */
import type { Journal } from '../../actors/journal.js';
import { Keys } from '../../actors/keyspace.js';
import { addSums, emptySums, type RollupSums } from './rollup-sums.js';
import { DAY_MS, HOUR_MS } from './hours.js';

/** One department's sums over a period: in all (its no-agent rows included) and per agent. */
export interface DepartmentPeriod {
  sums: RollupSums;
  agents: Map<string, RollupSums>;
}

/** A period's sums by department. Read only: callers add from it, never into it. */
export type PeriodRollups = ReadonlyMap<string, DepartmentPeriod>;

/** How many days and months are kept (least recently used dropped first): ten years of months, a bit over a year of days. */
const MAX_DAYS = 400;
const MAX_MONTHS = 120;

const dayOf = (at: number): number => Math.floor(at / DAY_MS) * DAY_MS;
const monthOf = (at: number): number => {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (month: number): number => {
  const d = new Date(month);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

function departmentIn(into: Map<string, DepartmentPeriod>, department: string): DepartmentPeriod {
  let p = into.get(department);
  if (!p) into.set(department, (p = { sums: emptySums(), agents: new Map() }));
  return p;
}

function agentIn(p: DepartmentPeriod, agent: string): RollupSums {
  let s = p.agents.get(agent);
  if (!s) p.agents.set(agent, (s = emptySums()));
  return s;
}

/** Adds the period `from` into `into` (which holds copies only). */
function mergeInto(into: Map<string, DepartmentPeriod>, from: PeriodRollups): void {
  for (const [department, p] of from) {
    const target = departmentIn(into, department);
    addSums(target.sums, p.sums);
    for (const [agent, s] of p.agents) addSums(agentIn(target, agent), s);
  }
}

function remember<V>(map: Map<number, V>, key: number, value: V, max: number): V {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as number);
  return value;
}

function recall<V>(map: Map<number, V>, key: number): V | undefined {
  const v = map.get(key);
  if (v !== undefined) {
    map.delete(key);
    map.set(key, v);
  }
  return v;
}

export class PeriodCache {
  private readonly days = new Map<number, PeriodRollups>();
  private readonly months = new Map<number, PeriodRollups>();

  constructor(private readonly journal: Pick<Journal, 'records'>) {}

  /** A write to the rollups of `hour` settled: the day and month holding it are summed again when next asked for. */
  changed(hour: number): void {
    this.days.delete(dayOf(hour));
    this.months.delete(monthOf(hour));
  }

  /** The hours from `from` to `to`, read from the store now (not kept). */
  hours(from: number, to: number): PeriodRollups {
    const out = new Map<string, DepartmentPeriod>();
    for (let hour = from; hour < to; hour += HOUR_MS)
      for (const { key, value } of this.journal.records<RollupSums>(Keys.reportHours(hour))) {
        const p = departmentIn(out, String(key[2]));
        addSums(p.sums, value);
        const agent = String(key[3]);
        if (agent !== '') addSums(agentIn(p, agent), value);
      }
    return out;
  }

  /** The UTC day starting at `day`. */
  day(day: number): PeriodRollups {
    return recall(this.days, day) ?? remember(this.days, day, this.hours(day, day + DAY_MS), MAX_DAYS);
  }

  /** The UTC month starting at `month`, summed from its days. */
  month(month: number): PeriodRollups {
    const kept = recall(this.months, month);
    if (kept) return kept;
    const out = new Map<string, DepartmentPeriod>();
    for (let day = month; day < nextMonth(month); day += DAY_MS) mergeInto(out, this.day(day));
    return remember(this.months, month, out, MAX_MONTHS);
  }

  /**
   * Periods that together cover `from`..`to` exactly, each hour once: whole
   * months where the range holds them, whole days, and the hours of a
   * partial day at either end.
   */
  cover(from: number, to: number): PeriodRollups[] {
    const out: PeriodRollups[] = [];
    let at = from;
    while (at < to) {
      if (at === dayOf(at)) {
        if (at === monthOf(at) && nextMonth(at) <= to) {
          out.push(this.month(at));
          at = nextMonth(at);
          continue;
        }
        if (at + DAY_MS <= to) {
          out.push(this.day(at));
          at += DAY_MS;
          continue;
        }
      }
      const end = Math.min(to, dayOf(at) + DAY_MS);
      out.push(this.hours(at, end));
      at = end;
    }
    return out;
  }
}
