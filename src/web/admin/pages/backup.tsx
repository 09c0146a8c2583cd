/**
 * Backup (OPS-3, WEB-5): download a consistent copy of the whole store
 * (GET /api/v1/backup, streamed by the server from one read transaction),
 * to restore with `switchboard restore <file>`.
 */
import { useState } from 'preact/hooks';
import { useAdmin } from '../context.js';
import { FormProblem, problemOf, type Problem } from '../form.js';

export function BackupPage() {
  const { api, t } = useAdmin();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ name: string; bytes: number }>();
  const [problem, setProblem] = useState<Problem>();
  const download = async () => {
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    try {
      const { blob, fileName } = await api.download('/backup');
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setDone({ name: fileName, bytes: blob.size });
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="adm-card" data-testid="backup">
      <p>{t('backupIntro')}</p>
      <p class="adm-muted">
        {t('backupRestore')} <code>switchboard restore &lt;file&gt; --data ./data</code>
      </p>
      <button
        type="button"
        class="primary"
        disabled={busy}
        onClick={() => void download()}
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
