/** The supervision buttons of one conversation, each disabled while its own command is in flight. */
import type { Translate } from '../../shared/i18n.js';
import type { SupervisionAction } from './offered-actions.js';
import type { WorkbenchKey } from './strings.js';

export function ActionButtons(props: {
  conversationId: string;
  actions: readonly SupervisionAction[];
  busy: string | undefined;
  t: Translate<WorkbenchKey>;
  /** Names the conversation in each button's accessible name (on the wall, where many rows have the same buttons). */
  labelled?: boolean;
  class: string;
  onAction: (action: SupervisionAction) => void;
}) {
  const { t, conversationId: id } = props;
  return (
    <span class={props.class}>
      {props.actions.map((a) => (
        <button
          key={a}
          type="button"
          class="wb-small"
          data-action={a}
          disabled={props.busy === `${a}:${id}`}
          aria-label={props.labelled ? `${t(a)} ${id}` : undefined}
          onClick={() => props.onAction(a)}
        >
          {t(a)}
        </button>
      ))}
    </span>
  );
}
