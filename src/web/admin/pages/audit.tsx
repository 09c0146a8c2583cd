/** The audit log (ROLE-5, WEB-5): filters by time, staff member and action, and paging, oldest first. */
import { useState } from 'preact/hooks';
import type { Audit } from '../api-types.js';
import { useAdmin } from '../context.js';
import { Field, FormProblem, LoadProblem, useLoad } from '../form.js';

const ACTIONS = [
  'signin',
  'workspace.configure',
  'keyword-rules.replace',
  'pre-chat-form.replace',
  'department.create',
  'department.configure',
  'staff.create',
  'staff.configure',
  'canned.create',
  'canned.replace',
  'canned.delete',
  'canned.save',
  'account.password',
  'backup.download',
  'supervise.monitor',
  'supervise.monitor_departments',
  'supervise.join',
  'supervise.takeover',
  'supervise.reassign',
  'supervise.transfer',
  'supervise.loan',
];
const PAGE = 25;

const ms = (local: string): number | undefined => (local ? new Date(local).getTime() : undefined);

export function AuditPage() {
  const { api, t, lang } = useAdmin();
  const [draft, setDraft] = useState({ from: '', to: '', actor: '', action: '' });
  const [filter, setFilter] = useState(draft);
  const [pages, setPages] = useState<string[]>([]);
  const [open, setOpen] = useState<string>();
  const after = pages[pages.length - 1];
  const query = (): string => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    const from = ms(filter.from);
    const to = ms(filter.to);
    if (from !== undefined) q.set('from', String(from));
    if (to !== undefined) q.set('to', String(to));
    if (filter.actor.trim()) q.set('actor', filter.actor.trim());
    if (filter.action) q.set('action', filter.action);
    if (after) q.set('after', after);
    return q.toString();
  };
  const loaded = useLoad(() => api.get<{ entries: Audit[]; next?: string }>(`/audit?${query()}`), [filter, after]);
  const set = (k: keyof typeof draft) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value });
  const problem = loaded.problem?.field
    ? { ...loaded.problem, field: loaded.problem.field.replace(/^query\./, '') }
    : loaded.problem;
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <div>
      <form
        class="adm-card adm-form adm-filters"
        data-testid="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPages([]);
          setFilter(draft);
        }}
      >
        <Field label={t('auditFrom')} name="from" problem={problem}>
          <input name="from" type="datetime-local" value={draft.from} onInput={set('from')} />
        </Field>
        <Field label={t('auditTo')} name="to" problem={problem}>
          <input name="to" type="datetime-local" value={draft.to} onInput={set('to')} />
        </Field>
        <Field label={t('auditActor')} name="actor" problem={problem}>
          <input name="actor" value={draft.actor} onInput={set('actor')} placeholder="admin" />
        </Field>
        <Field label={t('auditAction')} name="action" problem={problem}>
          <select name="action" value={draft.action} onChange={set('action')}>
            <option value="">{t('auditAny')}</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" class="primary">
          {t('auditApply')}
        </button>
      </form>
      {loaded.problem && !problem?.field && !loaded.data && (
        <LoadProblem problem={loaded.problem} retry={loaded.reload} />
      )}
      <FormProblem problem={problem?.field ? problem : undefined} fields={['from', 'to', 'actor', 'action']} />
      {loaded.data && (
        <section class="adm-card" aria-label={t('navAudit')} aria-busy={loaded.loading}>
          {loaded.data.entries.length === 0 && <p class="placeholder">{t('auditNone')}</p>}
          <table class="adm-table" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('auditWhen')}</th>
                <th>{t('auditActor')}</th>
                <th>{t('auditAction')}</th>
                <th>{t('auditTarget')}</th>
                <th>{t('auditOutcome')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {loaded.data.entries.map((e) => (
                <>
                  <tr key={e.id} data-action={e.action}>
                    <td>{when.format(e.at)}</td>
                    <td>{e.actor ? `${e.actor.id} (${t(`role_${e.actor.role}`)})` : '–'}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>{e.target ? `${e.target.kind} ${e.target.id}` : ''}</td>
                    <td class={e.outcome === 'refused' ? 'adm-bad' : undefined}>{t(`outcome_${e.outcome}`)}</td>
                    <td>
                      <button
                        type="button"
                        class="link"
                        aria-expanded={open === e.id}
                        onClick={() => setOpen(open === e.id ? undefined : e.id)}
                      >
                        {t('auditDetails')}
                      </button>
                    </td>
                  </tr>
                  {open === e.id && (
                    <tr key={`${e.id}-detail`}>
                      <td colSpan={6}>
                        <pre class="adm-code">
                          {JSON.stringify(
                            { before: e.before, after: e.after, detail: e.detail, remote: e.remote },
                            null,
                            2,
                          )}
                        </pre>
                      </td>
                    </tr>
                  )}
                </>
              ))}
            </tbody>
          </table>
          <div class="adm-actions">
            <button
              type="button"
              disabled={pages.length === 0}
              onClick={() => setPages(pages.slice(0, -1))}
              data-testid="audit-prev"
            >
              {t('pagePrev')}
            </button>
            <span class="adm-muted">{t('pageN', { n: pages.length + 1 })}</span>
            <button
              type="button"
              disabled={!loaded.data.next}
              onClick={() => loaded.data?.next && setPages([...pages, loaded.data.next])}
              data-testid="audit-next"
            >
              {t('pageNext')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
