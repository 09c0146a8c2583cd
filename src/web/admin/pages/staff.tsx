/**
 * Staff (WEB-5, ROLE-3): every account with its live status and load, a new
 * account, and the chosen one's role, departments, skills (ROUTE-6), tier
 * (ROUTE-5), weight (ROUTE-4), maximum concurrent conversations (ROUTE-11),
 * cross-department transfers (XFER-1) and a password reset.
 */
import { useState } from 'preact/hooks';
import { StaffRoles } from '../../../../protocol/vocabulary.js';
import type { Department, Staff } from '../api-types.js';
import { useAdmin } from '../context.js';
import { Field, FormProblem, numberOrUndefined, splitList, NotLoaded } from '../form.js';
import { useDirectory } from '../use-resource.js';
import { useSubmit } from '../use-submit.js';
import { SaveRow } from './save-button.js';

export function StaffPage() {
  const { t } = useAdmin();
  const loaded = useDirectory();
  const [selected, setSelected] = useState<string | 'new'>('new');
  if (!loaded.data) return <NotLoaded loaded={loaded} />;
  const { staff, departments } = loaded.data;
  const chosen = staff.find((s) => s.id === selected);
  return (
    <div class="adm-columns">
      <section class="adm-card" aria-labelledby="staff-list">
        <h2 id="staff-list">{t('staffList')}</h2>
        <table class="adm-table" data-testid="staff-table">
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('staffRole')}</th>
              <th>{t('staffDepartments')}</th>
              <th>{t('staffLive')}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr key={s.id} class={s.id === selected ? 'adm-current' : undefined}>
                <td>
                  <button type="button" class="link" data-staff={s.id} onClick={() => setSelected(s.id)}>
                    {s.name}
                  </button>
                  <br />
                  <small class="adm-muted">{s.email}</small>
                </td>
                <td>{t(`role_${s.role}`)}</td>
                <td>{s.departments.join(', ')}</td>
                <td>{s.live ? `${t(`status_${s.live.status as 'online'}`)} ${s.live.active}/${s.live.max}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => setSelected('new')} data-testid="staff-new">
          {t('staffNew')}
        </button>
      </section>
      <StaffForm
        key={chosen?.id ?? 'new'}
        staff={chosen}
        departments={departments}
        onSaved={(id) => {
          setSelected(id);
          loaded.reload();
        }}
      />
    </div>
  );
}

const FIELDS = [
  'id',
  'name',
  'email',
  'role',
  'departments',
  'password',
  'skills',
  'tier',
  'weight',
  'maxConcurrent',
  'crossDepartmentTransfer',
];

function StaffForm({
  staff,
  departments,
  onSaved,
}: {
  staff: Staff | undefined;
  departments: Department[];
  onSaved(id: string): void;
}) {
  const { api, t } = useAdmin();
  const [f, setF] = useState({
    id: staff?.id ?? '',
    name: staff?.name ?? '',
    email: staff?.email ?? '',
    role: staff?.role ?? 'agent',
    password: '',
    skills: (staff?.skills ?? []).join(', '),
    tier: String(staff?.tier ?? ''),
    weight: String(staff?.weight ?? ''),
    maxConcurrent: String(staff?.maxConcurrent ?? ''),
  });
  const [depts, setDepts] = useState<string[]>(staff?.departments ?? []);
  const [cross, setCross] = useState(staff?.crossDepartmentTransfer === true);
  const set = (k: keyof typeof f) => (e: Event) => {
    setSaved(false);
    setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  };
  const { problem, saved, setSaved, form, submit } = useSubmit(async () => {
    const routing = {
      skills: splitList(f.skills),
      tier: numberOrUndefined(f.tier),
      weight: numberOrUndefined(f.weight),
      maxConcurrent: numberOrUndefined(f.maxConcurrent),
    };
    if (!staff) {
      const created = await api.post<Staff>('/staff', {
        id: f.id.trim(),
        name: f.name.trim(),
        email: f.email.trim(),
        role: f.role,
        departments: depts,
        password: f.password,
        ...(routing.skills.length ? { skills: routing.skills } : {}),
        ...(routing.tier !== undefined ? { tier: routing.tier } : {}),
        ...(routing.weight !== undefined ? { weight: routing.weight } : {}),
        ...(routing.maxConcurrent !== undefined ? { maxConcurrent: routing.maxConcurrent } : {}),
        ...(cross ? { crossDepartmentTransfer: true } : {}),
      });
      onSaved(created.id);
    } else {
      await api.patch(`/staff/${encodeURIComponent(staff.id)}`, {
        name: f.name.trim(),
        email: f.email.trim(),
        role: f.role,
        departments: depts,
        ...(f.password ? { password: f.password } : {}),
        skills: routing.skills.length ? routing.skills : null,
        tier: routing.tier ?? null,
        weight: routing.weight ?? null,
        maxConcurrent: routing.maxConcurrent ?? null,
        crossDepartmentTransfer: cross ? true : null,
      });
      onSaved(staff.id);
    }
  });
  return (
    <form
      ref={form}
      class="adm-card adm-form"
      onSubmit={submit}
      data-testid="staff-form"
      aria-labelledby="staff-form-title"
    >
      <h2 id="staff-form-title">{staff ? staff.name : t('staffNew')}</h2>
      {!staff && (
        <Field label={t('id')} name="id" problem={problem} hint={t('idHint')}>
          <input name="id" value={f.id} onInput={set('id')} required />
        </Field>
      )}
      <Field label={t('name')} name="name" problem={problem}>
        <input name="name" value={f.name} onInput={set('name')} required />
      </Field>
      <Field label={t('email')} name="email" problem={problem}>
        <input name="email" type="email" value={f.email} onInput={set('email')} required />
      </Field>
      <Field label={t('staffRole')} name="role" problem={problem}>
        <select name="role" value={f.role} onChange={set('role')}>
          {StaffRoles.map((r) => (
            <option key={r} value={r}>
              {t(`role_${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('staffDepartments')} name="departments" problem={problem}>
        <span class="adm-checks">
          {departments.map((d) => (
            <label key={d.id} class="adm-check">
              <input
                type="checkbox"
                name={`department-${d.id}`}
                checked={depts.includes(d.id)}
                onChange={(e) =>
                  setDepts((e.target as HTMLInputElement).checked ? [...depts, d.id] : depts.filter((x) => x !== d.id))
                }
              />
              {d.name}
            </label>
          ))}
        </span>
      </Field>
      <Field
        label={staff ? t('staffPasswordReset') : t('password')}
        name="password"
        problem={problem}
        hint={t('staffPasswordHint')}
      >
        <input
          name="password"
          type="password"
          autocomplete="new-password"
          value={f.password}
          onInput={set('password')}
          required={!staff}
        />
      </Field>
      <Field label={t('staffSkills')} name="skills" problem={problem} hint={t('listHint')}>
        <input name="skills" value={f.skills} onInput={set('skills')} />
      </Field>
      <Field label={t('staffTier')} name="tier" problem={problem}>
        <select name="tier" value={f.tier} onChange={set('tier')}>
          <option value="">{t('staffTierDefault')}</option>
          {[1, 2, 3].map((n) => (
            <option key={n} value={String(n)}>
              {t(`tier_${n as 1}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('staffWeight')} name="weight" problem={problem} hint={t('staffWeightHint')}>
        <input name="weight" type="number" step="any" value={f.weight} onInput={set('weight')} placeholder="1" />
      </Field>
      <Field label={t('staffMax')} name="maxConcurrent" problem={problem} hint={t('staffMaxHint')}>
        <input name="maxConcurrent" type="number" value={f.maxConcurrent} onInput={set('maxConcurrent')} />
      </Field>
      <Field label={t('staffCross')} name="crossDepartmentTransfer" problem={problem}>
        <input
          name="crossDepartmentTransfer"
          type="checkbox"
          checked={cross}
          onChange={(e) => setCross((e.target as HTMLInputElement).checked)}
        />
      </Field>
      <FormProblem problem={problem} fields={FIELDS} />
      <SaveRow saved={saved} label={staff ? t('save') : t('create')} />
    </form>
  );
}
