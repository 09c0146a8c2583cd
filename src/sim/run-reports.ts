/**
 * MON-2 for a simulated run: the run's journal goes through the live
 * reports engine (src/reports/reports-journal.ts wraps the memory journal
 * as it wraps the store in the server), so the run has hourly rollups like
 * a live day, and its report is the one `GET /api/reports/summary` would
 * answer for the run's stretch: the same code, the same formulas
 * (docs/reports.md).
 */
import type { Journal } from '../../actors/journal.js';
import { summary, type Summary } from '../reports/summary.js';
import { HOUR_MS, hourOf } from '../reports/hours.js';
import type { ReportRange } from '../reports/report-range.js';
import type { Scenario } from './scenario.js';

/** The service level threshold of the reports when a scenario names none (as the report routes). */
export const DEFAULT_SERVICE_LEVEL_SEC = 20;

/**
 * The stretch the report covers: from the hour the measured arrivals begin (after the warm-up) to the end of
 * the hour the run stopped in, whole hours as the report routes widen any range.
 */
export function runRange(start: number, end: number, measureFromMs: number): ReportRange {
  const from = hourOf(start + measureFromMs);
  const to = Math.max(from + HOUR_MS, Math.ceil(end / HOUR_MS) * HOUR_MS);
  // A simulated run keeps UTC hours: its clock starts at a whole UTC hour (the scenario's day).
  return { from, to, timeZone: 'UTC', edgesMoved: false };
}

/** The MON-2 summary of the run over its range, for all the scenario's departments; agents still online count until `now`, the run's end. */
export function runReport(journal: Journal, scenario: Scenario, range: ReportRange, now: number): Summary {
  return summary(journal, {
    range,
    now,
    departments: scenario.departments.map((d) => d.id),
    serviceLevelSec: scenario.serviceLevelSec ?? DEFAULT_SERVICE_LEVEL_SEC,
  });
}
