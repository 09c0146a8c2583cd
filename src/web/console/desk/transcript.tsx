/**
 * The chat pane's history: every event once, in seq order (data-seq),
 * messages of the customer and of staff, automatic messages and what
 * happened (assigned, transferred, resolved) as quiet lines, the agent's
 * unacknowledged messages greyed, read receipts and the customer typing.
 */
import type { Conversation, SeqEvent } from './conversation.js';
import { ordered } from './conversation.js';
import type { DeskModel } from './desk-model.js';
import { FilePreview } from './file-preview.js';

/**
 * A message names its author by id only; the staff who wrote in a
 * conversation were assigned to it, transferred to or joined it first, and
 * those events carry their names.
 */
function staffNames(events: readonly SeqEvent[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'assigned' || e.type === 'unassigned') names.set(e.agent.id, e.agent.name);
    else if (e.type === 'joined' || e.type === 'parted') names.set(e.staff.id, e.staff.name);
    else if (e.type === 'transferred' && e.toAgent) names.set(e.toAgent.id, e.toAgent.name);
  }
  return names;
}

export function Transcript({ model, conv }: { model: DeskModel; conv: Conversation }) {
  const t = model.session.t;
  const me = model.session.staff.id;
  const events = ordered(conv);
  const names = staffNames(events);
  const lastMine = [...events].reverse().find((e) => e.type === 'message' && e.from.role === 'agent')?.seq ?? 0;
  const line = (e: SeqEvent): string | undefined => {
    switch (e.type) {
      case 'created':
        return t('evCreated', { department: e.department });
      case 'assigned':
        return t('evAssigned', { name: e.agent.name });
      case 'queued':
        return t('evQueued', { department: e.department });
      case 'transferred':
        return t('evTransferred', { name: e.toAgent?.name ?? e.department });
      case 'resolved':
        return e.summary ? t('evResolvedSummary', { summary: e.summary }) : t('evResolved');
      case 'reopened':
        return t('evReopened');
      case 'joined':
        return t('evJoined', { name: e.staff.name });
      case 'parted':
        return t('evParted', { name: e.staff.name });
      case 'unassigned':
        return t('evUnassigned', { name: e.agent.name });
      default:
        return undefined;
    }
  };
  return (
    <ol class="desk-log" data-testid="transcript" aria-live="polite">
      {!conv.complete && <li class="desk-muted">{t('loadingHistory')}</li>}
      {events.map((e) => {
        if (e.type !== 'message')
          return (
            <li key={e.seq} data-seq={e.seq} class="desk-event">
              {line(e)}
            </li>
          );
        const who = e.from.role === 'visitor' ? 'theirs' : e.from.role === 'system' ? 'auto' : 'ours';
        return (
          <li key={e.seq} data-seq={e.seq} class={`desk-msg ${who}`}>
            {who === 'ours' && e.from.id !== me && <span class="desk-from">{names.get(e.from.id) ?? e.from.id}</span>}
            {e.text && <span class="text">{e.text}</span>}
            {e.file && <FilePreview model={model} file={e.file} />}
            <span class="desk-time">{new Date(e.at).toLocaleTimeString(model.session.lang)}</span>
            {e.seq === lastMine && conv.read.visitor >= e.seq && (
              <span class="desk-read" data-testid="read">
                {t('readByCustomer')}
              </span>
            )}
          </li>
        );
      })}
      {conv.pending.map((p) => (
        <li key={p.clientMsgId} class="desk-msg ours pending" data-testid="pending">
          <span class="text">{p.text ?? p.fileName}</span>
          {p.progress !== undefined && <progress value={p.progress} max={1} data-testid="upload-progress" />}
          {p.problem && (
            <span class="desk-problem">
              {t('notSent', { why: p.problem })}{' '}
              <button type="button" class="link" onClick={() => model.dropPending(conv.id, p.clientMsgId)}>
                {t('dismiss')}
              </button>
            </span>
          )}
        </li>
      ))}
      {conv.typing && (
        <li class="desk-typing" data-testid="typing">
          {t('customerTyping')}
        </li>
      )}
    </ol>
  );
}
