/** MON-2: the summary report as CSV: a row per department, then per agent, then the total (docs/reports.md). */
import type { Figures } from './figures.js';
import { BOM, csvLine, type Cell } from './csv.js';
import type { Summary } from './summary.js';

export const SUMMARY_COLUMNS = [
  'scope',
  'id',
  'name',
  'received',
  'assigned',
  'resolved',
  'queued',
  'abandoned',
  'abandon_rate',
  'wait_ms_mean',
  'first_response_ms_mean',
  'first_response_from_created_ms_mean',
  'response_ms_mean',
  'handle_ms_mean',
  'service_level',
  'occupancy',
  'transfers_in',
  'transfers_out',
  'satisfaction_ratings',
  'satisfaction_good_share',
  'satisfaction_mean',
  'online_ms',
] as const;

const cells = (f: Figures): Cell[] => [
  f.received,
  f.assigned,
  f.resolved,
  f.queued,
  f.abandoned,
  f.abandonRate,
  f.waitMs.mean,
  f.firstResponseMs.mean,
  f.firstResponseFromCreatedMs.mean,
  f.responseMs.mean,
  f.handleMs.mean,
  f.serviceLevel,
  f.occupancy,
  f.transfers.in,
  f.transfers.out,
  f.satisfaction.ratings,
  f.satisfaction.goodShare,
  f.satisfaction.mean,
  f.onlineMs,
];

export function* summaryCsv(s: Summary): Generator<string> {
  yield BOM + csvLine(SUMMARY_COLUMNS);
  for (const d of s.departments) yield csvLine(['department', d.id, d.name, ...cells(d.figures)]);
  for (const a of s.agents) yield csvLine(['agent', a.id, a.name, ...cells(a.figures)]);
  yield csvLine(['total', '', '', ...cells(s.total)]);
}
