/** The selected conversation: a header with its actions, the history, the staff-only notes apart, the composer. */
import { useEffect, useRef } from 'preact/hooks';
import type { Conversation } from './conversation.js';
import type { DeskModel } from './desk-model.js';
import { Composer } from './composer.js';
import { StaffNotes } from './staff-notes.js';
import { Transcript } from './transcript.js';

export interface ChatPaneProps {
  model: DeskModel;
  conv: Conversation;
  noteMode: boolean;
  setNoteMode(v: boolean): void;
  onTransfer(): void;
  onResolve(): void;
}

export function ChatPane({ model, conv, noteMode, setNoteMode, onTransfer, onResolve }: ChatPaneProps) {
  const t = model.session.t;
  const log = useRef<HTMLDivElement>(null);
  const count = conv.events.size + conv.pending.length;
  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
    model.markRead(conv.id);
  }, [conv.id, count, conv.typing]);
  const open = conv.mine && conv.status !== 'resolved';
  return (
    <section class="desk-chat" data-testid="chat" data-conversation={conv.id} aria-label={t('chatLabel')}>
      <header class="desk-chat-head">
        <strong>{model.customers.get(conv.id)?.customer.name ?? t('customer')}</strong>
        <span class="desk-muted">
          {conv.department} · {t(`conv_${conv.status}`)}
        </span>
        <span class="grow" />
        {open && (
          <>
            <button type="button" data-testid="open-transfer" onClick={onTransfer}>
              {t('transfer')}
            </button>
            <button type="button" data-testid="open-resolve" onClick={onResolve}>
              {t('resolve')}
            </button>
          </>
        )}
      </header>
      <div class="desk-scroll" ref={log}>
        <Transcript model={model} conv={conv} />
      </div>
      <StaffNotes model={model} conv={conv} />
      <Composer model={model} conv={conv} noteMode={noteMode} setNoteMode={setNoteMode} />
    </section>
  );
}
