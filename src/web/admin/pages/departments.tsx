/**
 * Departments (WEB-5): the tree, a new department, and every setting of the
 * chosen one — policy and every routing setting (ROUTE-2…19), the queue
 * limit (QUEUE-4), business hours (QUEUE-6), widening (ROUTE-18), the
 * fairness cap, load index weights (ROUTE-10), who leads it (ROLE-2).
 * A save sends every setting (an empty one as null: back to its default).
 */
import { useState } from 'preact/hooks';
import { OfferModes, RoutingPolicies, Weekdays } from '../../../../protocol/vocabulary.js';
import type { Department, Staff } from '../api-types.js';
import { useAdmin } from '../context.js';
import { Field, FormProblem, NotLoaded, DepartmentOptions } from '../form.js';
import { useDirectory } from '../use-resource.js';
import { useSubmit } from '../use-submit.js';
import { changesOf, type Draft, draftOf, treeOrder, WEIGHTS } from './department-draft.js';
import { SaveRow } from './save-button.js';

export function DepartmentsPage() {
  const { t } = useAdmin();
  const loaded = useDirectory();
  const [selected, setSelected] = useState<string>();
  if (!loaded.data) return <NotLoaded loaded={loaded} />;
  const { departments, staff } = loaded.data;
  const chosen = departments.find((d) => d.id === selected);
  return (
    <div class="adm-columns">
      <section class="adm-card" aria-labelledby="dept-tree">
        <h2 id="dept-tree">{t('deptTree')}</h2>
        <ul class="adm-tree" data-testid="department-tree">
          {treeOrder(departments).map(({ d, depth }) => (
            <li key={d.id} style={{ paddingLeft: `${depth * 1.2}em` }}>
              <button
                type="button"
                class={d.id === selected ? 'link adm-current' : 'link'}
                aria-pressed={d.id === selected}
                data-department={d.id}
                onClick={() => setSelected(d.id)}
              >
                {d.name}
              </button>{' '}
              <small class="adm-muted">
                {d.id} · {t(`policy_${d.policy}`)}
              </small>
            </li>
          ))}
        </ul>
        <NewDepartment
          departments={departments}
          onCreated={(id) => {
            setSelected(id);
            loaded.reload();
          }}
        />
      </section>
      {chosen ? (
        <DepartmentSettings
          key={chosen.id}
          d={chosen}
          departments={departments}
          staff={staff}
          onSaved={loaded.reload}
        />
      ) : (
        <p class="placeholder">{t('deptPick')}</p>
      )}
    </div>
  );
}

function NewDepartment({ departments, onCreated }: { departments: Department[]; onCreated(id: string): void }) {
  const { api, t } = useAdmin();
  const [f, setF] = useState({ id: '', name: '', defaultMaxConcurrent: '5', parent: '', policy: '' });
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const { problem, busy, form, submit } = useSubmit(async () => {
    const created = await api.post<Department>('/departments', {
      id: f.id.trim(),
      name: f.name.trim(),
      defaultMaxConcurrent: Number(f.defaultMaxConcurrent),
      ...(f.parent ? { parent: f.parent } : {}),
      ...(f.policy ? { policy: f.policy } : {}),
    });
    setF({ id: '', name: '', defaultMaxConcurrent: '5', parent: '', policy: '' });
    onCreated(created.id);
  });
  return (
    <form ref={form} class="adm-form" onSubmit={submit} data-testid="new-department" aria-labelledby="new-dept">
      <h3 id="new-dept">{t('deptNew')}</h3>
      <Field label={t('id')} name="id" problem={problem} hint={t('idHint')}>
        <input name="id" value={f.id} onInput={set('id')} required />
      </Field>
      <Field label={t('name')} name="name" problem={problem}>
        <input name="name" value={f.name} onInput={set('name')} required />
      </Field>
      <Field label={t('deptDefaultMax')} name="defaultMaxConcurrent" problem={problem}>
        <input
          name="defaultMaxConcurrent"
          type="number"
          value={f.defaultMaxConcurrent}
          onInput={set('defaultMaxConcurrent')}
        />
      </Field>
      <Field label={t('deptParent')} name="parent" problem={problem}>
        <select name="parent" value={f.parent} onChange={set('parent')}>
          <option value="">{t('none')}</option>
          <DepartmentOptions departments={departments} />
        </select>
      </Field>
      <Field label={t('deptPolicy')} name="policy" problem={problem}>
        <select name="policy" value={f.policy} onChange={set('policy')}>
          <option value="">{t('policy_round_robin')}</option>
          {RoutingPolicies.filter((p) => p !== 'round_robin').map((p) => (
            <option key={p} value={p}>
              {t(`policy_${p}`)}
            </option>
          ))}
        </select>
      </Field>
      <FormProblem problem={problem} fields={['id', 'name', 'defaultMaxConcurrent', 'parent', 'policy']} />
      <button type="submit" class="primary" disabled={busy}>
        {t('create')}
      </button>
    </form>
  );
}

function DepartmentSettings(props: { d: Department; departments: Department[]; staff: Staff[]; onSaved(): void }) {
  const { api, t } = useAdmin();
  const { d } = props;
  const [draft, setDraft] = useState<Draft>(() => draftOf(d));
  const [supervisors, setSupervisors] = useState<string[]>(d.supervisors);
  const { problem, busy, saved, setSaved, form, submit } = useSubmit(async () => {
    await api.patch(`/departments/${encodeURIComponent(d.id)}`, changesOf(draft, supervisors));
    props.onSaved();
  });
  const text = (k: string, type: 'text' | 'number' = 'number', placeholder?: string) => (
    <input
      name={k}
      // preact's types split inputs by `type`; both values take the same attributes here.
      type={type as 'text'}
      step="any"
      value={String(draft[k] ?? '')}
      placeholder={placeholder}
      onInput={(e) => {
        setSaved(false);
        setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value });
      }}
    />
  );
  const check = (k: string) => (
    <input
      name={k}
      type="checkbox"
      checked={draft[k] === true}
      onChange={(e) => {
        setSaved(false);
        setDraft({ ...draft, [k]: (e.target as HTMLInputElement).checked });
      }}
    />
  );
  const select = (k: string, options: [string, string][]) => (
    <select
      name={k}
      value={String(draft[k] ?? '')}
      onChange={(e) => {
        setSaved(false);
        setDraft({ ...draft, [k]: (e.target as HTMLSelectElement).value });
      }}
    >
      {options.map(([v, label]) => (
        <option key={v} value={v}>
          {label}
        </option>
      ))}
    </select>
  );
  const others = props.departments.filter((x) => x.id !== d.id).map((x) => [x.id, x.name] as [string, string]);
  const F = (label: string, name: string, input: preact.ComponentChildren, hint?: string) => (
    <Field label={label} name={name} problem={problem} {...(hint ? { hint } : {})}>
      {input}
    </Field>
  );
  const leaders = props.staff.filter((s) => s.role === 'supervisor');
  return (
    <form
      ref={form}
      class="adm-card adm-form"
      onSubmit={submit}
      data-testid="department-settings"
      aria-labelledby="dept-settings"
    >
      <h2 id="dept-settings">
        {d.name} <small class="adm-muted">{d.id}</small>
      </h2>
      <fieldset>
        <legend>{t('deptBasics')}</legend>
        {F(t('name'), 'name', text('name', 'text'))}
        {F(t('deptDefaultMax'), 'defaultMaxConcurrent', text('defaultMaxConcurrent'), t('deptDefaultMaxHint'))}
        {F(t('deptParent'), 'parent', select('parent', [['', t('none')], ...others]))}
        {F(t('deptMaxQueue'), 'maxQueueLength', text('maxQueueLength'), t('deptMaxQueueHint'))}
      </fieldset>
      <fieldset>
        <legend>{t('deptRouting')}</legend>
        {F(
          t('deptPolicy'),
          'policy',
          select(
            'policy',
            RoutingPolicies.map((p) => [p, t(`policy_${p}`)]),
          ),
        )}
        {F(
          t('deptOfferMode'),
          'offerMode',
          select('offerMode', [
            ['', t('offer_auto')],
            ...OfferModes.filter((m) => m !== 'auto').map((m) => [m, t(`offer_${m}`)] as [string, string]),
          ]),
        )}
        {F(t('deptOfferTimeout'), 'offerTimeoutSec', text('offerTimeoutSec', 'number', '30'))}
        {F(t('deptOfferMisses'), 'offerMissesBeforeAway', text('offerMissesBeforeAway', 'number', '3'))}
        {F(t('deptResponseTimeout'), 'responseTimeoutSec', text('responseTimeoutSec'), t('deptResponseTimeoutHint'))}
        {F(t('deptAwayAfterTimeout'), 'awayAfterResponseTimeout', check('awayAfterResponseTimeout'))}
        {F(t('deptSticky'), 'sticky', check('sticky'))}
        {F(t('deptStickyWait'), 'stickyWaitSec', text('stickyWaitSec', 'number', '0'))}
        {F(t('deptFairnessMax'), 'fairnessCap.max', text('fairnessCap.max'))}
        {F(t('deptFairnessWindow'), 'fairnessCap.windowSec', text('fairnessCap.windowSec'))}
      </fieldset>
      <fieldset>
        <legend>{t('deptWidening')}</legend>
        {F(t('deptDropSkills'), 'widening.dropSkillsAfterSec', text('widening.dropSkillsAfterSec'))}
        {F(t('deptNextTier'), 'widening.nextTierAfterSec', text('widening.nextTierAfterSec'))}
        {F(t('deptOverflowAfter'), 'widening.overflowAfterSec', text('widening.overflowAfterSec'))}
        {F(t('deptOverflowTo'), 'widening.overflowTo', select('widening.overflowTo', [['', t('none')], ...others]))}
      </fieldset>
      <fieldset>
        <legend>{t('deptHours')}</legend>
        {F(t('deptTimeZone'), 'hours.timeZone', text('hours.timeZone', 'text', 'Asia/Shanghai'), t('deptTimeZoneHint'))}
        {Weekdays.map((day) =>
          F(t(`day_${day}`), `hours.weekly.${day}`, text(`hours.weekly.${day}`, 'text', '09:00-18:00')),
        )}
        {F(t('deptHolidays'), 'hours.holidays', text('hours.holidays', 'text', '2026-10-01, 2026-10-02'))}
      </fieldset>
      <fieldset>
        <legend>{t('deptWeights')}</legend>
        {WEIGHTS.map((w) => F(t(`weight_${w}`), `loadIndexWeights.${w}`, text(`loadIndexWeights.${w}`)))}
      </fieldset>
      <fieldset>
        <legend>{t('deptSupervisors')}</legend>
        <Field label="" name="supervisors" problem={problem}>
          <span class="adm-checks">
            {leaders.length === 0 && <span class="adm-muted">{t('deptNoSupervisors')}</span>}
            {leaders.map((s) => (
              <label key={s.id} class="adm-check">
                <input
                  type="checkbox"
                  name={`supervisor-${s.id}`}
                  checked={supervisors.includes(s.id)}
                  onChange={(e) =>
                    setSupervisors(
                      (e.target as HTMLInputElement).checked
                        ? [...supervisors, s.id]
                        : supervisors.filter((x) => x !== s.id),
                    )
                  }
                />
                {s.name}
              </label>
            ))}
          </span>
        </Field>
      </fieldset>
      <FormProblem problem={problem} fields={[...Object.keys(draft), 'supervisors']} />
      <SaveRow saved={saved} busy={busy} />
    </form>
  );
}
