/**
 * The message box: Enter sends, Shift+Enter breaks the line; typing is
 * reported as the visitor types (CONV-2); the paper clip picks a file to
 * send (CONV-1).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import type { Chat } from './chat.js';
import type { StringKey } from './strings.js';
import { UPLOAD_TYPES } from '../shared/upload.js';

export function Composer(props: { chat: Chat; t: Translate<StringKey> }) {
  const { chat, t } = props;
  const [draft, setDraft] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
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
      <input
        ref={picker}
        type="file"
        class="picker"
        accept={UPLOAD_TYPES.join(',')}
        tabIndex={-1}
        aria-hidden="true"
        data-testid="file-input"
        onChange={(e) => {
          const el = e.currentTarget as HTMLInputElement;
          for (const f of el.files ?? []) chat.attach(f);
          el.value = '';
        }}
      />
      <button
        type="button"
        class="attach"
        aria-label={t('attach')}
        title={t('attach')}
        onClick={() => picker.current?.click()}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            d="M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l7.8-7.8a4 4 0 0 0-5.7-5.7L5.8 11.4a6 6 0 0 0 8.5 8.5l6.4-6.4"
            stroke="currentColor"
            stroke-width="1.8"
            fill="none"
            stroke-linecap="round"
          />
        </svg>
      </button>
      <button type="submit" class="send" disabled={!draft.trim()}>
        {t('send')}
      </button>
    </form>
  );
}
