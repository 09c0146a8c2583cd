/**
 * The supervisor workbench (WEB-4): the live wall of departments (MON-1)
 * beside the conversation being watched, and the dialogs for re-assigning
 * and lending (SUP-1…4). Only the actions the viewer's role allows are
 * offered (offered-actions.ts); the server checks them all again.
 */
import { useState } from 'preact/hooks';
import type { ConversationSummary, MonitoredAgent } from '../../../../protocol/frames.js';
import type { Translate } from '../../shared/i18n.js';
import { DepartmentCard, type CardActions } from './department-card.js';
import { ConnectionBanner, FlashBanner } from './flash-banner.js';
import { LendDialog } from './lend-dialog.js';
import { agentsOnWall, conversationsOf, departmentsOfAgent } from './monitor-model.js';
import { conversationActions, mayLend, type SupervisionAction } from './offered-actions.js';
import { ReassignDialog } from './reassign-dialog.js';
import type { WorkbenchKey } from './strings.js';
import { useServerClock, useWorkbench } from './use-workbench.js';
import { WatchPane } from './watch-pane.js';
import type { WorkbenchStore } from './workbench-store.js';

type Open =
  | { kind: 'reassign'; conversationId: string; agentId: string | undefined }
  | { kind: 'lend'; agent: MonitoredAgent };

export function Workbench(props: { store: WorkbenchStore; t: Translate<WorkbenchKey>; lang: string }) {
  const { store, t } = props;
  const s = useWorkbench(store);
  const now = useServerClock(store);
  const [open, setOpen] = useState<Open | undefined>(undefined);
  const viewer = store.viewer;
  const agents = agentsOnWall(s.wall);
  const nameOf = (id: string | undefined) => (id ? (agents.find((a) => a.agentId === id)?.name ?? id) : undefined);
  const act = (action: SupervisionAction, c: { conversationId: string; agentId?: string | undefined }) => {
    const id = c.conversationId;
    if (action === 'watch') void store.watch(id);
    else if (action === 'join') void store.join(id);
    else if (action === 'part') void store.part(id);
    else if (action === 'takeover') void store.takeover(id);
    else setOpen({ kind: 'reassign', conversationId: id, agentId: c.agentId });
  };
  const actionsFor = (c: ConversationSummary) =>
    conversationActions(viewer, {
      department: c.department,
      status: c.status,
      agentId: c.agentId,
      joined: s.joined.includes(c.conversationId),
    });
  const card: CardActions = {
    actionsFor,
    mayLend: (agentId) => agentId !== viewer.id && mayLend(viewer, departmentsOfAgent(s.wall, agentId)),
    nameOf,
    onAction: act,
    onLend: (agent) => setOpen({ kind: 'lend', agent }),
  };
  const w = s.watch;
  const watchedSummary = w ? s.wall.conversations[w.conversationId] : undefined;
  const watchActions = w
    ? conversationActions(viewer, {
        department: w.department ?? watchedSummary?.department ?? '',
        status: w.status,
        agentId: w.agent?.id,
        joined: s.joined.includes(w.conversationId),
      })
    : [];
  return (
    <div class="wb" data-testid="workbench" data-role={viewer.role}>
      <header class="wb-head">
        <h1>{t('title')}</h1>
        <span class={`wb-conn${s.connected ? ' wb-ok' : ''}`} data-testid="wb-connection">
          {s.connected ? '' : t('reconnecting')}
        </span>
      </header>
      <ConnectionBanner connected={s.connected} t={t} />
      <FlashBanner flash={s.flash} t={t} onDismiss={() => store.dismiss()} />
      <div class={`wb-body${w ? ' wb-with-watch' : ''}`}>
        <div class="wb-wall" data-testid="wb-wall" data-loaded={s.wall.loaded ? 'yes' : 'no'}>
          {!s.wall.loaded ? <p class="wb-muted">{t('loading')}</p> : null}
          {s.wall.loaded && s.wall.departments.length === 0 ? <p class="wb-muted">{t('empty')}</p> : null}
          {s.wall.departments.map((d) => (
            <DepartmentCard
              key={d.department}
              department={d}
              conversations={conversationsOf(s.wall, d.department)}
              watched={w?.conversationId}
              busy={s.busy}
              now={now}
              t={t}
              actions={card}
            />
          ))}
        </div>
        {w ? (
          <WatchPane
            watch={w}
            viewerId={viewer.id}
            actions={watchActions}
            busy={s.busy}
            t={t}
            lang={props.lang}
            nameOf={(id) => nameOf(id) ?? id}
            onAction={(a) => act(a, { conversationId: w.conversationId, agentId: w.agent?.id })}
            onSend={(text) => store.send(w.conversationId, text)}
            onResolve={(summary) => store.resolve(w.conversationId, summary)}
            onClose={() => store.closeWatch()}
          />
        ) : null}
      </div>
      {open?.kind === 'reassign' ? (
        <ReassignDialog
          conversationId={open.conversationId}
          currentAgentId={open.agentId}
          agents={agents}
          departments={s.wall.departments}
          t={t}
          onSubmit={(to, note) => store.reassign(open.conversationId, to, note)}
          onClose={() => setOpen(undefined)}
        />
      ) : null}
      {open?.kind === 'lend' ? (
        <LendDialog
          agent={open.agent}
          listedIn={departmentsOfAgent(s.wall, open.agent.agentId)}
          departments={s.wall.departments}
          t={t}
          onSubmit={(department, minutes) => store.lend(open.agent, department, minutes)}
          onClose={() => setOpen(undefined)}
        />
      ) : null}
    </div>
  );
}
