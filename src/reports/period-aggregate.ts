/**
 * MON-2: the rollups of a stretch of whole hours (an hour, a UTC day, a UTC
 * month) summed into one value, so that a long report adds a few of these
 * instead of every hour's records. It keeps what the summary needs to stay
 * exact for any set of departments and any time zone:
 * - a row per department × agent, summed (presence in full, as the hours hold it);
 * - each agent's presence counted once per hour: the hours in which the
 *   agent's records agree across its departments are summed per set of
 *   departments; an hour in which they differ is kept as it is (rare: the
 *   agent's departments changed within the hour), so that the summary can
 *   take the largest among the departments asked for, as it does per hour;
 * - per department, the series' counts of each hour, so that local days of
 *   any zone can be cut from it.
 * Pure: the store side is period-rollups.ts.
 */
import { addPresence, addSums, copySums, emptySums, type RollupSums } from './rollup-sums.js';
import { HOUR_MS } from './hours.js';

/** What one agent's presence added in one hour, per department. */
type PresencePart = [department: string, onlineMs: number, slotMs: number, usedSlotMs: number];

export interface PeriodAggregate {
  start: number;
  hours: number;
  rows: [department: string, agent: string, sums: RollupSums][];
  /** Hours whose presence agreed across `departments`: its sums, counted once. */
  once: [agent: string, departments: string[], onlineMs: number, slotMs: number, usedSlotMs: number][];
  /** Hours whose presence did not agree across the agent's departments. */
  odd: [agent: string, parts: PresencePart[]][];
  /** Per department, SERIES_FIELDS numbers per hour of the stretch (see seriesOf). */
  series: Record<string, number[]>;
}

/** received, resolved, abandoned, wait sum, wait count. */
export const SERIES_FIELDS = 5;

const SEP = '\u0000';

/** Sums a stretch from its hours' records or from shorter stretches inside it, in any order. */
export class AggregateBuilder {
  private readonly rows = new Map<string, [string, string, RollupSums]>();
  private readonly once = new Map<string, [string, string[], number, number, number]>();
  private readonly odd: [string, PresencePart[]][] = [];
  private readonly series: Record<string, number[]> = {};

  constructor(
    private readonly start: number,
    private readonly hours: number,
  ) {}

  /** Adds the records of the hour starting at `hour`: `[department, agent, sums]`. */
  addHour(hour: number, records: Iterable<readonly [string, string, RollupSums]>): void {
    const presence = new Map<string, PresencePart[]>();
    for (const [department, agent, sums] of records) {
      this.addRow(department, agent, sums);
      this.addSeries(department, (hour - this.start) / HOUR_MS, sums);
      if (agent === '' || sums.slotMs <= 0) continue;
      let parts = presence.get(agent);
      if (!parts) presence.set(agent, (parts = []));
      parts.push([department, sums.onlineMs, sums.slotMs, sums.usedSlotMs]);
    }
    for (const [agent, parts] of presence) {
      const [, online, slot, used] = parts[0]!;
      if (parts.every((p) => p[1] === online && p[2] === slot && p[3] === used))
        this.addOnce(
          agent,
          parts.map((p) => p[0]),
          online,
          slot,
          used,
        );
      else this.odd.push([agent, parts]);
    }
  }

  /** Adds a shorter stretch that lies inside this one. */
  addAggregate(a: PeriodAggregate): void {
    for (const [department, agent, sums] of a.rows) this.addRow(department, agent, sums);
    for (const [agent, departments, online, slot, used] of a.once) this.addOnce(agent, departments, online, slot, used);
    this.odd.push(...a.odd);
    const offset = ((a.start - this.start) / HOUR_MS) * SERIES_FIELDS;
    for (const [department, values] of Object.entries(a.series)) {
      const into = this.seriesOf(department);
      for (let i = 0; i < values.length; i++) into[offset + i]! += values[i]!;
    }
  }

  result(): PeriodAggregate {
    return {
      start: this.start,
      hours: this.hours,
      rows: [...this.rows.values()],
      once: [...this.once.values()],
      odd: this.odd,
      series: this.series,
    };
  }

  private addRow(department: string, agent: string, sums: RollupSums): void {
    const k = department + SEP + agent;
    const row = this.rows.get(k);
    if (row) addSums(row[2], sums);
    else this.rows.set(k, [department, agent, copySums(sums)]);
  }

  private addOnce(agent: string, departments: string[], online: number, slot: number, used: number): void {
    const sorted = [...departments].sort();
    const k = agent + SEP + sorted.join(SEP);
    const o = this.once.get(k);
    if (!o) this.once.set(k, [agent, sorted, online, slot, used]);
    else {
      o[2] += online;
      o[3] += slot;
      o[4] += used;
    }
  }

  private seriesOf(department: string): number[] {
    let s = this.series[department];
    if (!s) this.series[department] = s = new Array<number>(this.hours * SERIES_FIELDS).fill(0);
    return s;
  }

  private addSeries(department: string, hourIndex: number, sums: RollupSums): void {
    const s = this.seriesOf(department);
    const i = hourIndex * SERIES_FIELDS;
    s[i]! += sums.received;
    s[i + 1]! += sums.resolved;
    s[i + 2]! += sums.abandoned;
    s[i + 3]! += sums.waitMs.sum;
    s[i + 4]! += sums.waitMs.count;
  }
}

/** Where a summary adds what it reads (summary.ts). */
export interface SummarySink {
  total: RollupSums;
  department(id: string): RollupSums;
  agent(id: string): RollupSums;
  /** The series bucket of the hour starting at `hour`. */
  point(hour: number): RollupSums;
}

const presenceSums = (online: number, slot: number, used: number): RollupSums => {
  const s = emptySums();
  s.onlineMs = online;
  s.slotMs = slot;
  s.usedSlotMs = used;
  return s;
};

/**
 * Adds `a` to a summary of the departments `wanted`: departments with their
 * agents' presence in full, agents and the total with each agent's presence
 * once per hour (the largest among the wanted departments: summary.ts).
 */
export function foldAggregate(a: PeriodAggregate, wanted: ReadonlySet<string>, into: SummarySink): void {
  for (const [department, agent, sums] of a.rows) {
    if (!wanted.has(department)) continue;
    addSums(into.total, sums, false);
    addSums(into.department(department), sums);
    if (agent !== '') addSums(into.agent(agent), sums, false);
  }
  const countOnce = (agent: string, s: RollupSums): void => {
    addPresence(into.total, s);
    addPresence(into.agent(agent), s);
  };
  for (const [agent, departments, online, slot, used] of a.once)
    if (departments.some((d) => wanted.has(d))) countOnce(agent, presenceSums(online, slot, used));
  for (const [agent, parts] of a.odd) {
    let best: PresencePart | undefined;
    for (const p of parts) if (wanted.has(p[0]) && (!best || p[2] > best[2])) best = p;
    if (best) countOnce(agent, presenceSums(best[1], best[2], best[3]));
  }
  for (const [department, values] of Object.entries(a.series)) {
    if (!wanted.has(department)) continue;
    for (let h = 0; h < a.hours; h++) {
      const i = h * SERIES_FIELDS;
      if (values[i] === 0 && values[i + 1] === 0 && values[i + 2] === 0 && values[i + 4] === 0) continue;
      const p = into.point(a.start + h * HOUR_MS);
      p.received += values[i]!;
      p.resolved += values[i + 1]!;
      p.abandoned += values[i + 2]!;
      p.waitMs.sum += values[i + 3]!;
      p.waitMs.count += values[i + 4]!;
    }
  }
}
