/**
 * WEB-6 MON-2: the figures a report page shows, in order: each with its
 * label and how it is written (report-format.ts). The department and agent
 * tables show every column; the totals tiles the few that sum a range up.
 * Occupancy is shown only when the server computes it (it answers null
 * until agents' online time is journaled, docs/reports.md).
 */
import type { ReportFigures } from '../../api-types.js';
import type { AdminKey } from '../../strings.js';
import { count, decimal, duration, percent } from './report-format.js';

export interface FigureColumn {
  key: string;
  label: AdminKey;
  text(f: ReportFigures): string;
}

/** Read defensively: a server without occupancy in its answer has none to show. */
const occupancyOf = (f: ReportFigures): number | null => (f as { occupancy?: number | null }).occupancy ?? null;

export const columns: readonly FigureColumn[] = [
  { key: 'received', label: 'fig_received', text: (f) => count(f.received) },
  { key: 'queued', label: 'fig_queued', text: (f) => count(f.queued) },
  { key: 'assigned', label: 'fig_assigned', text: (f) => count(f.assigned) },
  { key: 'resolved', label: 'fig_resolved', text: (f) => count(f.resolved) },
  { key: 'abandoned', label: 'fig_abandoned', text: (f) => count(f.abandoned) },
  { key: 'abandonRate', label: 'fig_abandonRate', text: (f) => percent(f.abandonRate) },
  { key: 'waitMs', label: 'fig_waitMs', text: (f) => duration(f.waitMs.mean) },
  { key: 'serviceLevel', label: 'fig_serviceLevel', text: (f) => percent(f.serviceLevel) },
  { key: 'firstResponseMs', label: 'fig_firstResponseMs', text: (f) => duration(f.firstResponseMs.mean) },
  {
    key: 'firstResponseFromCreatedMs',
    label: 'fig_firstResponseFromCreatedMs',
    text: (f) => duration(f.firstResponseFromCreatedMs.mean),
  },
  { key: 'responseMs', label: 'fig_responseMs', text: (f) => duration(f.responseMs.mean) },
  { key: 'handleMs', label: 'fig_handleMs', text: (f) => duration(f.handleMs.mean) },
  { key: 'occupancy', label: 'fig_occupancy', text: (f) => percent(occupancyOf(f)) },
  { key: 'transfersIn', label: 'fig_transfersIn', text: (f) => count(f.transfers.in) },
  { key: 'transfersOut', label: 'fig_transfersOut', text: (f) => count(f.transfers.out) },
  { key: 'ratings', label: 'fig_ratings', text: (f) => count(f.satisfaction.ratings) },
  { key: 'goodShare', label: 'fig_goodShare', text: (f) => percent(f.satisfaction.goodShare) },
  { key: 'ratingMean', label: 'fig_ratingMean', text: (f) => decimal(f.satisfaction.mean) },
];

/** The totals tiles. */
export const tileKeys = [
  'received',
  'resolved',
  'abandoned',
  'abandonRate',
  'waitMs',
  'serviceLevel',
  'firstResponseMs',
  'handleMs',
  'goodShare',
  'ratingMean',
];

/** The columns worth showing for these figures: occupancy only when some row has it. */
export const shownColumns = (rows: readonly ReportFigures[]): FigureColumn[] =>
  columns.filter((c) => c.key !== 'occupancy' || rows.some((f) => occupancyOf(f) !== null));
