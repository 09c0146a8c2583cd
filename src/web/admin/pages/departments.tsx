/**
 * Departments (WEB-5): the tree, a new department, and every setting of the
 * chosen one — policy and every routing setting (ROUTE-2…19), the queue
 * limit (QUEUE-4), business hours (QUEUE-6), widening (ROUTE-18), the
 * fairness cap, load index weights (ROUTE-10), who leads it (ROLE-2).
 * A save sends every setting (an empty one as null: back to its default).
 */
import { useState } from 'preact/hooks';
import { OfferModes, RoutingPolicies, Weekdays } from '../../../../protocol/vocabulary.js';
import type { Department, DepartmentChanges, Staff } from '../api-types.js';
import { useAdmin } from '../context.js';
import {
  Field,
  FormProblem,
  numberOrUndefined,
  problemOf,
  splitList,
  useFocusInvalid,
  useLoad,
  type Problem,
  NotLoaded,
  DepartmentOptions,
} from '../form.js';

const WEIGHTS = [
  'load',
  'firstResponse',
  'response',
  'handle',
  'satisfaction',
  'refFirstResponseMs',
  'refResponseMs',
  'refHandleMs',
] as const;

/** Departments in tree order: each after its parent, with its depth. */
export function treeOrder(list: readonly Department[]): { d: Department; depth: number }[] {
  const out: { d: Department; depth: number }[] = [];
  const ids = new Set(list.map((d) => d.id));
  const walk = (parent: string | undefined, depth: number) => {
    for (const d of list)
      if ((d.parent !== undefined && ids.has(d.parent) ? d.parent : undefined) === parent) {
        out.push({ d, depth });
        walk(d.id, depth + 1);
      }
  };
  walk(undefined, 0);
  return out;
}

export function DepartmentsPage() {
  const { api, t } = useAdmin();
  const loaded = useLoad(async () => {
    const [{ departments }, { staff }] = await Promise.all([
      api.get<{ departments: Department[] }>('/departments'),
      api.get<{ staff: Staff[] }>('/staff'),
    ]);
    return { departments, staff };
  });
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
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const form = useFocusInvalid(problem);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const created = await api.post<Department>('/departments', {
        id: f.id.trim(),
        name: f.name.trim(),
        defaultMaxConcurrent: Number(f.defaultMaxConcurrent),
        ...(f.parent ? { parent: f.parent } : {}),
        ...(f.policy ? { policy: f.policy } : {}),
      });
      setF({ id: '', name: '', defaultMaxConcurrent: '5', parent: '', policy: '' });
      onCreated(created.id);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
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

type Draft = Record<string, string | boolean>;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function draftOf(d: Department): Draft {
  const draft: Draft = {
    name: d.name,
    defaultMaxConcurrent: str(d.defaultMaxConcurrent),
    parent: d.parent ?? '',
    policy: d.policy,
    responseTimeoutSec: str(d.responseTimeoutSec),
    awayAfterResponseTimeout: d.awayAfterResponseTimeout === true,
    sticky: d.sticky === true,
    stickyWaitSec: str(d.stickyWaitSec),
    offerMode: d.offerMode ?? '',
    offerTimeoutSec: str(d.offerTimeoutSec),
    offerMissesBeforeAway: str(d.offerMissesBeforeAway),
    maxQueueLength: str(d.maxQueueLength),
    'widening.dropSkillsAfterSec': str(d.widening?.dropSkillsAfterSec),
    'widening.nextTierAfterSec': str(d.widening?.nextTierAfterSec),
    'widening.overflowAfterSec': str(d.widening?.overflowAfterSec),
    'widening.overflowTo': d.widening?.overflowTo ?? '',
    'fairnessCap.max': str(d.fairnessCap?.max),
    'fairnessCap.windowSec': str(d.fairnessCap?.windowSec),
    'hours.timeZone': d.hours?.timeZone ?? '',
    'hours.holidays': (d.hours?.holidays ?? []).join(', '),
  };
  for (const w of WEIGHTS) draft[`loadIndexWeights.${w}`] = str(d.loadIndexWeights?.[w]);
  for (const day of Weekdays)
    draft[`hours.weekly.${day}`] = (
      (d.hours?.weekly as Partial<Record<string, [string, string][]>> | undefined)?.[day] ?? []
    )
      .map(([a, b]) => `${a}-${b}`)
      .join(', ');
  return draft;
}

/** "09:00-12:00, 13:00-18:00" → [["09:00","12:00"],["13:00","18:00"]]; a malformed span is sent for the server to name. */
const spans = (text: string): [string, string][] =>
  splitList(text).map((s) => {
    const [a = '', b = ''] = s.split(/\s*[-–~]\s*/);
    return [a, b];
  });

function changesOf(draft: Draft, supervisors: string[]): DepartmentChanges {
  const s = (k: string) => String(draft[k] ?? '').trim();
  const n = (k: string) => numberOrUndefined(s(k));
  const orNull = <T,>(v: T | undefined): T | null => (v === undefined ? null : v);
  const group = <T extends object>(o: T): T | null =>
    Object.values(o).some((v) => v !== undefined) ? (JSON.parse(JSON.stringify(o)) as T) : null;
  const weekly: Record<string, [string, string][]> = {};
  for (const day of Weekdays) {
    const v = spans(s(`hours.weekly.${day}`));
    if (v.length) weekly[day] = v;
  }
  const weights: Record<string, number | undefined> = {};
  for (const w of WEIGHTS) weights[w] = n(`loadIndexWeights.${w}`);
  const holidays = splitList(s('hours.holidays'));
  return {
    name: s('name'),
    defaultMaxConcurrent: Number(s('defaultMaxConcurrent')),
    parent: s('parent') || null,
    policy: (s('policy') || null) as DepartmentChanges['policy'],
    responseTimeoutSec: orNull(n('responseTimeoutSec')),
    awayAfterResponseTimeout: draft.awayAfterResponseTimeout ? true : null,
    sticky: draft.sticky ? true : null,
    stickyWaitSec: orNull(n('stickyWaitSec')),
    offerMode: (s('offerMode') || null) as DepartmentChanges['offerMode'],
    offerTimeoutSec: orNull(n('offerTimeoutSec')),
    offerMissesBeforeAway: orNull(n('offerMissesBeforeAway')),
    maxQueueLength: orNull(n('maxQueueLength')),
    widening: group({
      dropSkillsAfterSec: n('widening.dropSkillsAfterSec'),
      nextTierAfterSec: n('widening.nextTierAfterSec'),
      overflowAfterSec: n('widening.overflowAfterSec'),
      overflowTo: s('widening.overflowTo') || undefined,
    }),
    fairnessCap:
      n('fairnessCap.max') === undefined && n('fairnessCap.windowSec') === undefined
        ? null
        : ({ max: n('fairnessCap.max'), windowSec: n('fairnessCap.windowSec') } as { max: number; windowSec: number }),
    loadIndexWeights: group(weights),
    hours: s('hours.timeZone')
      ? { timeZone: s('hours.timeZone'), weekly, ...(holidays.length ? { holidays } : {}) }
      : null,
    supervisors,
  };
}

function DepartmentSettings(props: { d: Department; departments: Department[]; staff: Staff[]; onSaved(): void }) {
  const { api, t } = useAdmin();
  const { d } = props;
  const [draft, setDraft] = useState<Draft>(() => draftOf(d));
  const [supervisors, setSupervisors] = useState<string[]>(d.supervisors);
  const [problem, setProblem] = useState<Problem>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useFocusInvalid(problem);
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
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await api.patch(`/departments/${encodeURIComponent(d.id)}`, changesOf(draft, supervisors));
      setSaved(true);
      props.onSaved();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
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
      <div class="adm-actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('save')}
        </button>
        {saved && (
          <span class="adm-ok" role="status">
            {t('saved')}
          </span>
        )}
      </div>
    </form>
  );
}
