/**
 * MON-2: a report's range from the query: a `YYYY-MM-DD` day (UTC; `to`
 * inclusive) or an ISO-8601 instant (`to` exclusive). Rollups are hourly,
 * so the range is widened to whole hours (docs/reports.md).
 */
import { ProtocolError } from '../../protocol/errors.js';
import { DAY_MS, HOUR_MS } from './hours.js';

export const REPORT_TIME_ZONE = 'UTC';
/** Longest range: ten years of hours. */
const MAX_RANGE_MS = 3660 * DAY_MS;

export interface ReportRange {
  from: number;
  to: number;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parse(text: string, field: 'from' | 'to'): number {
  const day = DAY.exec(text);
  if (day) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    const back = new Date(ms);
    if (back.getUTCDate() !== Number(day[3]) || back.getUTCMonth() !== Number(day[2]) - 1)
      throw new ProtocolError('invalid_range', `${field}: ${text} is not a calendar day`, field);
    return field === 'to' ? ms + DAY_MS : ms;
  }
  const ms = INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    throw new ProtocolError('invalid_range', `${field}: give a day (YYYY-MM-DD) or an ISO-8601 instant`, field);
  return ms;
}

export function reportRange(fromText: string, toText: string): ReportRange {
  const from = Math.floor(parse(fromText, 'from') / HOUR_MS) * HOUR_MS;
  const to = Math.ceil(parse(toText, 'to') / HOUR_MS) * HOUR_MS;
  if (to <= from) throw new ProtocolError('invalid_range', '`to` must come after `from`', 'to');
  if (to - from > MAX_RANGE_MS) throw new ProtocolError('invalid_range', 'a report covers at most ten years', 'to');
  return { from, to };
}
