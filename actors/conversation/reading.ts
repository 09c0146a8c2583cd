/**
 * What readers ask of a conversation: whether they may upload to or
 * download from it (CONV-1), its events again from a seq (a paged resume,
 * OPS-2; paging.ts), how it was routed (ROUTE-16) and its customer
 * (CUST-2/3). A resolved conversation woken by a read goes back to sleep.
 */
import { ProtocolError } from '../../protocol/errors.js';
import { Keys } from '../keyspace.js';
import type { DecisionRecord, RoutingRecord } from './records.js';
import { canRead, isParticipant, notFound } from './access.js';
import { subscribe } from './followers.js';
import { replayPage } from './paging.js';
import { serveCustomer } from './customer.js';
import { sleepIfDone } from './persist.js';
import type { Handlers } from './context.js';

export const readingHandlers = {
  access(cx, s, msg) {
    if (s.seq === 0 || !canRead(s, msg.caller)) msg.reply(notFound());
    else if (msg.write && !isParticipant(s, msg.caller))
      msg.reply(new ProtocolError('forbidden', 'not a participant of this conversation'));
    // XFER-7: a customer's file to a resolved conversation reopens it when sent; staff cannot write there.
    else if (msg.write && s.status === 'resolved' && msg.caller.role !== 'visitor')
      msg.reply(new ProtocolError('conflict', 'conversation is resolved'));
    else msg.reply({ conversationId: cx.id });
    sleepIfDone(cx, s);
  },
  resume(cx, s, msg) {
    const { ports, id, stream } = cx;
    if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
    // Paged; a connection that follows gets only what it was never sent (OPS-2).
    const { last, more } = replayPage(ports.journal, ports.notifier, stream, s, msg.caller.connectionId, msg.lastSeq);
    // The last page: this connection now holds (or said it held) every committed event, and follows from here.
    msg.reply({
      conversationId: id,
      fromSeq: msg.lastSeq + 1,
      lastSeq: more ? last : s.committedSeq,
      status: s.status,
      more,
      read: cx.presence.readMarks(),
    });
    if (more) return;
    subscribe(s, msg.caller, Math.min(msg.lastSeq + 1, s.committedSeq + 1));
    const queue = s.status === 'queued' ? ports.queue(s.department) : undefined;
    if (queue && msg.caller.role === 'visitor') ports.runtime.tell(queue, { type: 'remind', conversationId: id });
    // A resolved conversation read from the store goes back to sleep.
    sleepIfDone(cx, s);
  },
  explain(cx, s, msg) {
    const { journal } = cx.ports;
    if (s.seq === 0 || !canRead(s, msg.caller) || msg.caller.role === 'visitor') return msg.reply(notFound());
    const routing = journal.getRecord<RoutingRecord>(Keys.routing(cx.id));
    msg.reply({
      conversationId: cx.id,
      department: s.department,
      status: s.status,
      ...(routing ? { routing } : {}),
      decisions: [...journal.records<DecisionRecord>(Keys.decisions(cx.id))].map((r) => r.value),
    });
    sleepIfDone(cx, s);
  },
  customer(cx, s, msg) {
    if (s.seq === 0 || !canRead(s, msg.caller) || msg.caller.role === 'visitor') return msg.reply(notFound());
    serveCustomer(cx.ports, { id: cx.id, visitorId: s.visitorId }, msg);
    sleepIfDone(cx, s);
  },
} satisfies Partial<Handlers>;
