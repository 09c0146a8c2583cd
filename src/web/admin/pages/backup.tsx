/**
 * Backup (OPS-3, WEB-5): download a consistent copy of the whole store
 * (GET /api/v1/backup, streamed by the server from one read transaction),
 * to restore with `switchboard restore <file>`.
 */
import { useAdmin } from '../context.js';
import { FormProblem } from '../form.js';
import { useDownload } from '../save-file.js';

export function BackupPage() {
  const { t } = useAdmin();
  const { busy, done, problem, start } = useDownload();
  return (
    <section class="adm-card" data-testid="backup">
      <p>{t('backupIntro')}</p>
      <p class="adm-muted">
        {t('backupRestore')} <code>switchboard restore &lt;file&gt; --data ./data</code>
      </p>
      <button
        type="button"
        class="primary"
        disabled={busy !== undefined}
        onClick={() => void start('/backup')}
        data-testid="backup-download"
      >
        {busy ? t('backupBusy') : t('backupDownload')}
      </button>
      {done && (
        <p class="adm-ok" role="status" data-testid="backup-done">
          {t('backupDone', { name: done.name, size: (done.bytes / 1024).toFixed(0) })}
        </p>
      )}
      <FormProblem problem={problem} fields={[]} />
    </section>
  );
}
