/**
 * MON-2 speed: after a start, the days and months that are over but not
 * kept yet (a store rebuilt or restored, a server that was down at a month's
 * end) are summed in the background (PeriodRollups.warmUp), a few
 * milliseconds per turn of the event loop so that clients are served in
 * between, and the first long report after a start is as fast as the next.
 */
import type { Logger } from '../logger.js';
import type { PeriodRollups } from './period-rollups.js';

/** Work per turn before the event loop gets the thread back. */
const SLICE_MS = 4;

export interface WarmUp {
  /** Settles when every past day and month is kept, or the warm-up was stopped or failed. */
  done: Promise<void>;
  stop(): void;
}

export function warmUpPeriods(periods: PeriodRollups, now: number, log: Logger): WarmUp {
  const steps = periods.warmUp(now);
  const started = performance.now();
  const keptBefore = periods.keptCount;
  let stopped = false;
  let turns = 0;
  const done = new Promise<void>((resolve) => {
    const turn = (): void => {
      if (stopped) return resolve();
      turns++;
      const sliceEnd = performance.now() + SLICE_MS;
      try {
        while (performance.now() < sliceEnd)
          if (steps.next().done) {
            const ms = Math.round(performance.now() - started);
            const kept = periods.keptCount;
            log.info({ ms, turns, summed: kept - keptBefore, kept }, 'report days and months summed');
            return resolve();
          }
      } catch (err) {
        // The summary sums what is not kept on each read, so a failed warm-up costs speed, never a figure.
        log.error({ err, code: 'report_warm_up_failed' }, 'report days and months not summed in the background');
        return resolve();
      }
      setImmediate(turn);
    };
    setImmediate(turn);
  });
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}
