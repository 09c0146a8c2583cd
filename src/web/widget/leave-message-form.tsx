/**
 * WEB-2, QUEUE-4/6: the leave-a-message form, shown when nobody can answer
 * soon (the queue is full, nobody is online, or it is outside business
 * hours). Name and email go to the visitor's profile, the message into the
 * conversation, which stays open for an agent to answer later.
 */
import { useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import { CommandError } from '../shared/connection.js';
import type { Chat } from './chat.js';
import type { StringKey } from './strings.js';
import type { ConversationStatus } from './transcript.js';
import { WidgetForm, type FieldSpec } from './widget-form.js';

export function LeaveMessageForm(props: {
  chat: Chat;
  reason: 'queue_full' | 'no_agents_online' | 'closed';
  t: Translate<StringKey>;
}) {
  const { chat, t } = props;
  const [error, setError] = useState<string | undefined>(undefined);
  const fields: FieldSpec[] = [
    { key: 'name', label: t('fieldName'), required: true, kind: 'text' },
    { key: 'email', label: t('fieldEmail'), required: true, kind: 'email' },
    { key: 'message', label: t('fieldMessage'), required: true, kind: 'message' },
  ];
  const initial: Record<string, string> = {};
  if (chat.details?.name) initial.name = chat.details.name;
  if (chat.details?.email) initial.email = chat.details.email;
  return (
    <WidgetForm
      name="leave"
      intro={t(`backlog_${props.reason}`)}
      fields={fields}
      initial={initial}
      submitLabel={t('leaveSend')}
      error={error}
      t={t}
      onSubmit={(v) =>
        void chat
          .leaveMessage({ name: v.name!, email: v.email! }, v.message!)
          .then(() => setError(undefined))
          .catch((err: unknown) =>
            setError(t('leaveFailed', { reason: err instanceof CommandError ? err.message : String(err) })),
          )
      }
    />
  );
}

/** The form shows while the conversation waits in the backlog and the visitor has not used it yet. */
export function leaveFormShown(
  status: ConversationStatus,
  backlog: string | undefined,
  left: boolean,
): backlog is 'queue_full' | 'no_agents_online' | 'closed' {
  return status === 'queued' && backlog !== undefined && !left;
}
