/**
 * MON-2 occupancy after a crash: presence left open is closed at the next
 * start at the last moment the store shows the server at work
 * (presence-close.ts). Events mark that moment as they commit; this timer
 * marks it once a minute while nothing happens, so agents sitting online
 * through a quiet stretch keep their online time up to the last minute
 * before a crash. One small write a minute, on the clock of the actors
 * (virtual in tests).
 */
import type { Clock, TimerHandle } from '../../actors/clock.js';
import type { Logger } from '../logger.js';
import type { ReportsJournal } from './reports-journal.js';

export const ALIVE_MARK_MS = 60_000;

export interface AliveMark {
  stop(): void;
}

export function markAliveEveryMinute(journal: ReportsJournal, clock: Clock, log: Logger): AliveMark {
  let timer: TimerHandle | undefined;
  const tick = (): void => {
    journal.markAlive(clock.now()).catch((err: unknown) => log.warn({ err }, 'report alive mark not stored'));
    timer = clock.setTimer(ALIVE_MARK_MS, tick);
  };
  timer = clock.setTimer(ALIVE_MARK_MS, tick);
  return { stop: () => timer?.cancel() };
}
