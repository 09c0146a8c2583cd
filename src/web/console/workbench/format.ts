/** How the workbench writes durations and times, in the person's language. */
import type { Translate } from '../../shared/i18n.js';
import type { WorkbenchKey } from './strings.js';

export function formatWait(ms: number, t: Translate<WorkbenchKey>): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m > 0 ? t('minutesShort', { m, s }) : t('secondsShort', { s });
}

export function formatClock(at: number, lang: string): string {
  return new Date(at).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}

/** Conversation ids are long; the wall shows their first characters (the whole id is in the title). */
export const shortId = (id: string): string => (id.length > 12 ? `${id.slice(0, 10)}…` : id);
