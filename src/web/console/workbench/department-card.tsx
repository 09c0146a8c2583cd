/** One department on the wall (MON-1): its figures, its agents with status and load, and its open conversations. */
import type { ConversationSummary, MonitoredAgent } from '../../../../protocol/frames.js';
import type { Translate } from '../../shared/i18n.js';
import { ConversationRow } from './conversation-row.js';
import { AgentRow } from './agent-row.js';
import { formatWait } from './format.js';
import { longestWaitAt, type DepartmentView } from './monitor-model.js';
import type { SupervisionAction } from './offered-actions.js';
import type { WorkbenchKey } from './strings.js';

export interface CardActions {
  actionsFor(c: ConversationSummary): SupervisionAction[];
  mayLend(agentId: string): boolean;
  nameOf(agentId: string | undefined): string | undefined;
  onAction(action: SupervisionAction, c: ConversationSummary): void;
  onLend(agent: MonitoredAgent): void;
}

function Figure(props: { label: string; value: string | number; name: string; warn?: boolean }) {
  return (
    <div class={`wb-figure${props.warn ? ' wb-warn' : ''}`} data-figure={props.name}>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

export function DepartmentCard(props: {
  department: DepartmentView;
  conversations: ConversationSummary[];
  watched: string | undefined;
  busy: string | undefined;
  now: number;
  t: Translate<WorkbenchKey>;
  actions: CardActions;
}) {
  const { department: d, t, actions } = props;
  const wait = longestWaitAt(d, props.now);
  const headingId = `wb-dept-${d.department}`;
  return (
    <section class="wb-card" data-department={d.department} aria-labelledby={headingId}>
      <h2 id={headingId}>{d.name}</h2>
      <dl class="wb-figures">
        <Figure name="queue" label={t('queue')} value={d.queueLength} warn={d.queueLength > 0} />
        <Figure name="longestWait" label={t('longestWait')} value={formatWait(wait, t)} warn={wait >= 60_000} />
        <Figure name="active" label={t('active')} value={d.activeConversations} />
        <Figure name="backlog" label={t('backlog')} value={d.backlog} />
        <Figure name="assignedToday" label={t('assignedToday')} value={d.assignedToday} />
        <Figure name="resolvedToday" label={t('resolvedToday')} value={d.resolvedToday} />
      </dl>
      <h3>{t('agents')}</h3>
      {d.agents.length === 0 ? (
        <p class="wb-muted">{t('noAgents')}</p>
      ) : (
        <ul class="wb-agents">
          {d.agents.map((a) => (
            <AgentRow key={a.agentId} agent={a} mayLend={actions.mayLend(a.agentId)} t={t} onLend={actions.onLend} />
          ))}
        </ul>
      )}
      <h3>{t('conversations')}</h3>
      {props.conversations.length === 0 ? (
        <p class="wb-muted">{t('noConversations')}</p>
      ) : (
        <ul class="wb-convs">
          {props.conversations.map((c) => (
            <ConversationRow
              key={c.conversationId}
              conversation={c}
              agentName={actions.nameOf(c.agentId)}
              actions={actions.actionsFor(c)}
              watched={props.watched === c.conversationId}
              busy={props.busy}
              now={props.now}
              t={t}
              onAction={actions.onAction}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
