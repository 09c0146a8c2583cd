/**
 * The conversation's reducer on its own, without actors or sockets
 * (issue 14 item 1): what each event does to the view, that the input is
 * never changed, and that a snapshot holds the durable fields only.
 */
import t from 'tap';
import { apply, emptyView, snapshotOf, type ConversationView } from '../actors/conversation/state.js';
import type { ConversationEvent } from '../protocol/frames.js';

const at = Date.UTC(2026, 0, 5, 9);
const c = 'c-1';
const ann = { id: 'ann', name: 'Ann' };
const run = (events: ConversationEvent[], from: ConversationView = emptyView(c)): ConversationView =>
  events.reduce(apply, from);

const created: ConversationEvent = {
  type: 'created',
  conversationId: c,
  seq: 1,
  at,
  visitorId: 'v-1',
  department: 'pre-sales',
  language: 'en',
};
const ask: ConversationEvent = {
  type: 'message',
  conversationId: c,
  seq: 2,
  at: at + 1000,
  messageId: `${c}.2`,
  from: { role: 'visitor', id: 'v-1' },
  text: 'hello',
};
const assigned: ConversationEvent = {
  type: 'assigned',
  conversationId: c,
  seq: 3,
  at: at + 2000,
  department: 'pre-sales',
  visitorId: 'v-1',
  agent: ann,
  policy: 'round_robin',
};
const reply: ConversationEvent = {
  type: 'message',
  conversationId: c,
  seq: 4,
  at: at + 3000,
  messageId: `${c}.4`,
  from: { role: 'agent', id: 'ann' },
  text: 'hi',
};

t.test(
  "CONV-1 ROUTE-10: created, a customer message, an assignment and the agent's reply build the view",
  async (t) => {
    const v = run([created, ask]);
    t.match(v, {
      visitorId: 'v-1',
      department: 'pre-sales',
      status: 'new',
      createdAt: at,
      language: 'en',
      lastVisitorAt: at + 1000,
      unansweredSince: at + 1000,
    });
    const served = run([assigned], v);
    t.match(served, {
      status: 'assigned',
      agentId: 'ann',
      agentName: 'Ann',
      assignedSeq: 3,
      assignedAt: at + 2000,
      awaitingReply: true,
    });
    const answered = run([reply], served);
    t.equal(answered.awaitingReply, false, "the assigned agent's reply answers");
    t.equal(answered.unansweredSince, undefined);
    const other: ConversationEvent = { ...reply, seq: 5, from: { role: 'agent', id: 'carol' } };
    t.equal(apply(served, other), served, "a joined supervisor's words change nothing");
  },
);

t.test('XFER-1 XFER-7 SUP-2: transfer, join and part, resolve and reopen', async (t) => {
  const served = run([created, ask, assigned]);
  const moved = apply(served, {
    type: 'transferred',
    conversationId: c,
    seq: 5,
    at,
    n: 0,
    from: ann,
    department: 'after-sales',
    by: { role: 'agent', id: 'ann' },
  });
  t.match(moved, {
    status: 'new',
    agentId: undefined,
    department: 'after-sales',
    handoverPending: true,
    awaitingReply: false,
  });
  const carol = { id: 'carol', name: 'Carol', role: 'supervisor' as const };
  const joined = apply(served, { type: 'joined', conversationId: c, seq: 5, at, staff: carol });
  t.same(joined.joined, [carol]);
  t.same(apply(joined, { type: 'parted', conversationId: c, seq: 6, at, staff: carol }).joined, []);
  const resolved = apply(joined, { type: 'resolved', conversationId: c, seq: 6, at, by: { role: 'agent', id: 'ann' } });
  t.match(resolved, { status: 'resolved', joined: [], agentId: 'ann' });
  const reopened = apply(resolved, {
    type: 'reopened',
    conversationId: c,
    seq: 7,
    at: at + 9000,
    by: { role: 'visitor', id: 'v-1' },
  });
  t.match(
    reopened,
    { status: 'new', stickyAgent: 'ann', agentId: undefined, lastVisitorAt: at + 9000 },
    'back to the agent who served it',
  );
});

t.test('QUEUE-4 ROUTE-13: queued with a reason, unassigned', async (t) => {
  const queued = apply(run([created]), {
    type: 'queued',
    conversationId: c,
    seq: 2,
    at,
    department: 'after-sales',
    reason: 'no_agents_online',
  });
  t.match(queued, { status: 'queued', department: 'after-sales', backlog: 'no_agents_online' });
  const served = apply(queued, { ...assigned, seq: 3 });
  t.equal(served.backlog, undefined, 'an assignment ends the left message');
  t.match(
    apply(served, { type: 'unassigned', conversationId: c, seq: 4, at, agent: ann, reason: 'response_timeout' }),
    { status: 'new', agentId: undefined },
  );
});

t.test('OPS-1: apply never changes its input, and a snapshot keeps the durable fields only', async (t) => {
  const before = run([created, ask]);
  const copy = JSON.parse(JSON.stringify(before)) as unknown;
  apply(before, assigned);
  t.same(JSON.parse(JSON.stringify(before)), copy, 'the input view is unchanged');
  const snap = snapshotOf({ ...run([created, ask, assigned]), stickyAgent: 'bob' });
  t.notOk('stickyAgent' in snap, 'the sticky agent lives in the routing record');
  t.match(snap, { id: c, status: 'assigned', agentId: 'ann', assignedSeq: 3 });
  t.same(
    run([], { ...emptyView(c), ...snap, stickyAgent: undefined }),
    { ...emptyView(c), ...snap, stickyAgent: undefined },
    'a view rebuilt from a snapshot',
  );
});
