/** `?`: the list of keyboard shortcuts. */
import type { DeskModel } from './desk-model.js';
import { Dialog } from './dialog.js';
import { shortcuts } from './shortcuts.js';

export function ShortcutsHelp({ model, onClose }: { model: DeskModel; onClose(): void }) {
  const t = model.session.t;
  return (
    <Dialog title={t('shortcutsTitle')} testid="shortcuts" onClose={onClose}>
      <table class="desk-keys">
        <tbody>
          {shortcuts.map((s) => (
            <tr key={s.action}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{t(s.label)}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>/</kbd>
            </td>
            <td>{t('scCanned')}</td>
          </tr>
          <tr>
            <td>
              <kbd>Enter</kbd> · <kbd>Shift+Enter</kbd>
            </td>
            <td>{t('scSend')}</td>
          </tr>
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>{t('scClose')}</td>
          </tr>
        </tbody>
      </table>
      <button type="button" data-autofocus onClick={onClose}>
        {t('close')}
      </button>
    </Dialog>
  );
}
