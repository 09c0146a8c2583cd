/**
 * Who serves the conversation: an assignment stored once the agent's actor
 * has accepted it (the slot is reserved, ROUTE-11), a claim or a manual
 * assignment (ROUTE-12), and the agent losing it: response timeout
 * (ROUTE-13) or gone offline (ROUTE-14).
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { AssignedEvent, UnassignedEvent } from '../../protocol/frames.js';
import type { DecisionRecord } from './records.js';
import type { State } from './actor-state.js';
import { notFound } from './access.js';
import { dropNonReaders } from './followers.js';
import { sendHandover } from './paging.js';
import { stopTimers } from './timers.js';
import { autoMessage, decisionWrite, openRecord, persist } from './persist.js';
import { exclude, leaveQueue, routeNow } from './routing.js';
import type { ConversationContext, Handlers } from './context.js';

/** Gives an agent's reserved slot back. */
export function release(cx: ConversationContext, agentId: string): void {
  const ref = cx.ports.agent(agentId);
  if (ref) cx.ports.runtime.tell(ref, { type: 'release', conversationId: cx.id });
}

/**
 * Stores an assignment whose agent actor has already accepted it (the slot
 * is reserved). Once stored, the agent is asked to confirm, since it may
 * have gone offline meanwhile (it then answers agentGone); if the store
 * refuses it, the slot goes back and the conversation is routed again after
 * its rebuild.
 */
export function storeAssignment(
  cx: ConversationContext,
  s: State,
  agent: { id: string; name: string },
  department: string,
  policy: string,
  record: DecisionRecord,
  done: { onCommit?: (seq: number) => void; onFail?: (err: ProtocolError) => void } = {},
): void {
  const { ports, id, stream } = cx;
  const ref = ports.agent(agent.id);
  const handover = s.handoverPending;
  persist(
    cx,
    s,
    (seq, at): AssignedEvent => ({
      type: 'assigned',
      conversationId: id,
      seq,
      at,
      department,
      visitorId: s.visitorId,
      agent,
      policy,
    }),
    {
      records: (st) => [openRecord(st), decisionWrite(st, record)],
      beforePublish: (e) => {
        if (handover) sendHandover(ports.journal, ports.notifier, stream, s, agent.id, e.seq);
      },
      onCommit: (e) => {
        done.onCommit?.(e.seq);
        if (ref) ports.runtime.tell(ref, { type: 'confirm', conversationId: id });
      },
      onFail: (err) => {
        if (ref) ports.runtime.tell(ref, { type: 'release', conversationId: id });
        s.rerouteAfterRecover = true;
        done.onFail?.(err);
      },
    },
  );
  autoMessage(cx, s, 'agent_joined', { agent: agent.name });
}

/** An agent no longer serves it: their slot goes back and their connections stop following it. */
export function dropAgent(
  cx: ConversationContext,
  s: State,
  agentId: string,
  notice?: { code: 'taken_over' | 'reassigned'; message: string },
): void {
  release(cx, agentId);
  dropNonReaders(s);
  if (notice)
    cx.ports.notifier.send({ kind: 'staff', id: agentId }, { type: 'notice', conversationId: cx.id, ...notice });
}

/**
 * The assigned agent stops serving the conversation (ROUTE-13, ROUTE-14):
 * their slot is given back, their connections stop following it, and it is
 * routed again with its history. After a response timeout that agent is
 * never offered it again.
 */
function unassign(cx: ConversationContext, s: State, reason: UnassignedEvent['reason']): void {
  const { ports, id } = cx;
  const agent = { id: s.agentId!, name: s.agentName ?? s.agentId! };
  if (reason === 'response_timeout') exclude(cx, s, agent.id);
  stopTimers(s);
  persist(cx, s, (seq, at): UnassignedEvent => ({ type: 'unassigned', conversationId: id, seq, at, agent, reason }), {
    records: (st) => [openRecord(st)],
    onCommit: () => {
      const ref = ports.agent(agent.id);
      if (ref) {
        ports.runtime.tell(ref, { type: 'release', conversationId: id });
        if (reason === 'response_timeout' && ports.settings().department(s.department)?.awayAfterResponseTimeout)
          ports.runtime.tell(ref, { type: 'away' });
      }
      for (const [connection, who] of s.subscribers)
        if (who.role !== 'visitor' && who.id === agent.id) s.subscribers.delete(connection);
      if (reason === 'response_timeout') {
        ports.notifier.send(
          { kind: 'staff', id: agent.id },
          {
            type: 'notice',
            conversationId: id,
            code: 'response_timeout',
            message: 'No reply within the response time: the conversation went to another agent.',
          },
        );
      }
      // A leave or resolve may have landed while the unassignment was being stored.
      if (s.status === 'new') routeNow(cx, s);
    },
  });
}

export const assignmentHandlers = {
  assign(cx, s, msg) {
    // Assigned or resolved meanwhile, or never stored (its create failed or was lost in a crash): the slot goes back.
    if (s.seq === 0 || (s.status !== 'new' && s.status !== 'queued')) return release(cx, msg.agentId);
    storeAssignment(cx, s, { id: msg.agentId, name: msg.agentName }, msg.department, msg.policy, msg.record);
  },
  claim(cx, s, msg) {
    const { ports, id, self } = cx;
    // Members of the conversation's department may claim it; admins any.
    const member = msg.caller.role === 'admin' || (msg.caller.departments?.includes(s.department) ?? false);
    if (s.seq === 0 || !member) return msg.reply(notFound());
    // Giving it to someone else is for supervisors of its department and admins.
    if (msg.agent.id !== msg.caller.id && msg.caller.role === 'agent') {
      return msg.reply(
        new ProtocolError('forbidden', 'only supervisors and admins assign conversations to others', 'agentId'),
      );
    }
    if (s.status !== 'new' && s.status !== 'queued')
      return msg.reply(new ProtocolError('conflict', `conversation is ${s.status}, not waiting`));
    const agent = ports.agent(msg.agent.id);
    if (!agent) return msg.reply(new ProtocolError('not_found', 'no such agent', 'agentId'));
    const { caller, reply } = msg;
    const assignee = msg.agent;
    // The agent actor owns capacity (ROUTE-11): a claim is an offer the claimer's own actor may refuse.
    ports.runtime.tell(agent, {
      type: 'offer',
      conversationId: id,
      departmentId: s.department,
      manual: true,
      reply: (answer) =>
        ports.runtime.tell(self, {
          type: 'claimAnswer',
          caller,
          agent: assignee,
          accepted: answer === 'accepted',
          reply,
        }),
    });
  },
  claimAnswer(cx, s, msg) {
    const { id } = cx;
    if (!msg.accepted)
      return msg.reply(
        new ProtocolError('conflict', 'no free slot: the agent must be online or busy, with a conversation slot free'),
      );
    if (s.status !== 'new' && s.status !== 'queued') {
      // Routed to someone else meanwhile: give the reserved slot back.
      release(cx, msg.agent.id);
      return msg.reply(new ProtocolError('conflict', `conversation is ${s.status}, not waiting`));
    }
    const note =
      msg.agent.id === msg.caller.id
        ? `claimed by ${msg.caller.id} (${msg.caller.role})`
        : `assigned by ${msg.caller.id} (${msg.caller.role})`;
    const claimed: DecisionRecord = {
      at: cx.ports.clock.now(),
      department: s.department,
      outcome: 'claimed',
      agentId: msg.agent.id,
      decisions: [],
      note,
    };
    storeAssignment(cx, s, msg.agent, s.department, 'manual', claimed, {
      onCommit: (seq) => {
        msg.reply({ conversationId: id, seq, agentId: msg.agent.id });
        // It may be in the queue, or on its way there: a remove of nothing is harmless.
        leaveQueue(cx, s.department);
      },
      onFail: msg.reply,
    });
  },
  responseTimeout(cx, s, msg) {
    s.responseTimer = undefined;
    if (s.status !== 'assigned' || s.agentId !== msg.agentId || s.assignedSeq !== msg.assignedSeq || !s.awaitingReply)
      return;
    unassign(cx, s, 'response_timeout');
  },
  agentGone(cx, s, msg) {
    if (s.status === 'assigned' && s.agentId === msg.agentId) unassign(cx, s, 'agent_offline');
  },
} satisfies Partial<Handlers>;
