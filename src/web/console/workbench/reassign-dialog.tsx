/**
 * Re-assign a conversation (SUP-4): to an agent (with their status and load,
 * as the wall shows them) or to a department, with a note for whoever takes
 * it. The server's refusal (an agent who cannot take it now, with its
 * reason) is shown as it gives it, and the dialog stays open.
 */
import { useState } from 'preact/hooks';
import type { MonitoredAgent, TransferTarget } from '../../../../protocol/frames.js';
import type { Translate } from '../../shared/i18n.js';
import { DepartmentSelect } from './department-select.js';
import { Dialog } from './dialog.js';
import { shortId } from './format.js';
import type { DepartmentView } from './monitor-model.js';
import type { WorkbenchKey } from './strings.js';

export function ReassignDialog(props: {
  conversationId: string;
  currentAgentId: string | undefined;
  agents: readonly MonitoredAgent[];
  departments: readonly DepartmentView[];
  t: Translate<WorkbenchKey>;
  onSubmit: (to: TransferTarget, note: string) => Promise<boolean>;
  onClose: () => void;
}) {
  const { t } = props;
  const candidates = props.agents.filter((a) => a.agentId !== props.currentAgentId);
  const [kind, setKind] = useState<'agent' | 'department'>('agent');
  // The first agent who could take it now is chosen at first; any may be chosen, and the server says why not.
  const available = candidates.find((a) => (a.status === 'online' || a.status === 'busy') && a.active < a.max);
  const [agentId, setAgentId] = useState((available ?? candidates[0])?.agentId ?? '');
  const [department, setDepartment] = useState(props.departments[0]?.department ?? '');
  const [note, setNote] = useState('');
  const [sending, setSending] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const to: TransferTarget = kind === 'agent' ? { agentId } : { department };
    setSending(true);
    const ok = await props.onSubmit(to, note.trim());
    setSending(false);
    if (ok) props.onClose();
  };
  return (
    <Dialog
      title={t('reassignTitle', { id: shortId(props.conversationId) })}
      onClose={props.onClose}
      testId="wb-reassign"
    >
      <form onSubmit={submit} class="wb-form">
        <fieldset class="wb-choice">
          <label>
            <input
              type="radio"
              name="wb-kind"
              value="agent"
              checked={kind === 'agent'}
              onChange={() => setKind('agent')}
            />
            {t('toAgent')}
          </label>
          <select
            aria-label={t('toAgent')}
            data-testid="wb-to-agent"
            disabled={kind !== 'agent'}
            value={agentId}
            onChange={(e) => setAgentId((e.target as HTMLSelectElement).value)}
          >
            {candidates.map((a) => (
              <option key={a.agentId} value={a.agentId}>
                {`${a.name} · ${t(`status_${a.status}`)} · ${a.active}/${a.max}`}
              </option>
            ))}
          </select>
          <label>
            <input
              type="radio"
              name="wb-kind"
              value="department"
              checked={kind === 'department'}
              onChange={() => setKind('department')}
            />
            {t('toDepartment')}
          </label>
          <DepartmentSelect
            departments={props.departments}
            value={department}
            label={t('toDepartment')}
            testId="wb-to-department"
            disabled={kind !== 'department'}
            onChange={setDepartment}
          />
        </fieldset>
        <label class="wb-field">
          {t('note')}
          <textarea
            data-testid="wb-note"
            rows={3}
            placeholder={t('notePlaceholder')}
            value={note}
            onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        <div class="wb-buttons">
          <button type="button" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="wb-primary" data-action="confirm-reassign" disabled={sending}>
            {t('confirmReassign')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
