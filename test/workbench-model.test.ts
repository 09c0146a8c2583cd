/**
 * The supervisor workbench's pure models, without a browser: the wall of
 * departments from the monitor's ack and deltas (MON-1, WEB-4), the open
 * conversations from the live view (SUP-1), a watched conversation's
 * history (SUP-1…3), and which actions each role is offered (ROLE-4).
 */
import t from 'tap';
import {
  agentsOnWall,
  applyConversationList,
  applyConversationUpdate,
  applyMonitorAck,
  applyMonitorDelta,
  conversationsOf,
  departmentsOfAgent,
  emptyWall,
  loadShare,
  longestWaitAt,
} from '../src/web/console/workbench/monitor-model.js';
import { applyEvents, applyNotes, lastSeqOf, markLive, watching } from '../src/web/console/workbench/watch-model.js';
import { conversationActions, mayLend, mayUseWorkbench } from '../src/web/console/workbench/offered-actions.js';
import type { ConversationEvent, ConversationSummary, DepartmentFigures, MonitoredAgent } from '../protocol/frames.js';

const at = 1_795_424_400_000;
const agent = (agentId: string, active = 0, status: MonitoredAgent['status'] = 'online'): MonitoredAgent => ({
  agentId,
  name: agentId[0]!.toUpperCase() + agentId.slice(1),
  status,
  active,
  max: 5,
});
const dept = (
  department: string,
  agents: MonitoredAgent[],
  extra: Partial<DepartmentFigures> = {},
): DepartmentFigures => ({
  department,
  name: department,
  queueLength: 0,
  backlog: 0,
  longestWaitMs: 0,
  activeConversations: 0,
  day: '2026-11-15',
  assignedToday: 0,
  resolvedToday: 0,
  agents,
  ...extra,
});
const summary = (
  conversationId: string,
  department: string,
  extra: Partial<ConversationSummary> = {},
): ConversationSummary => ({
  conversationId,
  department,
  status: 'queued',
  visitorId: 'v-1',
  createdAt: at,
  ...extra,
});

t.test('MON-1 WEB-4: the ack fills the wall, a delta replaces counts and merges agents by id', async (t) => {
  let wall = applyMonitorAck(emptyWall, {
    at,
    departments: [dept('pre-sales', [agent('carol'), agent('alice')]), dept('after-sales', [agent('bob')])],
  });
  t.ok(wall.loaded);
  t.same(
    wall.departments.map((d) => d.department),
    ['pre-sales', 'after-sales'],
    'departments in the order of the ack',
  );
  t.same(
    wall.departments[0]!.agents.map((a) => a.agentId),
    ['alice', 'carol'],
    'agents sorted by name, so rows do not jump',
  );
  wall = applyMonitorDelta(wall, {
    at: at + 250,
    departments: [
      {
        ...dept('after-sales', [agent('bob', 1)]),
        activeConversations: 1,
        assignedToday: 1,
      },
    ],
  });
  const after = wall.departments[1]!;
  t.equal(after.activeConversations, 1, 'counts replaced');
  t.equal(after.assignedToday, 1);
  t.same(after.agents, [agent('bob', 1)], 'the changed agent merged');
  t.same(wall.departments[0]!.agents.length, 2, 'an untouched department keeps its agents');

  // A delta names only the changed agents: the others stay; agentsGone drops a lent agent again.
  wall = applyMonitorDelta(wall, {
    at: at + 500,
    departments: [{ ...dept('after-sales', [agent('alice', 0)]) }],
  });
  t.same(
    wall.departments[1]!.agents.map((a) => a.agentId),
    ['alice', 'bob'],
    'a lent agent joins the department, bob stays',
  );
  t.same(departmentsOfAgent(wall, 'alice'), ['pre-sales', 'after-sales']);
  t.same(
    agentsOnWall(wall).map((a) => a.agentId),
    ['alice', 'bob', 'carol'],
    'each person once on the wall',
  );
  wall = applyMonitorDelta(wall, {
    at: at + 750,
    departments: [{ ...dept('after-sales', []), agentsGone: ['alice'] }],
  });
  t.same(
    wall.departments[1]!.agents.map((a) => a.agentId),
    ['bob'],
    'agentsGone removes the agent',
  );

  const stale = applyMonitorDelta(wall, { at: at, departments: [dept('after-sales', [agent('bob', 4)])] });
  t.equal(stale, wall, 'a frame older than the figures held changes nothing');

  const reloaded = applyMonitorAck(wall, { at: at + 1000, departments: [dept('pre-sales', [])] });
  t.same(
    reloaded.departments.map((d) => d.department),
    ['pre-sales'],
    'a new ack (after a reconnect) replaces the wall',
  );
});

t.test('MON-1: the longest wait runs on between frames, from the oldest entry', async (t) => {
  const wall = applyMonitorAck(emptyWall, {
    at,
    departments: [dept('after-sales', [], { queueLength: 2, oldestQueuedAt: at - 12_000, longestWaitMs: 12_000 })],
  });
  const d = wall.departments[0]!;
  t.equal(longestWaitAt(d, at), 12_000);
  t.equal(longestWaitAt(d, at + 5_000), 17_000, 'five seconds later, five seconds longer');
  t.equal(longestWaitAt({ ...d, oldestQueuedAt: undefined, longestWaitMs: 0 }, at + 5_000), 0, 'nobody waits: 0');
  t.equal(loadShare({ active: 2, max: 5 }), 0.4);
  t.equal(loadShare({ active: 7, max: 5 }), 1, 'never over full');
  t.equal(loadShare({ active: 0, max: 0 }), 0);
});

t.test('SUP-1 WEB-4: open conversations follow the live view; resolved or moved away leave the wall', async (t) => {
  let wall = applyMonitorAck(emptyWall, {
    at,
    departments: [dept('pre-sales', []), dept('after-sales', [])],
  });
  wall = applyConversationList(wall, [
    summary('c-2', 'after-sales', { status: 'assigned', agentId: 'bob', createdAt: at - 1000 }),
    summary('c-1', 'after-sales', { createdAt: at }),
    summary('c-3', 'pre-sales'),
  ]);
  t.same(
    conversationsOf(wall, 'after-sales').map((c) => c.conversationId),
    ['c-1', 'c-2'],
    'waiting ones first, then assigned ones',
  );
  wall = applyConversationUpdate(wall, {
    conversation: summary('c-1', 'after-sales', { status: 'assigned', agentId: 'bob' }),
  });
  t.equal(wall.conversations['c-1']?.agentId, 'bob', 'the latest summary wins');
  wall = applyConversationUpdate(wall, { conversation: summary('c-2', 'after-sales', { status: 'resolved' }) });
  t.notOk(wall.conversations['c-2'], 'a resolved conversation leaves the wall');
  wall = applyConversationUpdate(wall, { conversation: summary('c-3', 'technical') });
  t.notOk(wall.conversations['c-3'], 'a conversation moved to a department not shown leaves the wall');
  wall = applyConversationUpdate(wall, { conversation: summary('c-4', 'pre-sales', { status: 'new' }) });
  t.same(
    conversationsOf(wall, 'pre-sales').map((c) => c.conversationId),
    ['c-4'],
    'a new one appears',
  );
});

const c = 'c-9';
const ev = (seq: number, e: Record<string, unknown>): ConversationEvent =>
  ({ conversationId: c, seq, at: at + seq, ...e }) as ConversationEvent;
const created = ev(1, { type: 'created', visitorId: 'v-1', department: 'after-sales' });
const msg = (seq: number, text: string) =>
  ev(seq, { type: 'message', messageId: `${c}.${seq}`, from: { role: 'visitor', id: 'v-1' }, text });
const assigned = (seq: number, id: string, policy = 'round_robin') =>
  ev(seq, {
    type: 'assigned',
    department: 'after-sales',
    visitorId: 'v-1',
    agent: { id, name: id },
    policy,
  });

t.test(
  'SUP-1 SUP-2 SUP-3: a watched conversation shows each seq once and knows who serves and who joined',
  async (t) => {
    let w = watching(c);
    w = applyEvents(w, [created, msg(2, '我要退款')]);
    w = applyEvents(w, [assigned(3, 'bob'), msg(2, '我要退款')]);
    // Live events and a replayed page may cross: the seq decides, each seq once.
    w = applyEvents(w, [msg(5, 'still there?'), msg(4, 'order 17')]);
    t.same(
      w.events.map((e) => e.seq),
      [1, 2, 3, 4, 5],
      'in seq order, no seq twice',
    );
    t.equal(w.status, 'assigned');
    t.same(w.agent, { id: 'bob', name: 'bob' });
    t.equal(lastSeqOf(w), 5);
    t.notOk(w.live);
    w = markLive(w);
    t.ok(w.live);
    const other = applyEvents(w, [{ ...msg(6, 'elsewhere'), conversationId: 'c-other' } as ConversationEvent]);
    t.equal(other, w, "another conversation's events are not this one's");

    w = applyEvents(w, [ev(6, { type: 'joined', staff: { id: 'carol', name: 'Carol', role: 'supervisor' } })]);
    t.same(w.joined, ['carol'], 'SUP-2: joined');
    w = applyEvents(w, [assigned(7, 'carol', 'takeover')]);
    t.same(w.agent?.id, 'carol', 'SUP-3: taken over');
    t.same(w.joined, [], 'once she serves it she is its agent, not a joined participant');
    w = applyEvents(w, [ev(8, { type: 'resolved', by: { role: 'agent', id: 'carol' }, summary: 'refunded' })]);
    t.equal(w.status, 'resolved');

    const note = {
      id: `${c}.n0`,
      conversationId: c,
      at: at + 2,
      author: { id: 'bob', name: 'Bob', role: 'agent' as const },
      text: 'angry',
    };
    w = applyNotes(w, [note]);
    w = applyNotes(w, [note]);
    t.equal(w.notes.length, 1, 'a note once, however often it comes');
  },
);

t.test(
  'ROLE-4 WEB-4: an agent is offered nothing; a supervisor only in their departments; admins everywhere',
  async (t) => {
    const alice = { id: 'alice', role: 'agent' as const, departments: ['pre-sales'] };
    const carol = { id: 'carol', role: 'supervisor' as const, departments: ['pre-sales', 'after-sales'] };
    const sam = { id: 'sam', role: 'supervisor' as const, departments: ['after-sales'] };
    const admin = { id: 'admin', role: 'admin' as const, departments: [] };
    const facts = { department: 'pre-sales', status: 'assigned', agentId: 'alice', joined: false };
    t.notOk(mayUseWorkbench(alice), 'an agent gets no workbench');
    t.same(conversationActions(alice, facts), [], 'and no supervision action, even on their own conversation');
    t.same(conversationActions(carol, facts), ['watch', 'join', 'takeover', 'reassign']);
    t.same(conversationActions(sam, facts), [], 'a supervisor of another department: nothing');
    t.same(conversationActions(admin, facts), ['watch', 'join', 'takeover', 'reassign']);
    t.same(
      conversationActions(carol, { ...facts, joined: true }),
      ['watch', 'part', 'takeover', 'reassign'],
      'joined: leave instead of join',
    );
    t.same(
      conversationActions(carol, { ...facts, agentId: 'carol' }),
      ['watch', 'reassign'],
      'her own conversation: no join, no take-over',
    );
    t.same(conversationActions(carol, { ...facts, status: 'resolved' }), [], 'nothing on a resolved one');
    t.ok(mayLend(carol, ['pre-sales']));
    t.notOk(mayLend(sam, ['pre-sales']), 'lending needs one of the agent’s departments');
    t.notOk(mayLend(alice, ['pre-sales']));
    t.ok(mayLend(admin, ['anything']));
  },
);
