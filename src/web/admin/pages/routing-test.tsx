/**
 * The conversation test page (MON-4): describe a customer — entry
 * department, first message, VIP, login, required skills, last agent — and
 * see where the conversation would be routed now and why: the login check,
 * the keyword rules that match, the department, what it needs, then each
 * candidate agent with their load and figures and the reason each was
 * passed over (ROUTE-16), or its place in the queue. A dry run on the
 * server (POST /routing/test): nothing is stored, nobody is offered
 * anything.
 */
import { useState } from 'preact/hooks';
import type { DryRun, Verdict } from '../api-types.js';
import { useAdmin } from '../context.js';
import {
  Field,
  FormProblem,
  problemOf,
  splitList,
  useFocusInvalid,
  type Problem,
  NotLoaded,
  DepartmentOptions,
} from '../form.js';
import { useDirectory } from '../use-resource.js';

const seconds = (ms: number | undefined): string => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);

export function RoutingTestPage() {
  const { api, t } = useAdmin();
  const loaded = useDirectory();
  const [f, setF] = useState({ department: '', text: '', vip: false, login: 'none', skills: '', lastAgent: '' });
  const [answer, setAnswer] = useState<DryRun>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const form = useFocusInvalid(problem);
  if (!loaded.data) return <NotLoaded loaded={loaded} />;
  const { departments, staff } = loaded.data;
  const deptName = (id: string) => departments.find((d) => d.id === id)?.name ?? id;
  const set = (k: keyof typeof f) => (e: Event) => {
    const el = e.target as HTMLInputElement;
    setF({ ...f, [k]: el.type === 'checkbox' ? el.checked : el.value });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const skills = splitList(f.skills);
    try {
      setAnswer(
        await api.post<DryRun>('/routing/test', {
          login: f.login,
          vip: f.vip,
          ...(f.department ? { department: f.department } : {}),
          ...(f.text.trim() ? { text: f.text } : {}),
          ...(skills.length ? { skills } : {}),
          ...(f.lastAgent ? { lastAgent: f.lastAgent } : {}),
        }),
      );
    } catch (err) {
      setAnswer(undefined);
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="adm-columns">
      <form
        ref={form}
        class="adm-card adm-form"
        onSubmit={submit}
        data-testid="routing-test-form"
        aria-labelledby="test-customer"
      >
        <h2 id="test-customer">{t('testCustomer')}</h2>
        <p class="adm-muted">{t('testIntro')}</p>
        <Field label={t('testEntry')} name="department" problem={problem}>
          <select name="department" value={f.department} onChange={set('department')}>
            <option value="">{t('testEntryFirst')}</option>
            <DepartmentOptions departments={departments} />
          </select>
        </Field>
        <Field label={t('testText')} name="text" problem={problem} wide>
          <textarea name="text" rows={3} value={f.text} onInput={set('text')} />
        </Field>
        <Field label={t('testVip')} name="vip" problem={problem}>
          <input name="vip" type="checkbox" checked={f.vip} onChange={set('vip')} />
        </Field>
        <Field label={t('testLogin')} name="login" problem={problem}>
          <select name="login" value={f.login} onChange={set('login')}>
            <option value="none">{t('login_none')}</option>
            <option value="verified">{t('login_verified')}</option>
            <option value="unsigned">{t('login_unsigned')}</option>
          </select>
        </Field>
        <Field label={t('testSkills')} name="skills" problem={problem} hint={t('listHint')}>
          <input name="skills" value={f.skills} onInput={set('skills')} />
        </Field>
        <Field label={t('testLastAgent')} name="lastAgent" problem={problem}>
          <select name="lastAgent" value={f.lastAgent} onChange={set('lastAgent')}>
            <option value="">{t('none')}</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        <FormProblem problem={problem} fields={['department', 'text', 'vip', 'login', 'skills', 'lastAgent']} />
        <button type="submit" class="primary" disabled={busy}>
          {t('testRun')}
        </button>
      </form>
      <section class="adm-card" aria-labelledby="test-result" aria-live="polite">
        <h2 id="test-result">{t('testResult')}</h2>
        {!answer && <p class="placeholder">{t('testNothingYet')}</p>}
        {answer && <Explanation answer={answer} deptName={deptName} />}
      </section>
    </div>
  );
}

function Explanation({ answer, deptName }: { answer: DryRun; deptName(id: string): string }) {
  const { t } = useAdmin();
  const p = answer.placement;
  const verdict = (v: Verdict, chosen: string | undefined) =>
    v.agentId === chosen ? t('verdictChosen') : v.skipped ? t(`skip_${v.skipped as 'full'}`) : t('verdictEligible');
  return (
    <div data-testid="test-explanation">
      <p class={`adm-outcome ${p?.outcome === 'offered' ? 'adm-good' : 'adm-wait'}`} data-testid="test-outcome">
        {!answer.login.accepted
          ? t('testRefused', { reason: answer.login.reason ?? '' })
          : p?.outcome === 'offered'
            ? t('testOffered', { agent: p.agentName ?? p.agentId ?? '', department: deptName(p.department) })
            : answer.queue?.backlog
              ? t('testBacklog', { department: deptName(answer.department) })
              : t('testQueued', {
                  department: deptName(answer.department),
                  position: answer.queue?.position ?? '?',
                  wait: answer.queue?.estimatedWaitSeconds ?? '?',
                })}
      </p>
      {p?.wait && <p data-testid="test-wait">{t(`wait_${p.wait as 'closed'}`)}</p>}
      <dl class="adm-dl">
        <dt>{t('testLogin')}</dt>
        <dd>
          {answer.login.accepted
            ? answer.login.verified
              ? t('testVerified')
              : t('testAnonymous')
            : t('testLoginRefused')}
          {answer.login.reason && answer.login.accepted && ` (${answer.login.reason})`}
        </dd>
        <dt>{t('testEntry')}</dt>
        <dd>{deptName(answer.entry)}</dd>
        <dt>{t('testRules')}</dt>
        <dd data-testid="test-rules">
          {answer.matches.length === 0
            ? t('rulesNoMatch')
            : answer.matches.map((m) => `${m.ruleId} (${m.keywords.join(', ')})`).join('; ')}
        </dd>
        <dt>{t('testDepartment')}</dt>
        <dd data-testid="test-department">{deptName(answer.department)}</dd>
        <dt>{t('testNeeds')}</dt>
        <dd>
          {t(`tier_${answer.needs.tier}`)}
          {answer.needs.vip && ` · ${t('testVip')}`}
          {answer.needs.skills.length > 0 && ` · ${t('staffSkills')}: ${answer.needs.skills.join(', ')}`}
          {` · ${t('rulesPriority')} ${answer.needs.priority}`}
        </dd>
        {p && (
          <>
            <dt>{t('testWaiting')}</dt>
            <dd>{t('testWaitingCount', { n: p.waiting, members: p.members })}</dd>
          </>
        )}
      </dl>
      {p?.decisions.map((d, i) => (
        <div key={i} class="adm-decision">
          <h3>
            {t('testRun_n', { n: i + 1 })}: {t(`policy_${d.policy as 'smart'}`)}
          </h3>
          <table class="adm-table" data-testid="test-candidates">
            <thead>
              <tr>
                <th>{t('testAgent')}</th>
                <th>{t('testLoad')}</th>
                <th>{t('testScore')}</th>
                <th>{t('testFirstResponse')}</th>
                <th>{t('testResponse')}</th>
                <th>{t('testHandle')}</th>
                <th>{t('testSatisfaction')}</th>
                <th>{t('testVerdict')}</th>
              </tr>
            </thead>
            <tbody>
              {d.candidates.map((c) => (
                <tr
                  key={c.agentId}
                  data-agent={c.agentId}
                  class={c.agentId === d.agentId ? 'adm-good' : c.skipped ? 'adm-muted' : undefined}
                >
                  <td>{c.name ?? c.agentId}</td>
                  <td>
                    {c.active}/{c.max}
                  </td>
                  <td>{c.score ?? '–'}</td>
                  <td>{seconds(c.figures?.avgFirstResponseMs)}</td>
                  <td>{seconds(c.figures?.avgResponseMs)}</td>
                  <td>{seconds(c.figures?.avgHandleMs)}</td>
                  <td>{c.figures?.satisfaction?.toFixed(1) ?? '–'}</td>
                  <td data-testid="verdict">{verdict(c, d.agentId)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {d.omitted && (
            <p class="adm-muted">
              {t('testOmitted')}{' '}
              {Object.entries(d.omitted)
                .map(([k, n]) => `${k}: ${n}`)
                .join(', ')}
            </p>
          )}
        </div>
      ))}
      <p class="adm-muted">{t('testDryRun')}</p>
    </div>
  );
}
