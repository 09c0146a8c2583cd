/**
 * The chat panel (loaded when the chat first opens): header with who
 * serves, the status line (connection, queue position and wait), then the
 * pre-chat form before a first conversation, or the transcript with the
 * composer, the leave-a-message form when nobody can answer soon, and the
 * survey. A file dropped on the panel is sent. Keyboard: Enter sends,
 * Shift+Enter breaks the line, Esc closes.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import { adoptStyles } from '../shared/styles.js';
import type { Chat } from './chat.js';
import { Composer } from './composer.js';
import { ImageViewer } from './file-view.js';
import { LeaveMessageForm, leaveFormShown } from './leave-message-form.js';
import { panelCss } from './panel-css.js';
import { PreChatForm } from './pre-chat-form.js';
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
  const [image, setImage] = useState<string | undefined>(undefined);
  const [dropping, setDropping] = useState(false);
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
  const preChat = chat.preChat && !s.conversationId && s.outbox.length === 0 ? chat.preChat : undefined;
  const leave = leaveFormShown(s.status, s.backlog, chat.leftMessage) ? s.backlog : undefined;
  return (
    <div
      ref={ref}
      class={`panel${dropping ? ' dropping' : ''}`}
      data-ready={chat.ready}
      role="dialog"
      aria-label={t('title')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
      onDragOver={(e) => {
        if (preChat || !e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => {
        setDropping(false);
        if (preChat || !e.dataTransfer?.files.length) return;
        e.preventDefault();
        for (const f of e.dataTransfer.files) chat.attach(f);
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
      <StatusLine chat={chat} t={t} hidden={leave !== undefined} />
      {chat.connection === 'refused' ? (
        // WEB-1: a site not allowed to embed the widget shows the refusal alone.
        <div class="log" />
      ) : preChat ? (
        <PreChatForm chat={chat} fields={preChat} t={t} />
      ) : (
        <>
          <TranscriptView chat={chat} t={t} onOpenImage={setImage} />
          {chat.leftMessage && s.status === 'queued' && chat.details?.name && chat.details.email ? (
            <p class="notice thanks" data-testid="left">
              {t('leaveThanks', { name: chat.details.name, email: chat.details.email })}
            </p>
          ) : null}
          {surveyOpen(s) ? (
            <Survey chat={chat} t={t} />
          ) : s.rated !== undefined ? (
            <p class="notice">{t('rateThanks')}</p>
          ) : null}
          {leave ? <LeaveMessageForm chat={chat} reason={leave} t={t} /> : <Composer chat={chat} t={t} />}
        </>
      )}
      {dropping ? <div class="drop">{t('dropHere')}</div> : null}
      {image ? <ImageViewer url={image} t={t} onClose={() => setImage(undefined)} /> : null}
    </div>
  );
}
