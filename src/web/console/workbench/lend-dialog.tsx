/** Lend an agent to another department for some minutes, or end a running loan there (SUP-4). */
import { useState } from 'preact/hooks';
import type { MonitoredAgent } from '../../../../protocol/frames.js';
import type { Translate } from '../../shared/i18n.js';
import { DepartmentSelect } from './department-select.js';
import { Dialog } from './dialog.js';
import type { DepartmentView } from './monitor-model.js';
import type { WorkbenchKey } from './strings.js';

export function LendDialog(props: {
  agent: MonitoredAgent;
  /** Where the agent is listed now (their departments and running loans). */
  listedIn: readonly string[];
  departments: readonly DepartmentView[];
  t: Translate<WorkbenchKey>;
  onSubmit: (department: string, minutes: number) => Promise<boolean>;
  onClose: () => void;
}) {
  const { t, agent } = props;
  const first = props.departments.find((d) => !props.listedIn.includes(d.department)) ?? props.departments[0];
  const [department, setDepartment] = useState(first?.department ?? '');
  const [minutes, setMinutes] = useState(60);
  const [sending, setSending] = useState(false);
  const go = async (m: number) => {
    setSending(true);
    const ok = await props.onSubmit(department, m);
    setSending(false);
    if (ok) props.onClose();
  };
  const name = props.departments.find((d) => d.department === department)?.name ?? department;
  return (
    <Dialog title={t('lendTitle', { name: agent.name })} onClose={props.onClose} testId="wb-lend">
      <form
        class="wb-form"
        onSubmit={(e) => {
          e.preventDefault();
          void go(minutes);
        }}
      >
        <label class="wb-field" htmlFor="wb-lend-department">
          {t('lendTo')}
          <DepartmentSelect
            id="wb-lend-department"
            departments={props.departments}
            value={department}
            testId="wb-lend-department"
            onChange={setDepartment}
          />
        </label>
        <label class="wb-field">
          {t('minutes')}
          <input
            type="number"
            min={1}
            max={10080}
            data-testid="wb-lend-minutes"
            value={minutes}
            onInput={(e) => setMinutes(Number((e.target as HTMLInputElement).value) || 1)}
          />
        </label>
        <div class="wb-buttons">
          <button type="button" onClick={props.onClose}>
            {t('cancel')}
          </button>
          {props.listedIn.includes(department) ? (
            <button type="button" data-action="end-loan" disabled={sending} onClick={() => void go(0)}>
              {t('endLoan', { department: name })}
            </button>
          ) : null}
          <button type="submit" class="wb-primary" data-action="confirm-lend" disabled={sending}>
            {t('confirmLend')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
