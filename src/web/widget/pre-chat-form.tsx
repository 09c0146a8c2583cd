/** WEB-2: the pre-chat form, fields set by the admin, shown before a visitor's first conversation; sending it starts the chat. */
import type { PreChatField, VisitorDetails } from '../../../protocol/frames.js';
import type { Language, Translate } from '../shared/i18n.js';
import type { Chat } from './chat.js';
import type { StringKey } from './strings.js';
import { WidgetForm, type FieldSpec, type Values } from './widget-form.js';

export function fieldSpecs(fields: readonly PreChatField[], lang: Language, t: Translate<StringKey>): FieldSpec[] {
  return fields.map((f) => ({
    key: f.key,
    required: f.required,
    kind: f.key === 'email' ? 'email' : 'text',
    label:
      f.key === 'name'
        ? t('fieldName')
        : f.key === 'email'
          ? t('fieldEmail')
          : (f.label?.[lang] ?? f.label?.en ?? f.label?.['zh-CN'] ?? f.key),
  }));
}

/** Form values as the protocol's details: name and email in their own fields, the rest as answers. */
export function detailsOf(values: Values, keys: readonly string[]): VisitorDetails {
  const details: VisitorDetails = {};
  const answers: Record<string, string> = {};
  for (const k of keys) {
    const v = values[k];
    if (!v) continue;
    if (k === 'name' || k === 'email') details[k] = v;
    else answers[k] = v;
  }
  if (Object.keys(answers).length) details.answers = answers;
  return details;
}

export function PreChatForm(props: { chat: Chat; fields: readonly PreChatField[]; t: Translate<StringKey> }) {
  const { chat, t } = props;
  const specs = fieldSpecs(props.fields, chat.language, t);
  const all: FieldSpec[] = [...specs, { key: 'message', label: t('fieldMessage'), required: true, kind: 'message' }];
  return (
    <WidgetForm
      name="prechat"
      intro={t('preChatTitle')}
      fields={all}
      submitLabel={t('startChat')}
      t={t}
      onSubmit={(v) =>
        chat.startWith(
          detailsOf(
            v,
            specs.map((s) => s.key),
          ),
          v.message ?? '',
        )
      }
    />
  );
}
