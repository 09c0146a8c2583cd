/**
 * MON-2: a report's range from the query: a `YYYY-MM-DD` day (a local day
 * of the report time zone; `to` inclusive) or an ISO-8601 instant (`to`
 * exclusive). Rollups are hourly in UTC, so an instant is widened to whole
 * hours and a local day's edge moved to the nearest hour (report-zone.ts;
 * docs/reports.md).
 */
import { ProtocolError } from '../../protocol/errors.js';
import { DAY_MS, HOUR_MS } from './hours.js';
import { localMidnight, nearestHour } from './report-zone.js';

/** Longest range: ten years of hours. */
const MAX_RANGE_MS = 3660 * DAY_MS;

export interface ReportRange {
  from: number;
  to: number;
  /** The IANA zone whose local days the range and its day buckets follow. */
  timeZone: string;
  /** Whether an edge asked for is not a whole UTC hour and was moved to one. */
  edgesMoved: boolean;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The edge asked for, exact, and the whole hour the range uses for it. */
function parse(text: string, field: 'from' | 'to', zone: string): { asked: number; hour: number } {
  const day = DAY.exec(text);
  if (day) {
    const wall = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    const back = new Date(wall);
    if (back.getUTCDate() !== Number(day[3]) || back.getUTCMonth() !== Number(day[2]) - 1)
      throw new ProtocolError('invalid_range', `${field}: ${text} is not a calendar day`, field);
    const asked = localMidnight(zone, field === 'to' ? wall + DAY_MS : wall);
    return { asked, hour: nearestHour(asked) };
  }
  const asked = INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(asked))
    throw new ProtocolError('invalid_range', `${field}: give a day (YYYY-MM-DD) or an ISO-8601 instant`, field);
  const round = field === 'from' ? Math.floor : Math.ceil;
  return { asked, hour: round(asked / HOUR_MS) * HOUR_MS };
}

/** The range of `from`…`to` in `timeZone` (already checked by reportTimeZone). */
export function reportRange(fromText: string, toText: string, timeZone: string): ReportRange {
  const from = parse(fromText, 'from', timeZone);
  const to = parse(toText, 'to', timeZone);
  if (to.hour <= from.hour) throw new ProtocolError('invalid_range', '`to` must come after `from`', 'to');
  if (to.hour - from.hour > MAX_RANGE_MS)
    throw new ProtocolError('invalid_range', 'a report covers at most ten years', 'to');
  return {
    from: from.hour,
    to: to.hour,
    timeZone,
    edgesMoved: from.hour !== from.asked || to.hour !== to.asked,
  };
}
