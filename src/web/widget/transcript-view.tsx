/** The messages: the visitor's on the right (with "Read" under the last one the agent read), the team's on the left, automatic ones as notices. */
import { useEffect, useRef } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import type { Chat } from './chat.js';
import { FileView, UploadView } from './file-view.js';
import type { StringKey } from './strings.js';
import type { ChatState, Line } from './transcript.js';

export function TranscriptView(props: { chat: Chat; t: Translate<StringKey>; onOpenImage: (url: string) => void }) {
  const { chat, t } = props;
  const s: ChatState = chat.state;
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: 'end' }), [s.lines.length, s.outbox.length, s.agentTyping]);
  const lastRead = [...s.lines].reverse().find((l) => l.from === 'visitor' && l.seq <= s.agentRead)?.seq;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls, and a scrollable region must take focus for keyboard users to scroll it (WEB-7).
    <div class="log" role="log" aria-live="polite" tabIndex={0} data-testid="log">
      {s.lines.length === 0 && s.outbox.length === 0 ? <p class="notice">{t('empty')}</p> : null}
      {s.lines.map((l) => (
        <LineView key={l.seq} chat={chat} line={l} read={l.seq === lastRead} t={t} onOpenImage={props.onOpenImage} />
      ))}
      {s.outbox.map((o) =>
        o.file ? (
          <div key={o.clientMsgId} class="msg mine pending-file">
            <UploadView chat={chat} o={o} t={t} />
          </div>
        ) : (
          <div key={o.clientMsgId} class="msg mine pending" data-testid="pending">
            <div class="text">{o.text}</div>
            <div class="meta">{o.failed ? t('failed', { reason: o.failed }) : t('sending')}</div>
          </div>
        ),
      )}
      {s.agentTyping ? (
        <div class="typing" data-testid="typing">
          {t('typing', { name: s.agent?.name ?? '…' })}
        </div>
      ) : null}
      <div ref={end} />
    </div>
  );
}

function LineView(props: {
  chat: Chat;
  line: Line;
  read: boolean;
  t: Translate<StringKey>;
  onOpenImage: (url: string) => void;
}) {
  const { line: l, t } = props;
  if (l.from === 'system')
    return (
      <p class="notice" data-seq={l.seq} data-testid="notice">
        {l.text ?? (l.notice ? t(l.notice.key, { name: l.notice.name }) : '')}
      </p>
    );
  const mine = l.from === 'visitor';
  return (
    <div class={`msg ${mine ? 'mine' : 'theirs'}`} data-seq={l.seq} data-testid={mine ? 'mine' : 'theirs'}>
      {l.file ? <FileView chat={props.chat} file={l.file} t={t} onOpen={props.onOpenImage} /> : null}
      {l.text ? <div class="text">{l.text}</div> : null}
      {props.read ? (
        <div class="meta" data-testid="read">
          {t('read')}
        </div>
      ) : null}
    </div>
  );
}
