/** One agent on a department card: status, load (active / max) as text and a bar, and Lend where the viewer may. */
import type { MonitoredAgent } from '../../../../protocol/frames.js';
import type { Translate } from '../../shared/i18n.js';
import { loadShare } from './monitor-model.js';
import type { WorkbenchKey } from './strings.js';

export function AgentRow(props: {
  agent: MonitoredAgent;
  mayLend: boolean;
  t: Translate<WorkbenchKey>;
  onLend: (agent: MonitoredAgent) => void;
}) {
  const { agent: a, t } = props;
  const share = loadShare(a);
  const full = a.max > 0 && a.active >= a.max;
  return (
    <li class="wb-agent" data-agent={a.agentId} data-status={a.status} data-active={a.active} data-max={a.max}>
      <span class={`wb-dot wb-${a.status}`} aria-hidden="true" />
      <span class="wb-agent-name">{a.name}</span>
      <span class="wb-agent-status">{t(`status_${a.status}`)}</span>
      <span class="wb-load" data-testid="load" title={`${a.active}/${a.max}`}>
        <span class="wb-bar" aria-hidden="true">
          <span class={`wb-fill${full ? ' wb-full' : ''}`} style={{ width: `${Math.round(share * 100)}%` }} />
        </span>
        {t('load', { active: a.active, max: a.max })}
      </span>
      {props.mayLend ? (
        <button
          type="button"
          class="wb-small"
          data-action="lend"
          aria-label={`${t('lend')} ${a.name}`}
          onClick={() => props.onLend(a)}
        >
          {t('lend')}
        </button>
      ) : (
        <span />
      )}
    </li>
  );
}
