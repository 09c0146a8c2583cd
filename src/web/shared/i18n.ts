/**
 * zh-CN and en for every browser app. The language is the one the page or
 * snippet names, else the browser's first preference that is Chinese or
 * English, else English. Strings are `{name}` templates per language; each
 * app has its own dictionary, checked by the compiler to have every key in
 * both languages.
 */
import type { Language } from '../../../protocol/frames.js';

export type { Language };
export const languages: readonly Language[] = ['zh-CN', 'en'];

export function pickLanguage(explicit: string | undefined | null, preferred: readonly string[]): Language {
  const known = (tag: string): Language | undefined => {
    const t = tag.toLowerCase();
    if (t === 'en' || t.startsWith('en-')) return 'en';
    if (t === 'zh' || t.startsWith('zh-')) return 'zh-CN';
    return undefined;
  };
  if (explicit) {
    const l = known(explicit);
    if (l) return l;
  }
  for (const tag of preferred) {
    const l = known(tag);
    if (l) return l;
  }
  return 'en';
}

export type Dictionary<K extends string> = Record<Language, Record<K, string>>;
export type Translate<K extends string> = (key: K, params?: Record<string, string | number>) => string;

export function translator<K extends string>(dict: Dictionary<K>, lang: Language): Translate<K> {
  const table = dict[lang];
  return (key, params) =>
    table[key].replace(/\{(\w+)\}/g, (m, name: string) => (params && name in params ? String(params[name]) : m));
}
