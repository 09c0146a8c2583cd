/**
 * MON-1: a department's day, for its counts of assignments and resolves
 * today: the day of its business-hours time zone (QUEUE-6), UTC for a
 * department without business hours.
 */
import { utcOffsetMs } from '../routing/business-hours.js';

const DAY_MS = 86_400_000;

const offsetOf = (timeZone: string | undefined, atMs: number): number =>
  timeZone === undefined ? 0 : utcOffsetMs(timeZone, atMs);

/** "YYYY-MM-DD" of the local day at `atMs`. */
export const dayOf = (timeZone: string | undefined, atMs: number): string =>
  new Date(atMs + offsetOf(timeZone, atMs)).toISOString().slice(0, 10);

/** The instant (> atMs) of the next local midnight. */
export function nextDayStart(timeZone: string | undefined, atMs: number): number {
  const wallMidnight = (Math.floor((atMs + offsetOf(timeZone, atMs)) / DAY_MS) + 1) * DAY_MS;
  // The offset at midnight itself, in case a DST change lies before it.
  const guess = wallMidnight - offsetOf(timeZone, atMs);
  const at = wallMidnight - offsetOf(timeZone, guess);
  return at > atMs ? at : atMs + 1;
}
