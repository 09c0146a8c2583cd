/** The message box: Enter sends, Shift+Enter breaks the line; typing is reported as the visitor types (CONV-2). */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import type { Chat } from './chat.js';
import type { StringKey } from './strings.js';

export function Composer(props: { chat: Chat; t: Translate<StringKey> }) {
  const { chat, t } = props;
  const [draft, setDraft] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = () => {
    if (!draft.trim()) return;
    chat.send(draft);
    setDraft('');
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        ref={input}
        rows={2}
        maxLength={8000}
        value={draft}
        placeholder={t('placeholder')}
        aria-label={t('placeholder')}
        onInput={(e) => {
          const v = (e.currentTarget as HTMLTextAreaElement).value;
          setDraft(v);
          chat.draft(v);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <button type="submit" class="send" disabled={!draft.trim()}>
        {t('send')}
      </button>
    </form>
  );
}
