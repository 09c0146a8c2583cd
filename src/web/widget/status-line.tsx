/**
 * One line under the header: the connection (WEB-7: a server that cannot
 * be reached says so, never a blank panel), the queue position and wait
 * (QUEUE-1), or why nobody answers soon (unless the leave-a-message form
 * says it already).
 */
import type { Translate } from '../shared/i18n.js';
import type { Chat } from './chat.js';
import type { StringKey } from './strings.js';

export function StatusLine(props: { chat: Chat; t: Translate<StringKey>; hidden?: boolean }) {
  const { chat, t } = props;
  const s = chat.state;
  let text: string | undefined;
  let kind = 'info';
  if (chat.connection === 'refused') {
    text = t('refused');
    kind = 'warn';
  } else if (chat.connection !== 'open' && s.conversationId) {
    text = t('offline');
    kind = 'warn';
  } else if (chat.connection !== 'open' && chat.unreachable) {
    text = t('unreachable');
    kind = 'warn';
  } else if (chat.connection === 'connecting') text = t('connecting');
  else if (props.hidden) text = undefined;
  else if (s.status === 'queued' && s.backlog) text = t(`backlog_${s.backlog}`);
  else if (s.status === 'queued' && s.queue)
    text =
      s.queue.waitSeconds > 0
        ? t('queuedWait', { position: s.queue.position, minutes: Math.max(1, Math.round(s.queue.waitSeconds / 60)) })
        : t('queued', { position: s.queue.position });
  else if (s.status === 'resolved') text = t('resolved');
  if (!text) return null;
  return (
    <div class={`status ${kind}`} role="status" aria-live="polite" data-testid="status">
      {text}
    </div>
  );
}
