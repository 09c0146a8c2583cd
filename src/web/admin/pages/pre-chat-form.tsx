/**
 * The pre-chat form (WEB-2, WEB-5): the fields the widget asks before a
 * visitor's first conversation, in order; `name` and `email` fill the
 * profile, any other key is a custom question that needs a label.
 */
import { useState } from 'preact/hooks';
import { useAdmin } from '../context.js';
import { Field, FormProblem, problemOf, useFocusInvalid, useLoad, type Problem, NotLoaded } from '../form.js';
import { SaveRow } from './save-button.js';

interface PreChatField {
  key: string;
  required: boolean;
  label?: { en?: string; 'zh-CN'?: string };
}

export function PreChatFormPage() {
  const { api } = useAdmin();
  const loaded = useLoad(() => api.get<{ fields: PreChatField[] }>('/pre-chat-form'));
  if (!loaded.data) return <NotLoaded loaded={loaded} />;
  return <PreChatEditor initial={loaded.data.fields} />;
}

function PreChatEditor({ initial }: { initial: PreChatField[] }) {
  const { api, t } = useAdmin();
  const [fields, setFields] = useState(initial);
  const [problem, setProblem] = useState<Problem>();
  const [saved, setSaved] = useState(false);
  const form = useFocusInvalid(problem);
  const change = (i: number, patch: Partial<PreChatField>) => {
    setSaved(false);
    setFields(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  };
  const label = (f: PreChatField, lang: 'en' | 'zh-CN', v: string): PreChatField['label'] => {
    const next = { ...f.label, [lang]: v || undefined };
    return next.en || next['zh-CN'] ? JSON.parse(JSON.stringify(next)) : undefined;
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(undefined);
    try {
      const stored = await api.put<{ fields: PreChatField[] }>('/pre-chat-form', {
        fields: fields.map((f) => ({
          key: f.key.trim(),
          required: f.required,
          ...(f.label ? { label: f.label } : {}),
        })),
      });
      setFields(stored.fields);
      setSaved(true);
    } catch (err) {
      setProblem(problemOf(err));
    }
  };
  return (
    <form ref={form} class="adm-card adm-form" onSubmit={submit} data-testid="pre-chat-form">
      <p class="adm-muted">{t('preChatIntro')}</p>
      {fields.length === 0 && <p class="placeholder">{t('preChatNone')}</p>}
      {fields.map((f, i) => (
        <fieldset key={i}>
          <legend>
            {t('preChatField')} {i + 1}
          </legend>
          <Field label={t('preChatKey')} name={`fields.${i}.key`} problem={problem} hint={t('preChatKeyHint')}>
            <input
              name={`fields.${i}.key`}
              value={f.key}
              onInput={(e) => change(i, { key: (e.target as HTMLInputElement).value })}
              required
            />
          </Field>
          <Field label={t('preChatRequired')} name={`fields.${i}.required`} problem={problem}>
            <input
              type="checkbox"
              checked={f.required}
              onChange={(e) => change(i, { required: (e.target as HTMLInputElement).checked })}
            />
          </Field>
          <Field label={t('preChatLabelEn')} name={`fields.${i}.label`} problem={problem}>
            <input
              value={f.label?.en ?? ''}
              onInput={(e) => change(i, { label: label(f, 'en', (e.target as HTMLInputElement).value) })}
            />
          </Field>
          <Field label={t('preChatLabelZh')} name={`fields.${i}.label.zh-CN`} problem={problem}>
            <input
              value={f.label?.['zh-CN'] ?? ''}
              onInput={(e) => change(i, { label: label(f, 'zh-CN', (e.target as HTMLInputElement).value) })}
            />
          </Field>
          <button
            type="button"
            class="danger"
            onClick={() => (setSaved(false), setFields(fields.filter((_, j) => j !== i)))}
          >
            {t('remove')}
          </button>
        </fieldset>
      ))}
      <FormProblem problem={problem} fields={fields.map((_, i) => `fields.${i}`)} />
      <button type="button" onClick={() => setFields([...fields, { key: '', required: false }])}>
        {t('preChatAdd')}
      </button>
      <SaveRow saved={saved} />
    </form>
  );
}
