/** A form's save button with the "Saved" note after a save that went through. */
import { useAdmin } from '../context.js';

export function SaveRow({ saved, label, busy }: { saved: boolean; label?: string; busy?: boolean }) {
  const { t } = useAdmin();
  return (
    <div class="adm-actions">
      <button type="submit" class="primary" disabled={busy === true}>
        {label ?? t('save')}
      </button>
      {saved && (
        <span class="adm-ok" role="status">
          {t('saved')}
        </span>
      )}
    </div>
  );
}
