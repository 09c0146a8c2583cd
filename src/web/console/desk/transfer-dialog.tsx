/**
 * XFER-1…8: the transfer dialog: a colleague (with status and load) or a
 * department (with who is online and its queue), a note, tags from the
 * workspace's list, the transfers left today, and the server's refusal
 * shown in its words (a colleague who cannot take it, the daily limit).
 */
import { useEffect, useState } from 'preact/hooks';
import { CommandError } from '../../shared/connection.js';
import type { Colleague } from './conversation.js';
import type { DeskModel } from './desk-model.js';
import { Dialog } from './dialog.js';

interface Targets {
  departments: { department: string; name: string; queueLength: number; agents: Colleague[] }[];
  transfers: { used: number; limit?: number; left?: number; crossDepartments: boolean };
  tags: string[];
}

export function TransferDialog({
  model,
  conversationId,
  onClose,
}: {
  model: DeskModel;
  conversationId: string;
  onClose(): void;
}) {
  const t = model.session.t;
  const [targets, setTargets] = useState<Targets | undefined>();
  const [to, setTo] = useState<string>('');
  const [note, setNote] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    model.session
      .ask<Targets>({ type: 'transfer_targets' })
      .then(setTargets)
      .catch((e: unknown) => setProblem(e instanceof Error ? e.message : String(e)));
  }, []);
  const here = model.conversations.get(conversationId)?.department;
  const me = model.session.staff.id;
  const colleagues = new Map<string, Colleague & { department: string }>();
  for (const d of targets?.departments ?? [])
    for (const a of d.agents)
      if (a.agentId !== me && !colleagues.has(a.agentId)) colleagues.set(a.agentId, { ...a, department: d.name });
  const mayGo = (department: string) => targets?.transfers.crossDepartments || department === here;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!to || busy) return;
    setBusy(true);
    setProblem(undefined);
    const [kind, id] = to.split(':') as ['agent' | 'department', string];
    try {
      await model.session.ask({
        type: 'transfer',
        conversationId,
        to: kind === 'agent' ? { agentId: id } : { department: id },
        note: note.trim(),
        ...(tags.length ? { tags } : {}),
      });
      onClose();
    } catch (err) {
      setProblem(err instanceof CommandError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const x = targets?.transfers;
  return (
    <Dialog title={t('transferTitle')} testid="transfer-dialog" onClose={onClose}>
      <form class="desk-form" onSubmit={submit}>
        {!targets && !problem && <p class="desk-muted">{t('loading')}</p>}
        {x && (
          <p class="desk-muted" data-testid="transfers-left">
            {x.left !== undefined ? t('transfersLeft', { left: x.left, limit: x.limit ?? 0 }) : t('transfersUnlimited')}
          </p>
        )}
        {targets && (
          <label>
            {t('transferTo')}
            <select
              data-testid="transfer-to"
              value={to}
              required
              onChange={(e) => setTo((e.target as HTMLSelectElement).value)}
            >
              <option value="">{t('choose')}</option>
              <optgroup label={t('colleagues')}>
                {[...colleagues.values()].map((a) => (
                  <option key={a.agentId} value={`agent:${a.agentId}`}>
                    {a.name} · {a.department} · {t(`status_${a.status}`)} · {a.active}/{a.max}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t('departments')}>
                {targets.departments.map((d) => {
                  const online = d.agents.filter((a) => a.status === 'online').length;
                  return (
                    <option key={d.department} value={`department:${d.department}`} disabled={!mayGo(d.department)}>
                      {d.name} · {t('online', { n: online })} · {t('queued', { n: d.queueLength })}
                      {mayGo(d.department) ? '' : ` · ${t('needsGrant')}`}
                    </option>
                  );
                })}
              </optgroup>
            </select>
          </label>
        )}
        <label>
          {t('transferNote')}
          <textarea
            data-testid="transfer-note-input"
            rows={3}
            maxLength={2000}
            value={note}
            onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        {targets && targets.tags.length > 0 && (
          <fieldset class="desk-tags">
            <legend>{t('tags')}</legend>
            {targets.tags.map((tag) => (
              <label key={tag} class="inline">
                <input
                  type="checkbox"
                  data-tag={tag}
                  checked={tags.includes(tag)}
                  onChange={(e) =>
                    setTags((e.target as HTMLInputElement).checked ? [...tags, tag] : tags.filter((g) => g !== tag))
                  }
                />{' '}
                {tag}
              </label>
            ))}
          </fieldset>
        )}
        {problem && (
          <p class="problem" role="alert" data-testid="transfer-problem">
            {problem}
          </p>
        )}
        <div class="row">
          <button type="submit" class="primary" data-testid="transfer-send" disabled={busy || !to}>
            {t('transfer')}
          </button>
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
