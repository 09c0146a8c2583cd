/**
 * A chat message stored: its client message id recorded with it (OPS-2),
 * the assigned agent's reply measured and their response timer stopped
 * (ROUTE-10, ROUTE-13), and a customer's text given to the keyword rules
 * (ROUTE-7). The send, the create and the reopen all end here.
 */
import type { FileRef, Participant } from '../../protocol/frames.js';
import type { Reply } from '../runtime.js';
import { Keys } from '../keyspace.js';
import type { SendResult } from './messages.js';
import type { State } from './actor-state.js';
import { messageEvent, persist } from './persist.js';
import { applyKeywords } from './routing.js';
import { messageIdOf, senderKey, type ConversationContext } from './context.js';

/** ROUTE-10: how quickly the assigned agent answers, reported to their agent actor. */
function measureReply(cx: ConversationContext, s: State): void {
  const { ports } = cx;
  const agent = s.status === 'assigned' && s.agentId ? ports.agent(s.agentId) : undefined;
  if (!agent) return;
  const now = ports.clock.now();
  if (s.awaitingReply) ports.runtime.tell(agent, { type: 'figure', kind: 'firstResponse', value: now - s.assignedAt });
  if (s.unansweredSince !== undefined)
    ports.runtime.tell(agent, { type: 'figure', kind: 'response', value: now - s.unansweredSince });
}

export interface NewMessage {
  from: Participant;
  clientMsgId: string | undefined;
  text: string | undefined;
  file?: FileRef | undefined;
  reply: Reply<SendResult>;
}

/** `keywords`: false for a start's first message, which the workspace matched already. */
export function appendMessage(cx: ConversationContext, s: State, m: NewMessage, keywords = true): void {
  const { id } = cx;
  const { from, clientMsgId, text, file, reply } = m;
  if (from.role === 'agent' && from.id === s.agentId) {
    s.responseTimer?.cancel();
    s.responseTimer = undefined;
    measureReply(cx, s);
  }
  const event = persist(
    cx,
    s,
    (seq, at) =>
      messageEvent(id, seq, at, from, {
        ...(clientMsgId ? { clientMsgId } : {}),
        ...(text !== undefined ? { text } : {}),
        ...(file ? { file } : {}),
      }),
    {
      records: (st) =>
        clientMsgId === undefined ? [] : [{ key: Keys.clientMsg(id, senderKey(from, clientMsgId)), value: st.seq }],
      onCommit: (e) => reply({ conversationId: id, seq: e.seq, messageId: messageIdOf(id, e.seq), duplicate: false }),
      onFail: reply,
    },
  );
  if (from.role === 'visitor' && keywords && text !== undefined) applyKeywords(cx, s, text, event.seq);
  cx.presence.messageSent(from);
}
