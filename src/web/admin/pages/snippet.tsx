/**
 * The widget snippet generator (WEB-1, WEB-5): pick the entry department
 * (ROUTE-8), the language, the colour and the corner, and copy the
 * `<script>` tag to paste into a site (docs/widget.md lists the options).
 */
import { workspaceBase } from '../../shared/workspace-base.js';
import { useState } from 'preact/hooks';
import type { Department } from '../api-types.js';
import { useAdmin } from '../context.js';
import { useLoad, NotLoaded, DepartmentOptions } from '../form.js';

const DEFAULT_COLOR = '#2563eb';

/** The snippet for these choices; only options that differ from the widget's defaults are written. */
export function snippetOf(
  server: string,
  o: { department: string; lang: string; color: string; position: string; open: boolean },
  workspace = '',
): string {
  const attrs = [
    `src="${server}/widget.js"`,
    // CLUSTER-1: the widget of a workspace other than the default one connects under /w/<workspace>.
    ...(workspace ? [`data-workspace="${workspace}"`] : []),
    ...(o.department ? [`data-department="${o.department}"`] : []),
    ...(o.lang ? [`data-lang="${o.lang}"`] : []),
    ...(o.color.toLowerCase() !== DEFAULT_COLOR ? [`data-color="${o.color}"`] : []),
    ...(o.position === 'left' ? ['data-position="left"'] : []),
    ...(o.open ? ['data-open="true"'] : []),
    'async',
  ];
  return `<script ${attrs.join(' ')}></script>`;
}

export function SnippetPage() {
  const { api, t } = useAdmin();
  const loaded = useLoad(() => api.get<{ departments: Department[] }>('/departments'));
  const [o, setO] = useState({ department: '', lang: '', color: DEFAULT_COLOR, position: 'right', open: false });
  const [copied, setCopied] = useState(false);
  if (!loaded.data) return <NotLoaded loaded={loaded} />;
  const set = (k: keyof typeof o) => (e: Event) => {
    const el = e.target as HTMLInputElement;
    setCopied(false);
    setO({ ...o, [k]: el.type === 'checkbox' ? el.checked : el.value });
  };
  const code = snippetOf(location.origin, o, workspaceBase().slice(3));
  const copy = () =>
    navigator.clipboard?.writeText(code).then(
      () => setCopied(true),
      () => undefined,
    );
  return (
    <div class="adm-columns">
      <form class="adm-card adm-form" onSubmit={(e) => e.preventDefault()} data-testid="snippet-form">
        <label class="adm-field">
          <span class="adm-label">{t('testEntry')}</span>
          <select name="department" value={o.department} onChange={set('department')}>
            <option value="">{t('testEntryFirst')}</option>
            <DepartmentOptions departments={loaded.data.departments} />
          </select>
        </label>
        <label class="adm-field">
          <span class="adm-label">{t('snippetLang')}</span>
          <select name="lang" value={o.lang} onChange={set('lang')}>
            <option value="">{t('wsLanguageBrowser')}</option>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </label>
        <label class="adm-field">
          <span class="adm-label">{t('snippetColor')}</span>
          <input name="color" type="color" value={o.color} onInput={set('color')} />
        </label>
        <label class="adm-field">
          <span class="adm-label">{t('snippetPosition')}</span>
          <select name="position" value={o.position} onChange={set('position')}>
            <option value="right">{t('snippetRight')}</option>
            <option value="left">{t('snippetLeft')}</option>
          </select>
        </label>
        <label class="adm-field">
          <span class="adm-label">{t('snippetOpen')}</span>
          <input name="open" type="checkbox" checked={o.open} onChange={set('open')} />
        </label>
      </form>
      <section class="adm-card" aria-labelledby="snippet-code">
        <h2 id="snippet-code">{t('snippetCode')}</h2>
        <p class="adm-muted">{t('snippetIntro')}</p>
        <pre class="adm-code" data-testid="snippet">
          <code>{code}</code>
        </pre>
        <div class="adm-actions">
          <button type="button" class="primary" onClick={() => void copy()}>
            {t('snippetCopy')}
          </button>
          {copied && (
            <span class="adm-ok" role="status">
              {t('snippetCopied')}
            </span>
          )}
        </div>
        <div class="adm-swatch" style={{ background: o.color }} aria-hidden="true" />
      </section>
    </div>
  );
}
