/**
 * MON-2 speed: the hourly rollups of whole UTC days and months, summed once
 * and kept in the store, so that a month or a year reads a few dozen
 * records instead of every hour's (period-aggregate.ts). A day or month is
 * kept only once it is over and no rollup write into it is in flight; a
 * later rollup write into it (a rating a day later, an agent's long
 * presence interval ending) deletes it in the same transaction, and the
 * next reader sums it again. Kept records survive a restart, so the first
 * report after a start is as fast as the next.
 *
 * The reports journal (reports-journal.ts) tells this class of every hour
 * it writes (`touch`, then `release` once the write settled); the summary
 * asks it for the aggregate of each stretch of its range (`segments`).
 */
import type { Journal, RecordKey, RecordWrite } from '../../actors/journal.js';
import { Keys } from '../../actors/keyspace.js';
import { AggregateBuilder, type PeriodAggregate } from './period-aggregate.js';
import type { RollupSums } from './rollup-sums.js';
import { DAY_MS, HOUR_MS } from './hours.js';

export type PeriodKind = 'hour' | 'day' | 'month';
type KeptKind = Exclude<PeriodKind, 'hour'>;

export interface Segment {
  kind: PeriodKind;
  start: number;
  end: number;
}

export const dayOf = (at: number): number => Math.floor(at / DAY_MS) * DAY_MS;

export function monthOf(at: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextMonth(monthStart: number): number {
  const d = new Date(monthStart);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Whole UTC months, then whole UTC days, then hours: the fewest stretches that tile [from, to) (whole hours). */
export function segments(from: number, to: number): Segment[] {
  const out: Segment[] = [];
  for (let at = from; at < to; ) {
    let end = at + HOUR_MS;
    let kind: PeriodKind = 'hour';
    if (at === monthOf(at) && nextMonth(at) <= to) {
      kind = 'month';
      end = nextMonth(at);
    } else if (at === dayOf(at) && at + DAY_MS <= to) {
      kind = 'day';
      end = at + DAY_MS;
    }
    out.push({ kind, start: at, end });
    at = end;
  }
  return out;
}

const name = (kind: PeriodKind, start: number): string => `${kind}:${start}`;

export class PeriodRollups {
  /** The days and months whose aggregate the store holds (or is about to). */
  private readonly kept = new Set<string>();
  /** Rollup writes in flight per day start: such a day (and its month) is not kept until they settle. */
  private readonly busy = new Map<number, number>();
  /** Rollup writes ever issued per day start: the warm-up keeps a day it summed over many turns only if none came meanwhile. */
  private readonly touches = new Map<number, number>();

  /**
   * `persist` false: aggregates are summed per read and never written (a
   * journal that is not the reports journal, e.g. a report of a bare store).
   */
  constructor(
    private readonly journal: Journal,
    private readonly persist = true,
  ) {
    if (persist)
      for (const { key } of journal.records<number>(Keys.allReportPeriodMarks))
        this.kept.add(name(key[1] as PeriodKind, Number(key[2])));
  }

  /**
   * Before a write into the hours `hours`: the deletes of the kept days and
   * months holding them, to go into the same write. `release` must follow
   * once the write settled.
   */
  touch(hours: readonly number[]): RecordWrite[] {
    const writes: RecordWrite[] = [];
    for (const hour of hours) {
      const day = dayOf(hour);
      this.busy.set(day, (this.busy.get(day) ?? 0) + 1);
      this.touches.set(day, (this.touches.get(day) ?? 0) + 1);
      this.forget('day', day, writes);
      this.forget('month', monthOf(hour), writes);
    }
    return writes;
  }

  release(hours: readonly number[]): void {
    for (const hour of hours) {
      const day = dayOf(hour);
      const n = (this.busy.get(day) ?? 1) - 1;
      if (n <= 0) this.busy.delete(day);
      else this.busy.set(day, n);
    }
  }

  /** The aggregate of one segment; a day or month over by `now` is kept for the next reader. */
  aggregate(s: Segment, now: number): PeriodAggregate {
    if (s.kind === 'hour') {
      const b = new AggregateBuilder(s.start, 1);
      b.addHour(s.start, this.hourRecords(s.start));
      return b.result();
    }
    if (this.kept.has(name(s.kind, s.start))) {
      const stored = this.journal.getRecord<PeriodAggregate>(Keys.reportPeriod(s.kind, s.start));
      if (stored) return stored;
    }
    const b = new AggregateBuilder(s.start, (s.end - s.start) / HOUR_MS);
    if (s.kind === 'day') for (let h = s.start; h < s.end; h += HOUR_MS) b.addHour(h, this.hourRecords(h));
    else
      for (let d = s.start; d < s.end; d += DAY_MS)
        b.addAggregate(this.aggregate({ kind: 'day', start: d, end: d + DAY_MS }, now));
    const a = b.result();
    if (this.persist && s.end <= now && !this.busyWithin(s)) this.keep(s.kind, s.start, a, now);
    return a;
  }

  /**
   * Sums and keeps every day and month over by `now` and not kept yet,
   * newest first, yielding after each hour it reads, so that a caller can
   * spread the work over many turns of the event loop (period-warm-up.ts).
   */
  *warmUp(now: number): Generator<void> {
    const first = this.firstHour();
    if (first === undefined || !this.persist) return;
    for (let day = dayOf(now) - DAY_MS; day >= dayOf(first); day -= DAY_MS) {
      if (!this.kept.has(name('day', day))) {
        const touched = this.touches.get(day) ?? 0;
        const b = new AggregateBuilder(day, DAY_MS / HOUR_MS);
        for (let h = day; h < day + DAY_MS; h += HOUR_MS) {
          b.addHour(h, this.hourRecords(h));
          yield;
        }
        if ((this.touches.get(day) ?? 0) === touched && !this.busy.has(day) && !this.kept.has(name('day', day)))
          this.keep('day', day, b.result(), now);
      }
      // Going back in time, a month's first day comes after all its other days.
      if (day === monthOf(day) && nextMonth(day) <= now && !this.kept.has(name('month', day))) {
        this.aggregate({ kind: 'month', start: day, end: nextMonth(day) }, now);
        yield;
      }
    }
  }

  /** How many days and months are kept (a test reads it). */
  get keptCount(): number {
    return this.kept.size;
  }

  private *hourRecords(hour: number): Iterable<[string, string, RollupSums]> {
    for (const { key, value } of this.journal.records<RollupSums>(Keys.reportHours(hour)))
      yield [String(key[2]), String(key[3]), value];
  }

  private firstHour(): number | undefined {
    for (const { key } of this.journal.records(Keys.allReportHours)) return Number(key[1]);
    return undefined;
  }

  private busyWithin(s: Segment): boolean {
    for (const day of this.busy.keys()) if (day >= s.start && day < s.end) return true;
    return false;
  }

  private keep(kind: KeptKind, start: number, a: PeriodAggregate, now: number): void {
    const n = name(kind, start);
    this.kept.add(n);
    const keys: RecordKey[] = [Keys.reportPeriod(kind, start), Keys.reportPeriodMark(kind, start)];
    // Not awaited: a reader does not wait for the write; should it fail, the stretch is summed again next time.
    this.journal
      .writeRecords([
        { key: keys[0]!, value: a },
        { key: keys[1]!, value: now },
      ])
      .catch(() => this.kept.delete(n));
  }

  private forget(kind: KeptKind, start: number, writes: RecordWrite[]): void {
    const n = name(kind, start);
    if (!this.kept.delete(n)) return;
    writes.push(
      { key: Keys.reportPeriod(kind, start), value: undefined },
      { key: Keys.reportPeriodMark(kind, start), value: undefined },
    );
  }
}
