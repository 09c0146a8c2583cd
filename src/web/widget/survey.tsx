/** MON-3: the satisfaction survey offered after a resolve, 1 to 5. */
import type { Translate } from '../shared/i18n.js';
import type { Chat } from './chat.js';
import type { StringKey } from './strings.js';

export function Survey(props: { chat: Chat; t: Translate<StringKey> }) {
  const { chat, t } = props;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a row of five buttons, not a form; a fieldset's border and legend layout do not fit the panel.
    <div class="survey" role="group" aria-label={t('rateAsk')}>
      <span>{t('rateAsk')}</span>
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          type="button"
          key={n}
          class="star"
          aria-label={t('rateScore', { n })}
          onClick={() => void chat.rate(n).catch(() => undefined)}
        >
          {n}
        </button>
      ))}
    </div>
  );
}
