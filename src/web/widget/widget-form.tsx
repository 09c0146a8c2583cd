/**
 * The widget's forms (pre-chat, leave a message): labelled fields with
 * their errors under them, the checks they share (required fields filled,
 * an email that looks like one; the server checks again), and on a
 * refused submit the focus on the first field to mend.
 */
import { useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Translate } from '../shared/i18n.js';
import type { StringKey } from './strings.js';

export interface FieldSpec {
  key: string;
  label: string;
  required: boolean;
  kind: 'text' | 'email' | 'message';
}

export type Values = Record<string, string>;

/** The first problem of each field, by key; empty when the form may be sent. */
export function problems(fields: readonly FieldSpec[], values: Values): Partial<Record<string, StringKey>> {
  const out: Partial<Record<string, StringKey>> = {};
  for (const f of fields) {
    const v = (values[f.key] ?? '').trim();
    if (!v) {
      if (f.required) out[f.key] = 'required';
    } else if (f.kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) out[f.key] = 'badEmail';
  }
  return out;
}

export function FormField(props: {
  form: string;
  field: FieldSpec;
  value: string;
  problem: StringKey | undefined;
  t: Translate<StringKey>;
  onInput: (v: string) => void;
}) {
  const { form, field: f, value, problem, t } = props;
  const id = `${form}-${f.key}`;
  const common = {
    id,
    name: f.key,
    value,
    required: f.required,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': problem ? `${id}-error` : undefined,
    onInput: (e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>
        {f.label}
        {f.required ? null : <span class="optional">{t('optional')}</span>}
      </label>
      {f.kind === 'message' ? (
        <textarea {...common} rows={2} maxLength={8000} />
      ) : (
        <input
          {...common}
          type={(f.kind === 'email' ? 'email' : 'text') as 'text'}
          autocomplete={f.key === 'name' ? 'name' : f.key === 'email' ? 'email' : 'off'}
          maxLength={f.kind === 'email' ? 254 : 200}
        />
      )}
      {problem ? (
        <div class="field-error" id={`${id}-error`} data-testid="field-error">
          {t(problem)}
        </div>
      ) : null}
    </div>
  );
}

export function WidgetForm(props: {
  name: string;
  intro: ComponentChildren;
  fields: readonly FieldSpec[];
  initial?: Values;
  submitLabel: string;
  error?: string | undefined;
  t: Translate<StringKey>;
  onSubmit: (values: Values) => void;
}) {
  const { name, fields, t } = props;
  const [values, setValues] = useState<Values>(props.initial ?? {});
  const [shown, setShown] = useState<Partial<Record<string, StringKey>>>({});
  const ref = useRef<HTMLFormElement>(null);
  return (
    <form
      ref={ref}
      class={`form ${name}`}
      data-testid={name}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const found = problems(fields, values);
        setShown(found);
        const first = fields.find((f) => found[f.key]);
        if (first) return void ref.current?.querySelector<HTMLElement>(`[name="${first.key}"]`)?.focus();
        props.onSubmit(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()])));
      }}
    >
      <div class="form-body">
        <p class="form-intro">{props.intro}</p>
        {fields.map((f) => (
          <FormField
            key={f.key}
            form={name}
            field={f}
            value={values[f.key] ?? ''}
            problem={shown[f.key]}
            t={t}
            onInput={(v) => setValues({ ...values, [f.key]: v })}
          />
        ))}
        {props.error ? (
          <p class="field-error" role="alert">
            {props.error}
          </p>
        ) : null}
      </div>
      <div class="form-foot">
        <button type="submit" class="send wide">
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}
