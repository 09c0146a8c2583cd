/**
 * WEB-6: what a report page asks for: a range of whole days (a preset or
 * custom from–to days, both inclusive), one department or all the caller
 * may read, and the service-level threshold; and the query string of the
 * report routes (docs/http-api.md#reports-mon-2) for it. Days are days of
 * the report's time zone (the one chosen, or else the answer's
 * `range.timeZone`, UTC until one came), so "today" is the reporting day,
 * not the browser's.
 */

export const PRESETS = ['today', 'yesterday', 'last7', 'last30', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export interface ReportChoice {
  preset: Preset;
  /** The custom range's days (`YYYY-MM-DD`), used when `preset` is `custom`. */
  from: string;
  to: string;
  /** A department id, or '' for every department the caller may read. */
  department: string;
  serviceLevelSec: number;
  /** An IANA zone whose local days the report counts, or '' for the server's (`--report-time-zone`). */
  timeZone: string;
}

export const DEFAULT_SERVICE_LEVEL_SEC = 20;

const DAY_MS = 86_400_000;

/** The calendar day of `at` in `timeZone` as `YYYY-MM-DD` (an unknown zone falls back to UTC). */
export function dayIn(timeZone: string, at: Date): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  } catch {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
  }
  const part = (type: string) => format.formatToParts(at).find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** `day` moved by `days` calendar days. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The first and last day (inclusive) a choice covers, `today` being the report time zone's day. */
export function daysOf(choice: ReportChoice, today: string): { from: string; to: string } {
  switch (choice.preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const y = addDays(today, -1);
      return { from: y, to: y };
    }
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'custom':
      return { from: choice.from, to: choice.to };
  }
}

/** The query string of the report routes for a choice. */
export function reportQuery(choice: ReportChoice, today: string): string {
  const { from, to } = daysOf(choice, today);
  const q = new URLSearchParams({ from, to, serviceLevelSec: String(choice.serviceLevelSec) });
  if (choice.department) q.set('department', choice.department);
  if (choice.timeZone.trim()) q.set('timeZone', choice.timeZone.trim());
  return q.toString();
}
