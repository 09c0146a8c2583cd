/**
 * Workspace switches (WEB-5): automatic assignment (ROUTE-1), the default
 * language (CONV-4), auto-close (CONV-5), transfer limits per role (XFER-5),
 * the sites that may embed the widget (WEB-1) and the login verification
 * secret (CUST-1, write-only: the page only says whether one is set).
 */
import { useEffect, useState } from 'preact/hooks';
import { StaffRoles } from '../../../../protocol/vocabulary.js';
import { useAdmin } from '../context.js';
import { Field, FormProblem, numberOrUndefined, splitList, useFocusInvalid, NotLoaded } from '../form.js';
import { SaveRow } from './save-button.js';
import { useWorkspace } from './workspace-form.js';

export function WorkspacePage() {
  const { t } = useAdmin();
  const ws = useWorkspace();
  const [f, setF] = useState({
    autoAssign: true,
    defaultLanguage: '',
    autoCloseAfterMin: '',
    origins: '',
    anySite: true,
    agent: '',
    supervisor: '',
    admin: '',
    secret: '',
    required: true,
    removeSecret: false,
  });
  const form = useFocusInvalid(ws.problem);
  useEffect(() => {
    const w = ws.data;
    if (!w) return;
    setF({
      autoAssign: w.autoAssign,
      defaultLanguage: w.defaultLanguage ?? '',
      autoCloseAfterMin: w.autoCloseAfterMin === undefined ? '' : String(w.autoCloseAfterMin),
      origins: (w.widgetOrigins ?? []).join('\n'),
      anySite: w.widgetOrigins === undefined,
      agent: String(w.transferLimits?.agent ?? ''),
      supervisor: String(w.transferLimits?.supervisor ?? ''),
      admin: String(w.transferLimits?.admin ?? ''),
      secret: '',
      required: w.verification.required !== false,
      removeSecret: false,
    });
  }, [ws.data]);
  if (!ws.data) return <NotLoaded loaded={ws} />;
  const set = (k: keyof typeof f) => (e: Event) => {
    ws.touch();
    const el = e.target as HTMLInputElement;
    setF({ ...f, [k]: el.type === 'checkbox' ? el.checked : el.value });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const limits: Record<string, number> = {};
    for (const r of StaffRoles) {
      const n = numberOrUndefined(f[r]);
      if (n !== undefined) limits[r] = n;
    }
    const close = numberOrUndefined(f.autoCloseAfterMin);
    void ws.save({
      autoAssign: f.autoAssign,
      defaultLanguage: f.defaultLanguage || null,
      autoCloseAfterMin: close ?? null,
      transferLimits: Object.keys(limits).length ? limits : null,
      widgetOrigins: f.anySite ? null : splitList(f.origins),
      ...(f.removeSecret
        ? { verification: null }
        : f.secret
          ? { verification: { secret: f.secret, required: f.required } }
          : {}),
    });
  };
  const v = ws.data.verification;
  return (
    <form ref={form} class="adm-card adm-form" onSubmit={submit} data-testid="workspace-form">
      <fieldset>
        <legend>{t('wsRouting')}</legend>
        <Field label={t('wsAutoAssign')} name="autoAssign" problem={ws.problem} hint={t('wsAutoAssignHint')}>
          <input name="autoAssign" type="checkbox" checked={f.autoAssign} onChange={set('autoAssign')} />
        </Field>
        <Field label={t('wsLanguage')} name="defaultLanguage" problem={ws.problem}>
          <select name="defaultLanguage" value={f.defaultLanguage} onChange={set('defaultLanguage')}>
            <option value="">{t('wsLanguageBrowser')}</option>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </Field>
        <Field label={t('wsAutoClose')} name="autoCloseAfterMin" problem={ws.problem} hint={t('wsAutoCloseHint')}>
          <input
            name="autoCloseAfterMin"
            type="number"
            step="any"
            value={f.autoCloseAfterMin}
            onInput={set('autoCloseAfterMin')}
          />
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t('wsLimits')}</legend>
        {StaffRoles.map((r) => (
          <Field
            key={r}
            label={t(`role_${r}`)}
            name={`transferLimits.${r}`}
            problem={ws.problem}
            hint={t('wsLimitHint')}
          >
            <input name={`transferLimits.${r}`} type="number" value={f[r]} onInput={set(r)} />
          </Field>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('wsOrigins')}</legend>
        <Field label={t('wsAnySite')} name="anySite" problem={undefined}>
          <input name="anySite" type="checkbox" checked={f.anySite} onChange={set('anySite')} />
        </Field>
        {!f.anySite && (
          <Field label={t('wsOriginList')} name="widgetOrigins" problem={ws.problem} hint={t('wsOriginHint')} wide>
            <textarea
              name="widgetOrigins"
              rows={4}
              value={f.origins}
              onInput={set('origins')}
              placeholder="https://shop.example.com"
            />
          </Field>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('wsVerification')}</legend>
        <p data-testid="verification-state">
          {v.set ? t(v.required ? 'wsSecretSetRequired' : 'wsSecretSet') : t('wsSecretNone')}
        </p>
        <Field label={t('wsSecret')} name="verification.secret" problem={ws.problem} hint={t('wsSecretHint')}>
          <input name="secret" type="password" autocomplete="off" value={f.secret} onInput={set('secret')} />
        </Field>
        <Field label={t('wsRequired')} name="verification.required" problem={ws.problem}>
          <input name="required" type="checkbox" checked={f.required} onChange={set('required')} />
        </Field>
        {v.set && (
          <Field label={t('wsRemoveSecret')} name="verification" problem={ws.problem}>
            <input name="removeSecret" type="checkbox" checked={f.removeSecret} onChange={set('removeSecret')} />
          </Field>
        )}
      </fieldset>
      <FormProblem
        problem={ws.problem}
        fields={[
          'autoAssign',
          'defaultLanguage',
          'autoCloseAfterMin',
          'transferLimits',
          'widgetOrigins',
          'verification',
        ]}
      />
      <SaveRow saved={ws.saved} />
    </form>
  );
}
