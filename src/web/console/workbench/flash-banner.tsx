/**
 * What the workbench has to tell: the outcome of the last action (a refusal
 * with the server's reason) and, while the server cannot be reached, that
 * the figures are the last ones it had (WEB-7: a clear message, never a
 * blank page).
 */
import type { Translate } from '../../shared/i18n.js';
import type { WorkbenchKey } from './strings.js';
import type { Flash } from './workbench-store.js';

export function FlashBanner(props: { flash: Flash | undefined; t: Translate<WorkbenchKey>; onDismiss: () => void }) {
  const { flash, t } = props;
  return (
    <div class="wb-flash-slot" aria-live="polite">
      {flash ? (
        <div
          key={flash.n}
          class={`wb-flash wb-${flash.tone}`}
          role={flash.tone === 'error' ? 'alert' : 'status'}
          data-testid="wb-flash"
          data-tone={flash.tone}
        >
          <span>{t(flash.key, flash.params)}</span>
          <button type="button" class="wb-link" onClick={props.onDismiss}>
            {t('dismiss')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function ConnectionBanner(props: { connected: boolean; t: Translate<WorkbenchKey> }) {
  if (props.connected) return null;
  return (
    <div class="wb-flash wb-error" role="alert" data-testid="wb-unreachable">
      {props.t('unreachable')}
    </div>
  );
}
