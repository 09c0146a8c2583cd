/**
 * Automatic messages (CONV-4, WEB-5): on or off for the workspace, and each
 * message's text per language. A text left empty uses the built-in default;
 * "off" sends an empty text, which turns that one message off.
 */
import { useEffect, useState } from 'preact/hooks';
import { AutoMessageKeys, Languages } from '../../../../protocol/vocabulary.js';
import { useAdmin } from '../context.js';
import { Field, FormProblem, useFocusInvalid, NotLoaded } from '../form.js';
import { SaveRow } from './save-button.js';
import { useWorkspace } from './workspace-form.js';

type Key = (typeof AutoMessageKeys)[number];
type Lang = (typeof Languages)[number];
interface Text {
  mode: 'default' | 'custom' | 'off';
  text: string;
}

export function AutoMessagesPage() {
  const { t } = useAdmin();
  const ws = useWorkspace();
  const [enabled, setEnabled] = useState(true);
  const [texts, setTexts] = useState<Record<string, Text>>({});
  const form = useFocusInvalid(ws.problem);
  useEffect(() => {
    const am = ws.data?.autoMessages;
    setEnabled(am?.enabled !== false);
    const next: Record<string, Text> = {};
    for (const l of Languages)
      for (const k of AutoMessageKeys) {
        const v = (am?.texts?.[l] as Partial<Record<Key, string>> | undefined)?.[k];
        next[`${l}.${k}`] =
          v === undefined
            ? { mode: 'default', text: '' }
            : v === ''
              ? { mode: 'off', text: '' }
              : { mode: 'custom', text: v };
      }
    setTexts(next);
  }, [ws.data]);
  if (!ws.data) return <NotLoaded loaded={ws} />;
  const set = (id: string, v: Partial<Text>) => {
    ws.touch();
    setTexts({ ...texts, [id]: { ...texts[id]!, ...v } });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const out: Partial<Record<Lang, Partial<Record<Key, string>>>> = {};
    for (const l of Languages)
      for (const k of AutoMessageKeys) {
        const v = texts[`${l}.${k}`];
        if (!v || v.mode === 'default' || (v.mode === 'custom' && !v.text.trim())) continue;
        (out[l] ??= {})[k] = v.mode === 'off' ? '' : v.text;
      }
    void ws.save({ autoMessages: { enabled, texts: out } });
  };
  return (
    <form ref={form} class="adm-card adm-form" onSubmit={submit} data-testid="auto-messages-form">
      <p class="adm-muted">{t('autoIntro')}</p>
      <Field label={t('autoEnabled')} name="autoMessages.enabled" problem={ws.problem}>
        <input
          name="enabled"
          type="checkbox"
          checked={enabled}
          onChange={(e) => (ws.touch(), setEnabled((e.target as HTMLInputElement).checked))}
        />
      </Field>
      {Languages.map((l) => (
        <fieldset key={l}>
          <legend>{l === 'en' ? 'English' : '中文'}</legend>
          {AutoMessageKeys.map((k) => {
            const id = `${l}.${k}`;
            const v = texts[id] ?? { mode: 'default', text: '' };
            return (
              <Field key={id} label={t(`auto_${k}`)} name={`autoMessages.texts.${id}`} problem={ws.problem} wide>
                <span class="adm-inline">
                  <select
                    name={`mode-${id}`}
                    value={v.mode}
                    onChange={(e) => set(id, { mode: (e.target as HTMLSelectElement).value as Text['mode'] })}
                  >
                    <option value="default">{t('autoDefault')}</option>
                    <option value="custom">{t('autoCustom')}</option>
                    <option value="off">{t('autoOff')}</option>
                  </select>
                  {v.mode === 'custom' && (
                    <textarea
                      name={`text-${id}`}
                      rows={2}
                      value={v.text}
                      onInput={(e) => set(id, { text: (e.target as HTMLTextAreaElement).value })}
                    />
                  )}
                </span>
              </Field>
            );
          })}
        </fieldset>
      ))}
      <FormProblem problem={ws.problem} fields={['autoMessages']} />
      <SaveRow saved={ws.saved} />
    </form>
  );
}
