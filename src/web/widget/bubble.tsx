/** The launcher button with the unread badge (WEB-1, WEB-2). */
import type { Ref } from 'preact';
import type { Translate } from '../shared/i18n.js';
import type { StringKey } from './strings.js';

export function Bubble(props: {
  buttonRef: Ref<HTMLButtonElement>;
  open: boolean;
  unread: number;
  t: Translate<StringKey>;
  onToggle: () => void;
}) {
  const { open, unread, t } = props;
  const label = open ? t('close') : unread ? `${t('open')} (${t('unread', { n: unread })})` : t('open');
  return (
    <button
      ref={props.buttonRef}
      type="button"
      class="bubble"
      part="bubble"
      aria-label={label}
      aria-expanded={open}
      onClick={props.onToggle}
    >
      <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
        {open ? (
          <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" fill="none" />
        ) : (
          <path d="M4 5h16v11H9l-5 4z" fill="currentColor" />
        )}
      </svg>
      {unread > 0 && !open ? (
        <span class="badge" data-testid="badge">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </button>
  );
}
