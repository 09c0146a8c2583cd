/** One event of a watched conversation: a message as a bubble, anything else as a notice line. */
import type { ConversationEvent } from '../../../../protocol/frames.js';
import type { Translate } from '../../shared/i18n.js';
import { formatClock } from './format.js';
import type { WorkbenchKey } from './strings.js';

export function EventLine(props: {
  event: ConversationEvent;
  t: Translate<WorkbenchKey>;
  lang: string;
  nameOf: (id: string) => string;
}) {
  const { event: e, t } = props;
  const time = formatClock(e.at, props.lang);
  if (e.type === 'message') {
    const role = e.from.role;
    const who = role === 'visitor' ? t('visitor') : role === 'system' ? t('system') : props.nameOf(e.from.id);
    return (
      <li class={`wb-msg wb-from-${role}`} data-seq={e.seq} data-testid="wb-message">
        <span class="wb-msg-meta">
          {who} · {time}
        </span>
        <span class="wb-msg-text">{e.text ?? e.file?.name ?? ''}</span>
      </li>
    );
  }
  return (
    <li class="wb-event" data-seq={e.seq} data-event={e.type}>
      {describe(e, t, props.nameOf)} · {time}
    </li>
  );
}

function describe(e: ConversationEvent, t: Translate<WorkbenchKey>, nameOf: (id: string) => string): string {
  switch (e.type) {
    case 'created':
      return t('ev_created', { department: e.department });
    case 'queued':
      return t('ev_queued', { department: e.department });
    case 'assigned':
      return t('ev_assigned', { name: e.agent.name, policy: e.policy });
    case 'unassigned':
      return t('ev_unassigned', { name: e.agent.name, reason: e.reason });
    case 'resolved':
      return t('ev_resolved', {
        by: e.by.role === 'agent' ? nameOf(e.by.id) : e.by.role,
        summary: e.summary ? `: ${e.summary}` : '',
      });
    case 'transferred':
      return t('ev_transferred', { to: e.toAgent?.name ?? e.department, by: nameOf(e.by.id) });
    case 'joined':
      return t('ev_joined', { name: e.staff.name });
    case 'parted':
      return t('ev_parted', { name: e.staff.name });
    case 'reopened':
      return t('ev_reopened');
    default:
      return '';
  }
}
