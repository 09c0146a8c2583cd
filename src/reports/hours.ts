/** MON-2: rollups are per UTC hour; a figure belongs to the hour of the event that completes it. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const hourOf = (at: number): number => Math.floor(at / HOUR_MS) * HOUR_MS;
