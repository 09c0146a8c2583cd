/**
 * The language of a full-page app (/console, /admin): the one the person
 * chose with the switch, kept in localStorage for every page of this
 * server, else the browser's preference (shared/i18n.ts).
 */
import { type Language, languages, pickLanguage } from './i18n.js';

export const LANGUAGE_KEY = 'switchboard.language';

export function chosenLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LANGUAGE_KEY);
  } catch {
    // Storage refused (a privacy mode): the browser's preference.
  }
  const explicit = stored && (languages as readonly string[]).includes(stored) ? stored : undefined;
  return pickLanguage(explicit, navigator.languages);
}

export function chooseLanguage(lang: Language): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, lang);
  } catch {
    // Not kept: the choice lasts for this page.
  }
  document.documentElement.lang = lang;
}
