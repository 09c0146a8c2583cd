/**
 * The MON-2 part of a simulation report: the figures the live reports
 * compute for the run (run-reports.ts), in the report's JSON and as rows of
 * its table, so a what-if shows the numbers the reports page will show.
 */
import type { Figures } from '../reports/figures.js';
import type { Summary } from '../reports/summary.js';

export interface ReportsPart {
  range: Summary['range'];
  serviceLevelSec: number;
  total: Figures;
  departments: { id: string; figures: Figures }[];
}

export const reportsPart = (s: Summary): ReportsPart => ({
  range: s.range,
  serviceLevelSec: s.serviceLevelSec,
  total: s.total,
  departments: s.departments.map((d) => ({ id: d.id, figures: d.figures })),
});

const round2 = (x: number): number => Math.round(x * 100) / 100;
const sec = (ms: number | null): string => (ms === null ? '–' : String(round2(ms / 1000)));
const percent = (share: number | null): string => (share === null ? '–' : `${round2(100 * share)}%`);

/** Table rows of the MON-2 figures: a label, and the cell of one run's figures. */
export const REPORT_ROWS: readonly [string, (f: Figures, withinSec: number) => string][] = [
  ['received / assigned / resolved', (f) => `${f.received} / ${f.assigned} / ${f.resolved}`],
  ['abandoned / queued', (f) => `${f.abandoned} / ${f.queued} (${percent(f.abandonRate)})`],
  ['service level (of assigned)', (f, within) => `${percent(f.serviceLevel)} within ${within}s`],
  ['wait mean (s)', (f) => sec(f.waitMs.mean)],
  ['first response mean (s)', (f) => sec(f.firstResponseMs.mean)],
  ['handle mean (s)', (f) => sec(f.handleMs.mean)],
  ['transfers out / in', (f) => `${f.transfers.out} / ${f.transfers.in}`],
  [
    'satisfaction good / mean',
    (f) =>
      `${percent(f.satisfaction.goodShare)} / ${f.satisfaction.mean === null ? '–' : round2(f.satisfaction.mean)} (${f.satisfaction.ratings})`,
  ],
];
