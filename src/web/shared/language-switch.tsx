/** The zh-CN / en switch of the full-page apps: two buttons, the current one pressed. */
import type { Language } from './i18n.js';

const names: Record<Language, string> = { 'zh-CN': '中文', en: 'English' };

export function LanguageSwitch({ lang, onChange }: { lang: Language; onChange(lang: Language): void }) {
  return (
    <fieldset class="lang-switch">
      <legend class="sr-only">Language / 语言</legend>
      {(Object.keys(names) as Language[]).map((l) => (
        <button type="button" key={l} lang={l} aria-pressed={l === lang} data-lang={l} onClick={() => onChange(l)}>
          {names[l]}
        </button>
      ))}
    </fieldset>
  );
}
