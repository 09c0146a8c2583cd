/**
 * SUP-2/3/5: supervisors and admins join a conversation as visible
 * participants and part again, take it over from its agent (who is told
 * and loses it), and staff keep internal notes on it, never shown to the
 * customer.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { JoinedEvent, PartedEvent } from '../../protocol/frames.js';
import { Keys } from '../keyspace.js';
import type { DecisionRecord, NoteRecord } from './records.js';
import { canRead, canSupervise, isParticipant, notFound, staffRefOf } from './access.js';
import { dropNonReaders, publish, subscribe } from './followers.js';
import { stopTimers } from './timers.js';
import { autoMessage, persist, sleepIfDone } from './persist.js';
import { leaveLine } from './routing.js';
import { dropAgent, release, storeAssignment } from './assignment.js';
import type { Handlers } from './context.js';

export const supervisionHandlers = {
  join(cx, s, msg) {
    if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
    if (!canSupervise(s, msg.caller))
      return msg.reply(
        new ProtocolError('forbidden', 'only supervisors of its department and admins join conversations'),
      );
    if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'conversation is resolved'));
    if (isParticipant(s, msg.caller)) return msg.reply(new ProtocolError('conflict', 'you are a participant already'));
    const staff = staffRefOf(msg.caller);
    subscribe(s, msg.caller);
    persist(cx, s, (seq, at): JoinedEvent => ({ type: 'joined', conversationId: cx.id, seq, at, staff }), {
      onCommit: (e) => msg.reply({ conversationId: cx.id, seq: e.seq }),
      onFail: msg.reply,
    });
    autoMessage(cx, s, 'agent_joined', { agent: staff.name });
  },
  part(cx, s, msg) {
    if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
    const staff = s.joined.find((j) => j.id === msg.caller.id);
    if (!staff) return msg.reply(new ProtocolError('conflict', 'you have not joined this conversation'));
    persist(cx, s, (seq, at): PartedEvent => ({ type: 'parted', conversationId: cx.id, seq, at, staff }), {
      onCommit: (e) => msg.reply({ conversationId: cx.id, seq: e.seq }),
      onFail: msg.reply,
    });
  },
  takeover(cx, s, msg) {
    const { ports, id, self } = cx;
    if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
    if (!canSupervise(s, msg.caller))
      return msg.reply(
        new ProtocolError('forbidden', 'only supervisors of its department and admins take conversations over'),
      );
    if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'conversation is resolved'));
    if (s.agentId === msg.caller.id) return msg.reply(new ProtocolError('conflict', 'you serve it already'));
    const agent = ports.agent(msg.caller.id);
    if (!agent) return msg.reply(new ProtocolError('not_found', 'no agent actor for this account'));
    const { caller, reply } = msg;
    ports.runtime.tell(agent, {
      type: 'offer',
      conversationId: id,
      departmentId: s.department,
      force: true,
      reply: (answer) =>
        ports.runtime.tell(self, { type: 'takeoverAnswer', caller, accepted: answer === 'accepted', reply }),
    });
  },
  takeoverAnswer(cx, s, msg) {
    const { id } = cx;
    if (!msg.accepted) return msg.reply(new ProtocolError('conflict', 'you serve it already'));
    if (s.status === 'resolved' || s.agentId === msg.caller.id) {
      if (s.agentId !== msg.caller.id) release(cx, msg.caller.id);
      return msg.reply(new ProtocolError('conflict', `conversation is ${s.status}`));
    }
    const previous = s.agentId;
    if (s.status !== 'assigned') leaveLine(cx, s.department);
    stopTimers(s);
    const me = { id: msg.caller.id, name: msg.caller.name ?? msg.caller.id };
    const record: DecisionRecord = {
      at: cx.ports.clock.now(),
      department: s.department,
      outcome: 'taken_over',
      agentId: me.id,
      decisions: [],
      note: `taken over by ${me.id} (${msg.caller.role})${previous ? ` from ${previous}` : ''}`,
    };
    storeAssignment(cx, s, me, s.department, 'takeover', record, {
      onCommit: (seq) => {
        // SUP-3: the agent is told and loses it.
        if (previous)
          dropAgent(cx, s, previous, { code: 'taken_over', message: `${me.name} took this conversation over.` });
        msg.reply({ conversationId: id, seq, agentId: me.id });
      },
      onFail: msg.reply,
    });
  },
  note(cx, s, msg) {
    const { ports, id } = cx;
    if (s.seq === 0 || msg.caller.role === 'visitor' || !canRead(s, msg.caller)) return msg.reply(notFound());
    const n = s.noteCount++;
    const note: NoteRecord = {
      id: `${id}.n${n}`,
      conversationId: id,
      at: ports.clock.now(),
      author: staffRefOf(msg.caller),
      text: msg.text,
    };
    ports.journal.writeRecords([{ key: Keys.note(id, n), value: note }]).then(
      () => {
        // SUP-5: staff connections only; notes are not journal events, so no replay reaches the customer either.
        dropNonReaders(s);
        publish(ports.notifier, s, { type: 'note', conversationId: id, note }, (who) => who.role !== 'visitor');
        msg.reply(note);
      },
      (err: unknown) => {
        ports.log.error({ err, conversationId: id }, 'note not stored');
        msg.reply(new ProtocolError('storage_failed', 'note not stored; retry'));
      },
    );
  },
  notes(cx, s, msg) {
    if (s.seq === 0 || msg.caller.role === 'visitor' || !canRead(s, msg.caller)) return msg.reply(notFound());
    msg.reply({
      conversationId: cx.id,
      notes: [...cx.ports.journal.records<NoteRecord>(Keys.notes(cx.id))].map((r) => r.value),
    });
    sleepIfDone(cx, s);
  },
} satisfies Partial<Handlers>;
