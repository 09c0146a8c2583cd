/**
 * The chat panel (loaded when the chat first opens): header with who
 * serves, the status line (connection, queue position and wait, or why
 * nobody answers soon), the transcript, the composer and the survey.
 * Keyboard: Enter sends, Shift+Enter breaks the line, Esc closes.
 */
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import { adoptStyles } from '../shared/styles.js';
import type { Chat } from './chat.js';
import { Composer } from './composer.js';
import { panelCss } from './panel-css.js';
import type { StringKey } from './strings.js';
import { StatusLine } from './status-line.js';
import { Survey } from './survey.js';
import { TranscriptView } from './transcript-view.js';
import { useChat } from './use-chat.js';
import { surveyOpen } from './transcript.js';

export interface PanelProps {
  chat: Chat;
  t: Translate<StringKey>;
  onClose: () => void;
}

let styled = false;

export function Panel(props: PanelProps) {
  const chat = useChat(props.chat);
  const { t, onClose } = props;
  const ref = useRef<HTMLDivElement>(null);
  const s = chat.state;
  useLayoutEffect(() => {
    if (!styled && ref.current) {
      styled = true;
      adoptStyles(ref.current.getRootNode() as ShadowRoot, panelCss);
    }
  }, []);
  // CONV-2: what is shown while the panel is open and the tab visible has been read.
  useEffect(() => {
    const mark = () => document.visibilityState === 'visible' && chat.markRead();
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [s.lastSeq, chat.connection]);
  return (
    <div
      ref={ref}
      class="panel"
      role="dialog"
      aria-label={t('title')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <header class="head">
        <div class="head-title">
          {s.agent && s.status === 'assigned' ? t('with', { name: s.agent.name }) : t('title')}
        </div>
        <button type="button" class="close" aria-label={t('close')} onClick={onClose}>
          ×
        </button>
      </header>
      <StatusLine chat={chat} t={t} />
      {/* WEB-1: a site not allowed to embed the widget shows the refusal alone. */}
      {chat.connection === 'refused' ? <div class="log" /> : <TranscriptView state={s} t={t} />}
      {surveyOpen(s) ? (
        <Survey chat={chat} t={t} />
      ) : s.rated !== undefined ? (
        <p class="notice">{t('rateThanks')}</p>
      ) : null}
      {chat.connection === 'refused' ? null : <Composer chat={chat} t={t} />}
    </div>
  );
}
