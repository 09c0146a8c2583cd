/** WEB-3: the agent's status, online / busy / away (offline gives every conversation up, so it is apart). */
import type { AgentStatus } from '../../../../protocol/frames.js';
import type { DeskModel } from './desk-model.js';

const choices: AgentStatus[] = ['online', 'busy', 'away', 'offline'];

export function StatusSwitch({ model }: { model: DeskModel }) {
  const t = model.session.t;
  return (
    <fieldset class="desk-status" data-testid="status" data-status={model.status ?? ''}>
      <legend>
        {t('statusLabel')}
        {model.max > 0 && <span class="desk-load"> · {t('load', { active: model.active, max: model.max })}</span>}
      </legend>
      {choices.map((s) => (
        <button
          type="button"
          key={s}
          class={`st-${s}`}
          data-status={s}
          aria-pressed={model.status === s}
          onClick={() => void model.setStatus(s)}
        >
          {t(`status_${s}`)}
        </button>
      ))}
    </fieldset>
  );
}
