/** XFER-7: resolve with a summary (optional); a new customer message reopens it. */
import { useState } from 'preact/hooks';
import type { DeskModel } from './desk-model.js';
import { Dialog } from './dialog.js';

export function ResolveDialog({
  model,
  conversationId,
  onClose,
}: {
  model: DeskModel;
  conversationId: string;
  onClose(): void;
}) {
  const t = model.session.t;
  const [summary, setSummary] = useState('');
  return (
    <Dialog title={t('resolveTitle')} testid="resolve-dialog" onClose={onClose}>
      <form
        class="desk-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await model.resolve(conversationId, summary)) onClose();
        }}
      >
        <label>
          {t('summary')}
          <textarea
            data-testid="resolve-summary"
            rows={3}
            value={summary}
            onInput={(e) => setSummary((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <div class="row">
          <button type="submit" class="primary" data-testid="resolve-send">
            {t('resolve')}
          </button>
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
