/**
 * WEB-6: how a report page writes the MON-2 figures: durations as m:ss
 * (h:mm:ss from an hour on), shares as a percentage with at most one
 * decimal, ratings with at most two, and "—" for a figure that has no
 * value (null: nothing to average or divide by). The CSV carries the same
 * numbers unformatted (milliseconds, fractions).
 */

export const NONE = '—';

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  const total = Math.round(ms / 1000);
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function percent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NONE;
  return `${Number((share * 100).toFixed(1))}%`;
}

export function decimal(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NONE;
  return String(Number(n.toFixed(2)));
}

export const count = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? NONE : String(n);
