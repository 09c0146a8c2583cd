/**
 * MON-2: the report time zone. A report's days are local days of an IANA
 * zone (`--report-time-zone`, or a request's `timeZone`), read from Intl as
 * the business hours are (actors/routing/business-hours.ts). Rollups stay
 * per UTC hour, so a local day's edges are whole UTC hours: exact in a zone
 * whose offset is whole hours, moved to the nearest hour (a tie to the
 * earlier one) in one that is not (Asia/Kolkata, +05:30), and the answer
 * says so (docs/reports.md).
 */
import { ProtocolError } from '../../protocol/errors.js';
import { utcOffsetMs } from '../../actors/routing/business-hours.js';
import { DAY_MS, HOUR_MS } from './hours.js';

export const UTC = 'UTC';

/**
 * The zone as Intl spells it when that differs only in case (`europe/berlin`
 * → `Europe/Berlin`), else as given: ICU names some zones by an older alias
 * (`Asia/Kolkata` resolves to `Asia/Calcutta`), and the answer echoes the
 * name the caller knows. `invalid_range` on field `timeZone` when Intl does
 * not know it.
 */
export function reportTimeZone(name: string): string {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    throw new ProtocolError('invalid_range', `timeZone: ${name} is not an IANA time zone`, 'timeZone');
  }
}

const offset = (zone: string, at: number): number => (zone === UTC ? 0 : utcOffsetMs(zone, at));

/** The whole UTC hour nearest to `ms`; half past goes to the earlier hour. */
export const nearestHour = (ms: number): number => Math.ceil(ms / HOUR_MS - 0.5) * HOUR_MS;

/** The instant local midnight begins the day whose wall-clock midnight is `wallMs` (a UTC-written date), exactly. */
export function localMidnight(zone: string, wallMs: number): number {
  // The offset at midnight itself, in case a DST change lies between the guess and it.
  const guess = wallMs - offset(zone, wallMs);
  return wallMs - offset(zone, guess);
}

/** The start (a whole UTC hour) of the report day after the one holding `hourStart`. */
export function nextDayEdge(zone: string, hourStart: number): number {
  // Half an hour on is inside the local day the edge stands for, whichever way it was moved.
  const probe = hourStart + HOUR_MS / 2;
  const wall = Math.floor((probe + offset(zone, probe)) / DAY_MS) * DAY_MS;
  return nearestHour(localMidnight(zone, wall + DAY_MS));
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local wall time of `at` in `zone`: `YYYY-MM-DD` for a day bucket (the day it stands for), `YYYY-MM-DDTHH:mm` for an hour. */
export function localLabel(zone: string, at: number, bucket: 'hour' | 'day'): string {
  const probe = bucket === 'day' ? at + HOUR_MS / 2 : at;
  const wall = new Date(probe + offset(zone, probe));
  const day = `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  return bucket === 'day' ? day : `${day}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
}
