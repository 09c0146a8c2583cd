/**
 * The conversation a supervisor opened from the wall (SUP-1…3): its whole
 * history and its notes, live; silent until they join. Joined, or once it
 * is theirs, they may write and resolve it with a summary.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { Translate } from '../../shared/i18n.js';
import { ActionButtons } from './action-buttons.js';
import { EventLine } from './event-line.js';
import { shortId } from './format.js';
import { OneLineForm } from './one-line-form.js';
import type { SupervisionAction } from './offered-actions.js';
import type { WorkbenchKey } from './strings.js';
import type { WatchState } from './watch-model.js';

export function WatchPane(props: {
  watch: WatchState;
  viewerId: string;
  actions: readonly SupervisionAction[];
  busy: string | undefined;
  t: Translate<WorkbenchKey>;
  lang: string;
  nameOf: (id: string) => string;
  onAction: (action: SupervisionAction) => void;
  onSend: (text: string) => Promise<boolean>;
  onResolve: (summary: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const { watch: w, t } = props;
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: 'end' }), [w.events.length]);
  const serving = w.agent?.id === props.viewerId;
  const joined = w.joined.includes(props.viewerId);
  const writer = (serving || joined) && w.status !== 'resolved';
  const mode = serving ? t('youServe') : joined ? t('joinedVisibly') : t('watchingSilently');
  return (
    <aside
      class="wb-watch"
      aria-label={t('watching', { id: w.conversationId })}
      data-testid="wb-watch"
      data-conversation={w.conversationId}
      data-status={w.status}
      data-mode={serving ? 'serving' : joined ? 'joined' : 'silent'}
    >
      <header class="wb-watch-head">
        <h2 title={w.conversationId}>{t('watching', { id: shortId(w.conversationId) })}</h2>
        <button type="button" class="wb-small" data-action="close-watch" onClick={props.onClose}>
          {t('close')}
        </button>
      </header>
      <p class="wb-mode" data-testid="wb-mode">
        {mode}
      </p>
      <ActionButtons
        class="wb-watch-actions"
        conversationId={w.conversationId}
        actions={props.actions.filter((a) => a !== 'watch')}
        busy={props.busy}
        t={t}
        onAction={props.onAction}
      />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the history scrolls, and a scrollable region must take focus for keyboard users to scroll it (WEB-7). */}
      <div class="wb-log" role="log" aria-live="polite" tabIndex={0} data-testid="wb-log">
        <ol class="wb-lines">
          {w.live || w.events.length > 0 ? null : <li class="wb-muted">{t('historyLoading')}</li>}
          {w.events.map((e) => (
            <EventLine key={e.seq} event={e} t={t} lang={props.lang} nameOf={props.nameOf} />
          ))}
          <li ref={end} class="wb-end" />
        </ol>
      </div>
      <section class="wb-notes" data-testid="wb-notes">
        <h3>{t('notes')}</h3>
        {w.notes.length === 0 ? (
          <p class="wb-muted">{t('noNotes')}</p>
        ) : (
          <ul>
            {w.notes.map((n) => (
              <li key={n.id} data-note={n.id}>
                <strong>{n.author.name}</strong>: {n.text}
              </li>
            ))}
          </ul>
        )}
      </section>
      {writer ? (
        <div class="wb-write">
          <OneLineForm
            label={t('reply')}
            button={t('send')}
            testId="wb-reply"
            action="send"
            busy={props.busy === `send:${w.conversationId}`}
            onSubmit={props.onSend}
          />
          <OneLineForm
            label={t('summary')}
            button={t('resolve')}
            testId="wb-summary"
            action="resolve"
            allowEmpty
            busy={props.busy === `resolve:${w.conversationId}`}
            onSubmit={props.onResolve}
          />
        </div>
      ) : null}
    </aside>
  );
}
