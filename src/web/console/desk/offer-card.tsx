/** ROUTE-17: a conversation offered to the agent, with accept, or decline with a reason, before it expires. */
import { useState } from 'preact/hooks';
import type { OfferEvent } from '../../../../protocol/frames.js';
import type { DeskModel } from './desk-model.js';

export function OfferCard({ model, offer }: { model: DeskModel; offer: OfferEvent }) {
  const t = model.session.t;
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const secs = Math.max(0, Math.round((offer.expiresAt - Date.now()) / 1000));
  return (
    <div class="desk-offer" role="alert" data-testid="offer" data-conversation={offer.conversationId}>
      <strong>{t('offerTitle', { department: offer.department })}</strong>
      <span class="desk-muted">{t('offerExpires', { n: secs })}</span>
      {!declining ? (
        <div class="row">
          <button
            type="button"
            class="primary"
            data-testid="offer-accept"
            onClick={() => void model.accept(offer.conversationId)}
          >
            {t('accept')}
          </button>
          <button type="button" data-testid="offer-decline" onClick={() => setDeclining(true)}>
            {t('decline')}
          </button>
        </div>
      ) : (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) void model.decline(offer.conversationId, reason.trim());
          }}
        >
          <input
            data-testid="decline-reason"
            aria-label={t('declineReason')}
            placeholder={t('declineReason')}
            required
            value={reason}
            ref={(el) => el?.focus()}
            onInput={(e) => setReason((e.target as HTMLInputElement).value)}
          />
          <button type="submit" data-testid="decline-send">
            {t('decline')}
          </button>
        </form>
      )}
    </div>
  );
}
