/** One open conversation on a department card: its state, its agent or its wait, and the actions the viewer may take (ROLE-4). */
import type { ConversationSummary } from '../../../../protocol/frames.js';
import type { Translate } from '../../shared/i18n.js';
import { ActionButtons } from './action-buttons.js';
import { formatWait, shortId } from './format.js';
import type { SupervisionAction } from './offered-actions.js';
import type { WorkbenchKey } from './strings.js';

export function ConversationRow(props: {
  conversation: ConversationSummary;
  agentName: string | undefined;
  actions: readonly SupervisionAction[];
  watched: boolean;
  busy: string | undefined;
  now: number;
  t: Translate<WorkbenchKey>;
  onAction: (action: SupervisionAction, c: ConversationSummary) => void;
}) {
  const { conversation: c, t } = props;
  const who =
    c.status === 'assigned'
      ? t('servedBy', { name: props.agentName ?? c.agentId ?? '' })
      : `${t('unassigned')} · ${formatWait(props.now - c.createdAt, t)}`;
  return (
    <li
      class={`wb-conv${props.watched ? ' wb-watched' : ''}`}
      data-conversation={c.conversationId}
      data-status={c.status}
      data-agent={c.agentId ?? ''}
    >
      <span class="wb-conv-id" title={c.conversationId}>
        {shortId(c.conversationId)}
      </span>
      <span class={`wb-chip wb-${c.status}`}>{t(`conv_${c.status}`)}</span>
      <span class="wb-conv-who">{who}</span>
      <ActionButtons
        class="wb-actions"
        conversationId={c.conversationId}
        actions={props.actions}
        busy={props.busy}
        t={t}
        labelled
        onAction={(a) => props.onAction(a, c)}
      />
    </li>
  );
}
