/**
 * Keyword rules (ROUTE-7, WEB-5): the ordered list (order decides
 * conflicts), each rule's keywords and what it sets, and a live "which rule
 * matches this text" preview. The preview asks the server's own matcher
 * (POST /keyword-rules/test) with the rules as they stand in the editor,
 * saved or not, so Chinese without spaces, case and full-width folding are
 * exactly what routing will do.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Department, Rule, RuleTest } from '../api-types.js';
import { useAdmin } from '../context.js';
import {
  Field,
  FormProblem,
  numberOrUndefined,
  problemOf,
  splitList,
  useLoad,
  type Problem,
  NotLoaded,
  DepartmentOptions,
} from '../form.js';
import { useSubmit } from '../use-submit.js';

interface DraftRule {
  id: string;
  keywords: string;
  department: string;
  skills: string;
  tier: string;
  priority: string;
  laterMessages: boolean;
}

const draftOf = (r: Rule): DraftRule => ({
  id: r.id,
  keywords: r.keywords.join(', '),
  department: r.department ?? '',
  skills: (r.skills ?? []).join(', '),
  tier: r.tier === undefined ? '' : String(r.tier),
  priority: r.priority === undefined ? '' : String(r.priority),
  laterMessages: r.laterMessages === true,
});

function ruleOf(d: DraftRule): Rule {
  const skills = splitList(d.skills);
  const tier = numberOrUndefined(d.tier);
  const priority = numberOrUndefined(d.priority);
  return {
    id: d.id.trim(),
    keywords: splitList(d.keywords),
    ...(d.department ? { department: d.department } : {}),
    ...(skills.length ? { skills } : {}),
    ...(tier !== undefined ? { tier: tier as 1 | 2 } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(d.laterMessages ? { laterMessages: true } : {}),
  };
}

const RULE_FIELDS = ['id', 'keywords', 'department', 'skills', 'tier', 'priority', 'laterMessages'] as const;

export function KeywordRulesPage() {
  const { api } = useAdmin();
  const loaded = useLoad(async () => {
    const [{ rules }, { departments }] = await Promise.all([
      api.get<{ rules: Rule[] }>('/keyword-rules'),
      api.get<{ departments: Department[] }>('/departments'),
    ]);
    return { rules, departments };
  });
  if (!loaded.data) return <NotLoaded loaded={loaded} />;
  return <RulesEditor initial={loaded.data.rules} departments={loaded.data.departments} />;
}

function RulesEditor({ initial, departments }: { initial: Rule[]; departments: Department[] }) {
  const { api, t } = useAdmin();
  const [rules, setRules] = useState<DraftRule[]>(() => initial.map(draftOf));
  const [text, setText] = useState('');
  const [test, setTest] = useState<RuleTest>();
  const [testProblem, setTestProblem] = useState<Problem>();
  const { problem, saved, setSaved, form, submit } = useSubmit(async () => {
    const stored = await api.put<{ rules: Rule[] }>('/keyword-rules', { rules: rules.map(ruleOf) });
    setRules(stored.rules.map(draftOf));
  });
  const change = (i: number, patch: Partial<DraftRule>) => {
    setSaved(false);
    setRules(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const move = (i: number, by: number) => {
    const next = [...rules];
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r!);
    setSaved(false);
    setRules(next);
  };
  // The preview follows the text and the rules being edited, a moment after the last key.
  useEffect(() => {
    if (!text.trim()) {
      setTest(undefined);
      setTestProblem(undefined);
      return;
    }
    const timer = setTimeout(() => {
      api
        .post<RuleTest>('/keyword-rules/test', { text, rules: rules.map(ruleOf) })
        .then((r) => (setTest(r), setTestProblem(undefined)))
        .catch((err: unknown) => setTestProblem(problemOf(err)));
    }, 200);
    return () => clearTimeout(timer);
  }, [text, rules, api]);
  const matched = new Set(test?.matches.map((m) => m.ruleId));
  const ruleProblem = (i: number): Problem | undefined =>
    problem?.field?.startsWith(`rules.${i}.`)
      ? { ...problem, field: problem.field.slice(`rules.${i}.`.length) }
      : undefined;
  return (
    <div class="adm-columns adm-wide-left">
      <form
        ref={form}
        class="adm-card adm-form"
        onSubmit={submit}
        data-testid="rules-form"
        aria-labelledby="rules-title"
      >
        <h2 id="rules-title">{t('rulesList')}</h2>
        <p class="adm-muted">{t('rulesIntro')}</p>
        <ol class="adm-rules">
          {rules.map((r, i) => {
            const p = ruleProblem(i);
            return (
              <li key={i} class={matched.has(r.id.trim()) ? 'adm-rule adm-matched' : 'adm-rule'} data-rule={r.id}>
                <fieldset>
                  <legend>
                    {t('rule')} {i + 1}
                    {matched.has(r.id.trim()) && <span class="adm-badge">{t('rulesMatches')}</span>}
                  </legend>
                  <Field label={t('id')} name="id" problem={p}>
                    <input
                      name={`rules.${i}.id`}
                      value={r.id}
                      onInput={(e) => change(i, { id: (e.target as HTMLInputElement).value })}
                      required
                    />
                  </Field>
                  <Field label={t('rulesKeywords')} name="keywords" problem={p} hint={t('listHint')} wide>
                    <input
                      name={`rules.${i}.keywords`}
                      value={r.keywords}
                      onInput={(e) => change(i, { keywords: (e.target as HTMLInputElement).value })}
                    />
                  </Field>
                  <Field label={t('rulesDepartment')} name="department" problem={p}>
                    <select
                      name={`rules.${i}.department`}
                      value={r.department}
                      onChange={(e) => change(i, { department: (e.target as HTMLSelectElement).value })}
                    >
                      <option value="">{t('rulesKeep')}</option>
                      <DepartmentOptions departments={departments} />
                    </select>
                  </Field>
                  <Field label={t('staffSkills')} name="skills" problem={p}>
                    <input
                      name={`rules.${i}.skills`}
                      value={r.skills}
                      onInput={(e) => change(i, { skills: (e.target as HTMLInputElement).value })}
                    />
                  </Field>
                  <Field label={t('staffTier')} name="tier" problem={p}>
                    <select
                      name={`rules.${i}.tier`}
                      value={r.tier}
                      onChange={(e) => change(i, { tier: (e.target as HTMLSelectElement).value })}
                    >
                      <option value="">{t('rulesKeep')}</option>
                      <option value="1">{t('tier_1')}</option>
                      <option value="2">{t('tier_2')}</option>
                    </select>
                  </Field>
                  <Field label={t('rulesPriority')} name="priority" problem={p} hint="0–10">
                    <input
                      name={`rules.${i}.priority`}
                      type="number"
                      value={r.priority}
                      onInput={(e) => change(i, { priority: (e.target as HTMLInputElement).value })}
                    />
                  </Field>
                  <Field label={t('rulesLater')} name="laterMessages" problem={p}>
                    <input
                      name={`rules.${i}.laterMessages`}
                      type="checkbox"
                      checked={r.laterMessages}
                      onChange={(e) => change(i, { laterMessages: (e.target as HTMLInputElement).checked })}
                    />
                  </Field>
                  <div class="adm-actions">
                    <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('moveUp')}>
                      ↑
                    </button>
                    <button
                      type="button"
                      disabled={i === rules.length - 1}
                      onClick={() => move(i, 1)}
                      aria-label={t('moveDown')}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      class="danger"
                      onClick={() => (setSaved(false), setRules(rules.filter((_, j) => j !== i)))}
                    >
                      {t('remove')}
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <FormProblem problem={problem} fields={rules.flatMap((_, i) => RULE_FIELDS.map((f) => `rules.${i}.${f}`))} />
        <div class="adm-actions">
          <button
            type="button"
            data-testid="rule-add"
            onClick={() =>
              setRules([
                ...rules,
                { id: '', keywords: '', department: '', skills: '', tier: '', priority: '', laterMessages: false },
              ])
            }
          >
            {t('rulesAdd')}
          </button>
          <button type="submit" class="primary">
            {t('save')}
          </button>
          {saved && (
            <span class="adm-ok" role="status">
              {t('saved')}
            </span>
          )}
        </div>
      </form>
      <section class="adm-card adm-sticky" aria-labelledby="rules-preview">
        <h2 id="rules-preview">{t('rulesPreview')}</h2>
        <label class="adm-field">
          <span class="adm-label">{t('rulesPreviewText')}</span>
          <textarea
            name="preview"
            rows={3}
            value={text}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            placeholder="我要退款"
          />
        </label>
        <div aria-live="polite" data-testid="rules-preview-result">
          {testProblem && <p class="problem">{testProblem.message}</p>}
          {test && test.matches.length === 0 && <p>{t('rulesNoMatch')}</p>}
          {test && test.matches.length > 0 && (
            <dl class="adm-dl">
              <dt>{t('rulesMatched')}</dt>
              <dd>{test.matches.map((m) => `${m.ruleId} (${m.keywords.join(', ')})`).join('; ')}</dd>
              {test.department && (
                <>
                  <dt>{t('rulesDepartment')}</dt>
                  <dd data-testid="preview-department">
                    {departments.find((d) => d.id === test.department)?.name ?? test.department}
                  </dd>
                </>
              )}
              {test.skills && (
                <>
                  <dt>{t('staffSkills')}</dt>
                  <dd>{test.skills.join(', ')}</dd>
                </>
              )}
              {test.tier !== undefined && (
                <>
                  <dt>{t('staffTier')}</dt>
                  <dd>{t(`tier_${test.tier}`)}</dd>
                </>
              )}
              {test.priority !== undefined && (
                <>
                  <dt>{t('rulesPriority')}</dt>
                  <dd>{test.priority}</dd>
                </>
              )}
            </dl>
          )}
        </div>
      </section>
    </div>
  );
}
