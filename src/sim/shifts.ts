/** When a simulated agent works: daily UTC shifts turned into online intervals of one run. */
const DAY = 24 * 3_600_000;

/** Online intervals [from, to) of an agent's daily UTC shifts within [0, horizon) ms after `start`. */
export function shiftIntervals(
  shifts: readonly { from: string; to: string }[] | undefined,
  start: number,
  horizon: number,
): [number, number][] {
  if (!shifts) return [[0, Infinity]];
  const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const day0 = Math.floor(start / DAY) * DAY - start;
  const out: [number, number][] = [];
  for (let day = day0 - DAY; day < horizon; day += DAY) {
    for (const s of shifts) {
      const from = day + minutes(s.from) * 60_000;
      let to = day + minutes(s.to) * 60_000;
      if (to <= from) to += DAY;
      if (to > 0 && from < horizon) out.push([Math.max(0, from), to]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}
