/**
 * CUST-2/3: the customer of the selected conversation: profile, VIP
 * (editable by supervisors and admins only; the server refuses an agent),
 * custom attributes (add, change, remove), and their earlier conversations
 * with the notes and transfer notes written then.
 */
import { useEffect, useState } from 'preact/hooks';
import type { DeskModel } from './desk-model.js';
import type { CustomerChanges } from './desk-types.js';

export function CustomerPanel({ model, conversationId }: { model: DeskModel; conversationId: string }) {
  const t = model.session.t;
  const view = model.customers.get(conversationId);
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    setEditing(false);
    setProblem(undefined);
    void model.loadCustomer(conversationId);
  }, [conversationId]);
  if (!view)
    return (
      <aside class="desk-customer" data-testid="customer">
        <p class="desk-muted">{t('loadingCustomer')}</p>
      </aside>
    );
  const c = view.customer;
  const mayVip = model.session.staff.role !== 'agent';
  const save = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const str = (k: string) => {
      const v = String(data.get(k) ?? '').trim();
      return v ? v : null;
    };
    const changes: CustomerChanges = { name: str('name'), email: str('email'), phone: str('phone') };
    if (mayVip) changes.vip = data.get('vip') === 'on';
    const attributes: Record<string, string | null> = {};
    for (const k of Object.keys(c.attributes)) {
      const v = String(data.get(`attr.${k}`) ?? '').trim();
      attributes[k] = v || null;
    }
    const newKey = String(data.get('newKey') ?? '').trim();
    const newValue = String(data.get('newValue') ?? '').trim();
    if (newKey && newValue) attributes[newKey] = newValue;
    if (Object.keys(attributes).length) changes.attributes = attributes;
    const refused = await model.editCustomer(conversationId, changes);
    setProblem(refused);
    if (!refused) setEditing(false);
  };
  return (
    <aside class="desk-customer" data-testid="customer" aria-label={t('customerLabel')}>
      <h3>
        {c.name ?? t('anonymous')}{' '}
        {c.vip && (
          <span class="desk-vip" data-testid="vip">
            VIP
          </span>
        )}
      </h3>
      {!editing ? (
        <>
          <dl>
            {c.email && <Pair k={t('email')} v={c.email} />}
            {c.phone && <Pair k={t('phone')} v={c.phone} />}
            {c.externalId && <Pair k={t('externalId')} v={c.externalId} />}
            {Object.entries(c.attributes).map(([k, v]) => (
              <Pair key={k} k={k} v={v} />
            ))}
          </dl>
          <button type="button" data-testid="edit-customer" onClick={() => setEditing(true)}>
            {t('edit')}
          </button>
        </>
      ) : (
        <form
          class="desk-form"
          data-testid="customer-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save(e.currentTarget);
          }}
        >
          <label>
            {t('name')}
            <input name="name" defaultValue={c.name ?? ''} />
          </label>
          <label>
            {t('email')}
            <input name="email" type="email" defaultValue={c.email ?? ''} />
          </label>
          <label>
            {t('phone')}
            <input name="phone" defaultValue={c.phone ?? ''} />
          </label>
          <label class="inline">
            <input name="vip" type="checkbox" defaultChecked={c.vip} disabled={!mayVip} /> VIP
            {!mayVip && <span class="desk-muted"> ({t('vipSupervisors')})</span>}
          </label>
          {Object.entries(c.attributes).map(([k, v]) => (
            <label key={k}>
              {k}
              <input name={`attr.${k}`} defaultValue={v} />
            </label>
          ))}
          <div class="row">
            <input name="newKey" aria-label={t('attrName')} placeholder={t('attrName')} />
            <input name="newValue" aria-label={t('attrValue')} placeholder={t('attrValue')} />
          </div>
          {problem && (
            <p class="problem" role="alert">
              {problem}
            </p>
          )}
          <div class="row">
            <button type="submit" class="primary" data-testid="save-customer">
              {t('save')}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
      <h4>{t('earlier')}</h4>
      <ul class="desk-earlier" data-testid="earlier">
        {view.conversations.length === 0 && <li class="desk-empty">{t('noEarlier')}</li>}
        {view.conversations.map((e) => (
          <li key={e.conversationId}>
            <span>
              {new Date(e.createdAt).toLocaleDateString(model.session.lang)} · {e.department} ·{' '}
              {e.servedBy.map((s) => s.name).join(', ') || '—'}
            </span>
            {e.resolved?.summary && <span class="desk-muted">{e.resolved.summary}</span>}
            {e.transfers.map((x) => (
              <span key={x.n} class="desk-transfer-note">
                {x.by.name}: {x.note} {x.tags.join(' ')}
              </span>
            ))}
            {e.notes.map((n) => (
              <span key={n.id} class="desk-note-line">
                {n.author.name}: {n.text}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </aside>
  );
}

function Pair({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}
