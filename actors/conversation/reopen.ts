/**
 * XFER-7: the customer writing to a resolved conversation reopens it, once
 * the workspace agrees (one open conversation per visitor). Messages sent
 * meanwhile wait and are stored after the `reopened` event; a refusal
 * answers each of them. A reopened conversation goes back to its last agent
 * when possible.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { ReopenedEvent } from '../../protocol/frames.js';
import { Keys } from '../keyspace.js';
import type { VisitorRecord } from '../workspace/records.js';
import type { PendingSend, State } from './actor-state.js';
import { openRecord, persist, sleepIfDone } from './persist.js';
import { routeNow } from './routing.js';
import { appendMessage } from './append-message.js';
import type { ConversationContext, Handlers } from './context.js';

/** Turns the customer's write to a resolved conversation into a reopen; later writes wait with it. */
export function reopen(cx: ConversationContext, s: State, pending: PendingSend): void {
  const { ports, id, self } = cx;
  if (s.reopening) {
    s.reopening.push(pending);
    return;
  }
  s.reopening = [pending];
  // A resolve's commit may have asked the actor to stop once its mailbox empties: the workspace's answer must find it.
  ports.runtime.stayAwake(self);
  ports.runtime.tell(ports.workspace, {
    type: 'reopen',
    visitorId: s.visitorId,
    conversationId: id,
    reply: (r) => ports.runtime.tell(self, { type: 'reopenAnswer', ok: !(r instanceof ProtocolError) }),
  });
}

export const reopenHandlers = {
  reopenAnswer(cx, s, msg) {
    const { ports, id } = cx;
    const pending = s.reopening ?? [];
    s.reopening = undefined;
    if (!msg.ok || s.status !== 'resolved') {
      for (const p of pending)
        p.reply(
          new ProtocolError('conflict', 'this conversation is resolved and you have another one open; write there'),
        );
      sleepIfDone(cx, s);
      return;
    }
    persist(
      cx,
      s,
      (seq, at): ReopenedEvent => ({ type: 'reopened', conversationId: id, seq, at, by: pending[0]!.from }),
      {
        records: (st) => [
          openRecord(st),
          {
            key: Keys.visitor(st.visitorId),
            value: {
              ...ports.journal.getRecord<VisitorRecord>(Keys.visitor(st.visitorId)),
              visitorId: st.visitorId,
              openConversationId: id,
              lastConversationId: id,
            } satisfies VisitorRecord,
          },
        ],
        onCommit: () => routeNow(cx, s, true),
        onFail: () =>
          ports.runtime.tell(ports.workspace, {
            type: 'conversationClosed',
            visitorId: s.visitorId,
            conversationId: id,
          }),
      },
    );
    for (const p of pending) appendMessage(cx, s, p);
  },
} satisfies Partial<Handlers>;
