/**
 * MON-2 over the admin API: the summary report of a range (JSON and CSV)
 * and the conversations of a range (CSV, streamed). Supervisors read the
 * departments they lead; naming another is refused. Figures come from the
 * hourly rollups (src/reports), never from a scan of the journal.
 */
import type { Static } from '@sinclair/typebox';
import { Keys } from '../../../actors/keyspace.js';
import { authorize } from '../../auth/permissions.js';
import { reportRange, type ReportRange } from '../../reports/report-range.js';
import { reportTimeZone } from '../../reports/report-zone.js';
import { summary } from '../../reports/summary.js';
import { summaryCsv } from '../../reports/summary-csv.js';
import { conversationsCsv } from '../../reports/conversations-csv.js';
import { csvFileName } from '../../reports/csv.js';
import { fileRoute, route, type RouteContext } from './route.js';
import { ReportQuery, ReportSummary } from './schemas/reports.js';

const DEFAULT_SERVICE_LEVEL_SEC = 20;
const CSV = 'text/csv; charset=utf-8';

interface Asked {
  range: ReportRange;
  departments: string[];
  serviceLevelSec: number;
  now: number;
}

/** The range (in the asked time zone, else the server's), and the departments asked for (each checked) or every one the caller may read. */
function asked(query: Static<typeof ReportQuery>, ctx: RouteContext): Asked {
  const zone = query.timeZone === undefined ? ctx.dir.reportTimeZone : reportTimeZone(query.timeZone);
  const range = reportRange(query.from, query.to, zone);
  const { caller, dir } = ctx;
  let departments: string[];
  if (query.department !== undefined) {
    departments = [...new Set(Array.isArray(query.department) ? query.department : [query.department])];
    for (const d of departments) authorize(caller, 'reports.read', d);
  } else if (caller.role === 'admin') {
    departments = [...dir.deps.journal.records<{ id: string }>(Keys.departments)].map((r) => r.value.id);
  } else departments = [...caller.departments];
  return {
    range,
    departments,
    serviceLevelSec: query.serviceLevelSec ?? DEFAULT_SERVICE_LEVEL_SEC,
    now: dir.deps.clock.now(),
  };
}

export const reportsRoutes = [
  route({
    method: 'get',
    path: '/reports/summary',
    permission: 'reports.read',
    summary:
      'Report of a range (MON-2): figures in total, per department and per agent, and a series by hour or day (docs/reports.md)',
    query: ReportQuery,
    response: ReportSummary,
    handle: async ({ query }, ctx) => summary(ctx.dir.deps.journal, asked(query, ctx)),
  }),
  fileRoute({
    method: 'get',
    path: '/reports/summary.csv',
    permission: 'reports.read',
    summary: 'The summary report as CSV (RFC 4180, UTF-8 with a BOM): a row per department, per agent, and the total',
    query: ReportQuery,
    mediaType: CSV,
    handle: async ({ query }, ctx) => {
      const report = summary(ctx.dir.deps.journal, asked(query, ctx));
      return {
        chunks: () => summaryCsv(report),
        mediaType: CSV,
        fileName: csvFileName('summary', query.from, query.to),
        release: () => undefined,
      };
    },
  }),
  fileRoute({
    method: 'get',
    path: '/reports/conversations.csv',
    permission: 'reports.read',
    summary: 'One CSV row per conversation created in the range (RFC 4180, UTF-8 with a BOM), streamed as it is read',
    query: ReportQuery,
    mediaType: CSV,
    handle: async ({ query }, ctx) => {
      const { range, departments } = asked(query, ctx);
      return {
        chunks: () => conversationsCsv(ctx.dir.deps.journal, range, departments),
        mediaType: CSV,
        fileName: csvFileName('conversations', query.from, query.to),
        release: () => undefined,
      };
    },
  }),
];
