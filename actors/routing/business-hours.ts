/**
 * QUEUE-6 business hours: whether a department is open at a given instant,
 * and when that next changes, in the department's own time zone.
 *
 * A schedule is written in local wall-clock time (weekly ranges plus
 * holiday dates), because that is how a team states its hours; the server
 * reasons in instants (ms since epoch). The bridge is the zone's UTC offset
 * at an instant, read from `Intl.DateTimeFormat` (the only tz database
 * Node ships), so local time is `instant + offset` and everything after
 * that is plain arithmetic on "wall milliseconds" (local time written as if
 * it were UTC).
 *
 * DST is handled by reasoning per instant, never per wall time: a wall time
 * skipped by a spring-forward gap simply never occurs (a range starting in
 * the gap opens at the transition instant), and a wall time repeated by a
 * fall-back occurs twice (a range in the repeated hour opens twice).
 *
 * Pure: no I/O, no clock; callers pass the instant. Inputs are expected to
 * have passed `validateBusinessHours`; an unknown zone makes the other
 * functions throw Intl's RangeError, and a malformed range is never open.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessHours {
  /** IANA time zone, e.g. "Asia/Shanghai". */
  timeZone: string;
  /** Opening ranges per local weekday, "HH:MM"–"HH:MM" (end exclusive, "24:00" allowed as end; start < end). A day absent or [] = closed all day. */
  weekly: Partial<Record<Weekday, Array<[string, string]>>>;
  /** Local dates "YYYY-MM-DD" on which the department is closed all day. */
  holidays?: string[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far nextChange looks ahead. */
const NEXT_CHANGE_HORIZON_MS = 14 * DAY_MS;

/** Indexed by (days since 1970-01-01 + 4) mod 7, as that day was a Thursday. */
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

// ---------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, on day numbers), so that the hot
// path allocates no Date and years below 100 are not remapped by Date.UTC.

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** "YYYY-MM-DD" of a day number (inverse of daysFromCivil). */
function civilDate(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function weekdayOf(days: number): Weekday {
  return WEEKDAYS[(((days + 4) % 7) + 7) % 7]!;
}

// ---------------------------------------------------------------------------
// Zone offsets.

// Building a DateTimeFormat costs far more than using one, and isOpen runs
// on every routing decision, so one formatter per zone is kept for good.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at `atMs`, in ms (local wall ms = atMs + offset). */
function offsetAt(f: Intl.DateTimeFormat, atMs: number): number {
  let y = 0;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of f.formatToParts(atMs)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      // Some ICU builds have printed midnight as "24" of the same day even
      // when asked for a 0–23 clock; % 24 makes that read as 00.
      case 'hour':
        h = Number(p.value) % 24;
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
      default:
        break;
    }
  }
  // The formatter drops milliseconds; put atMs's own back so the offset is
  // exact (offsets are whole seconds).
  const msInSecond = ((atMs % 1000) + 1000) % 1000;
  const wall = daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + msInSecond;
  return wall - atMs;
}

// ---------------------------------------------------------------------------
// Schedule parsing.

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since local midnight, or NaN if not "HH:MM" ("24:00" only as an end). */
function parseTime(s: unknown, isEnd: boolean): number {
  if (typeof s !== 'string') return NaN;
  if (isEnd && s === '24:00') return 24 * 60;
  const m = HHMM.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

/** A day's ranges as [startMs, endMs) from local midnight; malformed ones dropped. */
function rangesOf(h: BusinessHours, day: Weekday): Array<[number, number]> {
  const raw = h.weekly[day];
  if (!Array.isArray(raw)) return [];
  const out: Array<[number, number]> = [];
  for (const r of raw) {
    if (!Array.isArray(r)) continue;
    const a = parseTime(r[0], false);
    const b = parseTime(r[1], true);
    // NaN fails this too, which is what keeps a malformed range closed.
    if (a < b) out.push([a * MINUTE_MS, b * MINUTE_MS]);
  }
  return out;
}

interface Parsed {
  byWeekday: Map<Weekday, Array<[number, number]>>;
  holidays: Set<string>;
}

function parse(h: BusinessHours): Parsed {
  const byWeekday = new Map<Weekday, Array<[number, number]>>();
  for (const w of WEEKDAYS) byWeekday.set(w, rangesOf(h, w));
  return { byWeekday, holidays: new Set(h.holidays ?? []) };
}

function openAtWall(p: Parsed, wallMs: number): boolean {
  const day = Math.floor(wallMs / DAY_MS);
  const tod = wallMs - day * DAY_MS;
  const ranges = p.byWeekday.get(weekdayOf(day))!;
  if (!ranges.some(([a, b]) => a <= tod && tod < b)) return false;
  return p.holidays.size === 0 || !p.holidays.has(civilDate(day));
}

// ---------------------------------------------------------------------------
// Public API.

/** Returns undefined if valid, else a short message naming the problem (bad zone, bad time format, start >= end, overlapping ranges, bad date). */
export function validateBusinessHours(h: BusinessHours): string | undefined {
  // Configuration arrives as JSON, so the declared types are not trusted here.
  if (typeof h !== 'object' || h === null) return 'business hours must be an object';
  // An empty or missing zone would make Intl silently use the host's zone.
  if (typeof h.timeZone !== 'string' || h.timeZone === '') return 'timeZone must be a non-empty IANA time zone name';
  try {
    formatterFor(h.timeZone);
  } catch {
    return `unknown time zone "${h.timeZone}"`;
  }
  if (typeof h.weekly !== 'object' || h.weekly === null || Array.isArray(h.weekly))
    return 'weekly must be an object keyed by weekday';
  for (const [key, raw] of Object.entries(h.weekly)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) return `unknown weekday "${key}" (use ${WEEKDAYS.join(', ')})`;
    if (raw === undefined) continue;
    if (!Array.isArray(raw)) return `${key}: ranges must be an array of ["HH:MM", "HH:MM"]`;
    const ranges: Array<{ a: number; b: number; text: string }> = [];
    for (const r of raw as unknown[]) {
      if (!Array.isArray(r) || r.length !== 2) return `${key}: each range must be ["HH:MM", "HH:MM"]`;
      const [sa, sb] = r as unknown[];
      const a = parseTime(sa, false);
      if (Number.isNaN(a)) return `${key}: bad start time ${JSON.stringify(sa)} (want HH:MM, 00:00–23:59)`;
      const b = parseTime(sb, true);
      if (Number.isNaN(b)) return `${key}: bad end time ${JSON.stringify(sb)} (want HH:MM, 00:01–24:00)`;
      const text = `${String(sa)}–${String(sb)}`;
      if (a >= b) return `${key}: range ${text} must start before it ends`;
      ranges.push({ a, b, text });
    }
    ranges.sort((x, y) => x.a - y.a);
    for (let i = 1; i < ranges.length; i++) {
      const prev = ranges[i - 1]!;
      const cur = ranges[i]!;
      // Touching ranges (12:00 end, 12:00 start) are fine: ends are exclusive.
      if (cur.a < prev.b) return `${key}: ranges ${prev.text} and ${cur.text} overlap`;
    }
  }
  if (h.holidays !== undefined) {
    if (!Array.isArray(h.holidays)) return 'holidays must be an array of "YYYY-MM-DD"';
    for (const d of h.holidays as unknown[]) {
      if (!isCalendarDate(d)) return `bad holiday date ${JSON.stringify(d)} (want an existing date as YYYY-MM-DD)`;
    }
  }
  return undefined;
}

function isCalendarDate(d: unknown): boolean {
  if (typeof d !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) return false;
  const [y, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || day < 1 || day > 31) return false;
  // Round-tripping rejects 02-30, 04-31, 02-29 of a common year.
  return civilDate(daysFromCivil(y, mo, day)) === d;
}

/** The zone's offset from UTC at `atMs`, in ms (local wall ms = atMs + offset); MON-1 counts a department's day by it. */
export const utcOffsetMs = (timeZone: string, atMs: number): number => offsetAt(formatterFor(timeZone), atMs);

/** Whether the department is open at instant `atMs` (ms since epoch). */
export function isOpen(h: BusinessHours, atMs: number): boolean {
  const wall = atMs + offsetAt(formatterFor(h.timeZone), atMs);
  const day = Math.floor(wall / DAY_MS);
  const tod = wall - day * DAY_MS;
  // Only today's ranges are parsed: this runs per routing decision.
  if (!rangesOf(h, weekdayOf(day)).some(([a, b]) => a <= tod && tod < b)) return false;
  return !h.holidays?.includes(civilDate(day));
}

/** The next instant (ms, > atMs) at which isOpen changes value, searching at most 14 days ahead; undefined if it never changes in that span (e.g. always closed). */
export function nextChange(h: BusinessHours, atMs: number): number | undefined {
  const f = formatterFor(h.timeZone);
  const p = parse(h);
  const offset0 = offsetAt(f, atMs);
  const open0 = openAtWall(p, atMs + offset0);
  // Day-sized windows in instant order, so the usual answer (later today,
  // or the next working morning) is found after a window or two; a
  // candidate found in an earlier window is always earlier.
  let lo = atMs;
  let offLo = offset0;
  for (let k = 1; k <= NEXT_CHANGE_HORIZON_MS / DAY_MS; k++) {
    const hi = atMs + k * DAY_MS;
    const offHi = offsetAt(f, hi);
    const found = firstChangeIn(p, f, lo, offLo, hi, offHi, open0);
    if (found !== undefined) return found;
    lo = hi;
    offLo = offHi;
  }
  return undefined;
}

/**
 * The first instant in (lo, hi] whose openness differs from `open0`.
 *
 * Openness is a step function of the instant that can only step where the
 * wall clock crosses a range start or end, or where the wall clock itself
 * jumps (a zone transition). Midnights need no candidate of their own:
 * openness can only differ across one if a range ends at 24:00 or starts
 * at 00:00 there (a holiday only closes what a range would open). Within a stretch of constant
 * offset the first kind maps one-to-one to instants, so the window is cut
 * at its transitions and each stretch contributes its boundary instants
 * and its start; the earliest candidate with the other value is the answer.
 */
function firstChangeIn(
  p: Parsed,
  f: Intl.DateTimeFormat,
  lo: number,
  offLo: number,
  hi: number,
  offHi: number,
  open0: boolean,
): number | undefined {
  // Stretches [from, to) of constant offset; the last one includes hi.
  const stretches: Array<{ from: number; to: number; off: number }> = [];
  let from = lo;
  let off = offLo;
  while (off !== offHi) {
    const t = transitionAfter(f, from, off, hi);
    stretches.push({ from, to: t, off });
    from = t;
    off = offsetAt(f, t);
  }
  stretches.push({ from, to: hi + 1, off });

  const candidates: Array<{ at: number; off: number }> = [];
  for (const s of stretches) {
    if (s.from > lo) candidates.push({ at: s.from, off: s.off });
    const wallFrom = s.from + s.off;
    const wallTo = s.to + s.off;
    for (let day = Math.floor(wallFrom / DAY_MS); day * DAY_MS < wallTo; day++) {
      const midnight = day * DAY_MS;
      for (const [a, b] of p.byWeekday.get(weekdayOf(day))!) {
        for (const w of [midnight + a, midnight + b]) {
          if (w >= wallFrom && w < wallTo && w - s.off > lo) candidates.push({ at: w - s.off, off: s.off });
        }
      }
    }
  }
  candidates.sort((x, y) => x.at - y.at);
  for (const c of candidates) {
    if (openAtWall(p, c.at + c.off) !== open0) return c.at;
  }
  return undefined;
}

/**
 * The first instant in (from, hi] where the offset stops being `off`,
 * given that it is `off` at `from` and something else at `hi`. Bisection on
 * whole milliseconds: exact, and only needed on the rare days with a
 * transition. (Two transitions within one day that cancel out would go
 * unseen; the tz database has none in the years a schedule is used for.)
 */
function transitionAfter(f: Intl.DateTimeFormat, from: number, off: number, hi: number): number {
  let a = from;
  let b = hi;
  while (b - a > 1) {
    const mid = a + Math.floor((b - a) / 2);
    if (offsetAt(f, mid) === off) a = mid;
    else b = mid;
  }
  return b;
}
