/**
 * WEB-3: the desk's lists: my conversations (with unread counts), my
 * departments' queue with claim (ROUTE-12), and recently resolved.
 */
import type { DeskModel } from './desk-model.js';
import { lastText } from './conversation.js';

export function ConversationLists({ model }: { model: DeskModel }) {
  const t = model.session.t;
  const mine = model.mine;
  const ago = (ms: number) => Math.max(0, Math.round((Date.now() - ms) / 60000));
  return (
    <nav class="desk-lists" aria-label={t('listsLabel')}>
      <h3>
        {t('listMine')} <span class="desk-count">{mine.length}</span>
      </h3>
      <ul data-testid="list-mine">
        {mine.length === 0 && <li class="desk-empty">{t('noneMine')}</li>}
        {mine.map((c) => {
          const n = model.unreadOf(c.id);
          return (
            <li key={c.id}>
              <button
                type="button"
                class="desk-item"
                data-conversation={c.id}
                aria-current={model.selected === c.id}
                onClick={() => model.select(c.id)}
              >
                <span class="desk-item-title">{lastText(c) || t('newConversation')}</span>
                <span class="desk-muted">{c.department}</span>
                {n > 0 && (
                  <span class="desk-unread" data-testid="unread" title={t('unread', { n })}>
                    {n}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
      <h3>
        {t('listQueue')} <span class="desk-count">{model.queue.length}</span>
      </h3>
      <ul data-testid="list-queue">
        {model.queue.length === 0 && <li class="desk-empty">{t('noneQueue')}</li>}
        {model.queue.map((w) => (
          <li key={w.conversationId} class="desk-queued" data-conversation={w.conversationId}>
            <span>
              {w.position !== undefined ? `#${w.position} · ` : ''}
              {w.department} · {t('waitingMin', { n: ago(w.waitingSince) })}
            </span>
            <button type="button" data-testid="claim" onClick={() => void model.claim(w.conversationId)}>
              {t('claim')}
            </button>
          </li>
        ))}
      </ul>
      <h3>{t('listResolved')}</h3>
      <ul data-testid="list-resolved">
        {model.recent.length === 0 && <li class="desk-empty">{t('noneResolved')}</li>}
        {model.recent.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              class="desk-item"
              data-conversation={r.id}
              aria-current={model.selected === r.id}
              onClick={() => model.select(r.id)}
            >
              <span class="desk-item-title">{r.summary || t('noSummary')}</span>
              <span class="desk-muted">{new Date(r.at).toLocaleTimeString(model.session.lang)}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
