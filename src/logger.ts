/** pino logger factory; the only logging the server does. */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export function createLogger(level: LevelWithSilent = 'info'): Logger {
  return pino({ name: 'switchboard', level, base: { pid: process.pid } });
}
