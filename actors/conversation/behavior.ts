/**
 * Conversation actor: owns one conversation's message log (its journal),
 * state, participants and seq. Every change is appended to the journal
 * first; clients hear of it (ack, events) only once the append has
 * committed (persist.ts).
 *
 * The behaviour is a table of handlers, one per message type, over an
 * explicit context (context.ts); each concern keeps its handlers in its own
 * file. While a failed write leaves memory ahead of the store, every message
 * but `recover` is refused (recovery.ts).
 */
import type { Behavior } from '../runtime.js';
import { conversationStream } from './records.js';
import type { ConversationMsg } from './messages.js';
import type { ConversationPorts } from './ports.js';
import type { State } from './actor-state.js';
import { ConversationPresence } from './presence.js';
import type { ConversationContext, Handler, Handlers } from './context.js';
import { newState, recoverState, recoveryHandlers, refuseWhileBroken } from './recovery.js';
import { lifecycleHandlers } from './lifecycle.js';
import { reopenHandlers } from './reopen.js';
import { chatHandlers } from './chat.js';
import { readingHandlers } from './reading.js';
import { routingHandlers } from './routing.js';
import { assignmentHandlers } from './assignment.js';
import { transferHandlers } from './transfer.js';
import { supervisionHandlers } from './supervision.js';
import { timerHandlers } from './timers.js';

export { messageIdOf } from './context.js';

const handlers: Handlers = {
  ...recoveryHandlers,
  ...lifecycleHandlers,
  ...reopenHandlers,
  ...chatHandlers,
  ...readingHandlers,
  ...routingHandlers,
  ...assignmentHandlers,
  ...transferHandlers,
  ...supervisionHandlers,
  ...timerHandlers,
};

/**
 * `fresh`: the conversation is being created under an id never used before
 * (reception.ts), so its first start reads nothing from the store; a later
 * start of the same actor (after it slept) recovers as usual.
 */
export function conversationBehavior(
  ports: ConversationPorts,
  id: string,
  fresh = false,
): Behavior<State, ConversationMsg> {
  const stream = conversationStream(id);
  let cx: ConversationContext;
  let unstored = fresh;
  return {
    init: (ctx) => {
      const { self } = ctx;
      const presence = new ConversationPresence(id, ports, (from, token) => {
        if (ports.runtime.isAlive(self)) ports.runtime.tell(self, { type: 'typingExpired', from, token });
      });
      cx = { ports, id, stream, self, presence };
      const state = unstored ? newState(id) : recoverState(cx);
      unstored = false;
      return state;
    },
    receive(s, msg) {
      if (s.broken && msg.type !== 'recover') return refuseWhileBroken(cx, s, msg);
      // The table holds the handler of msg's own type; the cast spares the compiler correlating the two.
      (handlers[msg.type] as Handler<ConversationMsg>)(cx, s, msg);
    },
  };
}
