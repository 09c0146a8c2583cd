/**
 * SUP-5, XFER-2/4: what only staff see, drawn apart from the chat in its own
 * box: the transfer notes of the chain (note, tags, who, from where) and
 * the internal notes.
 */
import type { Conversation } from './conversation.js';
import type { DeskModel } from './desk-model.js';

export function StaffNotes({ model, conv }: { model: DeskModel; conv: Conversation }) {
  const t = model.session.t;
  if (!conv.notes.length && !conv.transfers.length) return null;
  return (
    <section class="desk-notes" data-testid="notes" aria-label={t('notesLabel')}>
      <h3>{t('notesLabel')}</h3>
      <ul>
        {conv.transfers.map((x) => (
          <li key={`x${x.n}`} class="desk-transfer-note" data-testid="transfer-note">
            <strong>{t('transferBy', { name: x.by.name, from: x.fromDepartment })}</strong> {x.note}
            {x.tags.map((tag) => (
              <span key={tag} class="desk-tag">
                {tag}
              </span>
            ))}
          </li>
        ))}
        {conv.notes.map((n) => (
          <li key={n.id} data-testid="note">
            <strong>{n.author.name}:</strong> {n.text}
          </li>
        ))}
      </ul>
    </section>
  );
}
