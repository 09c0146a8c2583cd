/**
 * XFER-1…8, SUP-4: handing a conversation to a colleague or a department.
 * A transfer is checked first (who asks, tags, target, the cross-department
 * grant); an agent target's actor must accept it (capacity, XFER-8) before
 * anything is stored. The chain is stored in order and readable (XFER-6).
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { TransferredEvent } from '../../protocol/frames.js';
import { Keys } from '../keyspace.js';
import type { DecisionRecord, TransferRecord } from './records.js';
import type { ConversationMsg, TransferTo } from './messages.js';
import type { State } from './actor-state.js';
import { canRead, canSupervise, notFound, participantOf, staffRefOf } from './access.js';
import { stopTimers } from './timers.js';
import { autoMessage, openRecord, persist, sleepIfDone } from './persist.js';
import { exclude, leaveLine, routeNow } from './routing.js';
import { dropAgent, release, storeAssignment } from './assignment.js';
import type { ConversationContext, Handlers } from './context.js';

type TransferMsg = Extract<ConversationMsg, { type: 'transfer' }>;
type AgentTarget = Extract<TransferTo, { kind: 'agent' }>;

/** XFER-1/2/5/8, SUP-4: checks a transfer; an agent target must accept it (capacity) before anything is stored. */
function startTransfer(cx: ConversationContext, s: State, msg: TransferMsg): void {
  const { ports, id, self } = cx;
  const c = msg.caller;
  if (s.seq === 0 || c.role === 'visitor' || !canRead(s, c)) return msg.reply(notFound());
  const serving = s.status === 'assigned' && s.agentId === c.id;
  if (!serving && !canSupervise(s, c))
    return msg.reply(
      new ProtocolError('forbidden', 'only the agent serving it, or a supervisor of its department, transfers it'),
    );
  if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'conversation is resolved'));
  if (s.transferring) return msg.reply(new ProtocolError('conflict', 'a transfer of this conversation is in progress'));
  const known = ports.settings().workspace.tags ?? [];
  for (const [i, tag] of msg.tags.entries()) {
    if (!known.includes(tag))
      return msg.reply(new ProtocolError('invalid_field', `"${tag}" is not in the workspace's tag list`, `tags.${i}`));
  }
  const to = msg.to;
  let department: string;
  if (to.kind === 'department') {
    department = to.department;
    if (!ports.department(department))
      return msg.reply(new ProtocolError('not_found', `no department "${department}"`, 'to.department'));
  } else {
    if (to.id === s.agentId)
      return msg.reply(new ProtocolError('conflict', `${to.name} serves it already`, 'to.agentId'));
    // The target's own department when they are not in this one.
    department = to.departments.includes(s.department) ? s.department : (to.departments[0] ?? s.department);
  }
  if (department !== s.department && c.role === 'agent' && !msg.mayCrossDepartments) {
    return msg.reply(
      new ProtocolError(
        'forbidden',
        'transfers to another department need a grant for your account',
        to.kind === 'department' ? 'to.department' : 'to.agentId',
      ),
    );
  }
  if (to.kind === 'department') {
    // Handed on, not back: the department does not route it to the agent who just gave it away.
    if (s.agentId !== undefined && s.agentId === c.id) exclude(cx, s, c.id);
    return commitTransfer(cx, s, msg, department);
  }
  const agent = ports.agent(to.id);
  if (!agent) return msg.reply(new ProtocolError('not_found', 'no such agent', 'to.agentId'));
  s.transferring = true;
  // XFER-8: the colleague's actor owns their capacity and status; a manual offer says yes or why not.
  ports.runtime.tell(agent, {
    type: 'offer',
    conversationId: id,
    departmentId: department,
    manual: true,
    reply: (answer, why) =>
      ports.runtime.tell(self, {
        type: 'transferAnswer',
        request: msg,
        department,
        accepted: answer === 'accepted',
        ...(why ? { why } : {}),
      }),
  });
}

/**
 * Stores the transfer: the customer is told (XFER-3), the chain grows
 * (XFER-6), the former agent lets go; then the target agent is assigned
 * (their slot is already reserved) or the department routes it. Customer
 * messages keep landing in the journal all along, so none is lost.
 */
function commitTransfer(
  cx: ConversationContext,
  s: State,
  msg: TransferMsg,
  department: string,
  target?: AgentTarget,
): void {
  const { ports, id } = cx;
  const previous = s.agentId !== undefined ? { id: s.agentId, name: s.agentName ?? s.agentId } : undefined;
  const fromDepartment = s.department;
  if (s.status !== 'assigned') leaveLine(cx, s.department);
  stopTimers(s);
  const n = s.transferCount++;
  const by = staffRefOf(msg.caller);
  const record: TransferRecord = {
    n,
    conversationId: id,
    at: ports.clock.now(),
    by,
    ...(previous ? { from: previous } : {}),
    fromDepartment,
    to: target ? { kind: 'agent', id: target.id, name: target.name, department } : { kind: 'department', department },
    note: msg.note,
    tags: msg.tags,
    ...(msg.reason !== undefined ? { reason: msg.reason } : {}),
  };
  autoMessage(cx, s, 'transferring');
  persist(
    cx,
    s,
    (seq, at): TransferredEvent => ({
      type: 'transferred',
      conversationId: id,
      seq,
      at,
      n,
      ...(previous ? { from: previous } : {}),
      department,
      ...(target ? { toAgent: { id: target.id, name: target.name } } : {}),
      by: participantOf(msg.caller),
    }),
    {
      records: (st) => [openRecord(st), { key: Keys.transfer(id, n), value: record }],
      onCommit: (e) => {
        if (previous) {
          const reassigned = previous.id !== by.id;
          dropAgent(
            cx,
            s,
            previous.id,
            reassigned
              ? { code: 'reassigned', message: `${by.name} gave this conversation to someone else.` }
              : undefined,
          );
        }
        if (target) return;
        msg.reply({ conversationId: id, n, seq: e.seq, department });
        if (s.status === 'new') routeNow(cx, s);
      },
      onFail: (err) => {
        if (target) release(cx, target.id);
        msg.reply(err);
      },
    },
  );
  if (!target) return;
  const decision: DecisionRecord = {
    at: ports.clock.now(),
    department,
    outcome: 'transferred',
    agentId: target.id,
    decisions: [],
    note: `transfer ${n} by ${by.id}`,
  };
  storeAssignment(cx, s, { id: target.id, name: target.name }, department, 'transfer', decision, {
    onCommit: (seq) => msg.reply({ conversationId: id, n, seq, department, agentId: target.id }),
  });
}

export const transferHandlers = {
  transfer(cx, s, msg) {
    startTransfer(cx, s, msg);
  },
  transferAnswer(cx, s, msg) {
    s.transferring = false;
    const req = msg.request;
    const target = req.to as AgentTarget;
    if (!msg.accepted)
      return req.reply(
        new ProtocolError('conflict', `${target.name} cannot take it now (${msg.why ?? 'unavailable'})`, 'to.agentId'),
      );
    if (s.status === 'resolved' || s.agentId === target.id) {
      if (s.agentId !== target.id) release(cx, target.id);
      return req.reply(new ProtocolError('conflict', `conversation is ${s.status}`));
    }
    commitTransfer(cx, s, req, msg.department, target);
  },
  transfers(cx, s, msg) {
    if (s.seq === 0 || msg.caller.role === 'visitor' || !canRead(s, msg.caller)) return msg.reply(notFound());
    msg.reply({
      conversationId: cx.id,
      transfers: [...cx.ports.journal.records<TransferRecord>(Keys.transfers(cx.id))].map((r) => r.value),
    });
    sleepIfDone(cx, s);
  },
} satisfies Partial<Handlers>;
