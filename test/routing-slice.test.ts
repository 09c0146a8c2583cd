/** Routing as far as the foundation slice goes: round robin, agent-owned capacity, FIFO queue. */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { onlineAgent, openConversation, type OpenConversation } from './support/conversations.js';
import type { TestClient } from './support/client.js';

const assignedTo = async (c: TestClient): Promise<string> =>
  ((await c.waitFor((e) => e.type === 'assigned')).agent as { id: string }).id;

t.test(
  'ROUTE-2: round robin hands conversations out in turn, in the order agents came online, skipping busy agents',
  async (t) => {
    const s = await startTestServer(t);
    const admin = await s.staff('admin');
    const alice = await s.staff('alice');
    const carol = await s.staff('carol');
    // Online order: carol, alice, admin.
    await carol.ok({ type: 'status', status: 'online' });
    await alice.ok({ type: 'status', status: 'online' });
    await admin.ok({ type: 'status', status: 'online' });
    const order: string[] = [];
    for (let i = 0; i < 6; i++)
      order.push(await assignedTo((await openConversation(s, { department: 'pre-sales' })).v));
    t.same(order, ['carol', 'alice', 'admin', 'carol', 'alice', 'admin']);

    await alice.ok({ type: 'status', status: 'busy' });
    const next: string[] = [];
    for (let i = 0; i < 4; i++) next.push(await assignedTo((await openConversation(s, { department: 'pre-sales' })).v));
    t.same(next, ['carol', 'admin', 'carol', 'admin'], 'a busy agent is skipped');
  },
);

t.test('ROUTE-11: capacity is never exceeded when two departments offer to the same agent at once', async (t) => {
  const s = await startTestServer(t);
  const carol = await onlineAgent(s, 'carol'); // member of pre-sales and after-sales, capacity 5
  const started = await Promise.all(
    Array.from({ length: 12 }, (_, i) => openConversation(s, { department: i % 2 ? 'pre-sales' : 'after-sales' })),
  );
  const outcomes = await Promise.all(
    started.map(({ v }) => v.waitFor((e) => e.type === 'assigned' || e.type === 'queued')),
  );
  const assigned = outcomes.filter((e) => e.type === 'assigned');
  t.equal(assigned.length, 5, 'exactly the agent capacity is assigned');
  t.equal(outcomes.filter((e) => e.type === 'queued').length, 7, 'the rest wait');
  const status = await carol.ok({ type: 'status', status: 'online' });
  t.match(status, { status: 'online', active: 5, max: 5 });
  t.same(
    (status.conversations as string[]).sort(),
    started
      .filter((_, i) => outcomes[i]!.type === 'assigned')
      .map((c) => c.conversationId)
      .sort(),
    'the agent can list the conversations it serves (to resume after a reload)',
  );
});

t.test(
  'QUEUE-3 ROUTE-11: when an agent resolves a conversation, the head of the queue is assigned at once, in arrival order',
  async (t) => {
    const s = await startTestServer(t);
    const bob = await onlineAgent(s, 'bob');
    const first = await Promise.all(
      Array.from({ length: 5 }, (_, _i) => openConversation(s, { department: 'after-sales' })),
    );
    for (const f of first) t.equal(await assignedTo(f.v), 'bob');
    const waiting: OpenConversation[] = [];
    for (let i = 0; i < 3; i++) {
      const w = await openConversation(s, { department: 'after-sales' });
      await w.v.waitFor((e) => e.type === 'queued');
      waiting.push(w);
    }
    const positions = await Promise.all(waiting.map((w) => w.v.waitFor((e) => e.type === 'queue_position')));
    t.same(
      positions.map((p) => p.position),
      [1, 2, 3],
      'each customer sees their position (QUEUE-1)',
    );

    await bob.ok({ type: 'resolve', conversationId: first[0]!.conversationId, summary: 'done' });
    t.equal(await assignedTo(waiting[0]!.v), 'bob', 'the head of the queue gets the freed slot');
    const moved = await waiting[1]!.v.waitFor((e) => e.type === 'queue_position' && e.position === 1);
    t.equal(moved.position, 1, 'the others move up');
    t.notOk(
      waiting[2]!.v.events.some((e) => e.type === 'assigned'),
      'nobody else is assigned',
    );

    await bob.ok({ type: 'resolve', conversationId: first[1]!.conversationId });
    t.equal(await assignedTo(waiting[1]!.v), 'bob');
    const again = await bob.command({ type: 'resolve', conversationId: first[1]!.conversationId });
    t.equal(again.code, 'conflict', 'a resolved conversation cannot be resolved twice');
    const resolved = await first[0]!.v.waitFor((e) => e.type === 'resolved');
    t.equal(resolved.summary, 'done');
    const late = await bob.command({
      type: 'send',
      conversationId: first[1]!.conversationId,
      clientMsgId: 'late',
      text: 'anything else?',
    });
    t.equal(
      late.code,
      'conflict',
      'staff cannot write to a resolved conversation (only the customer reopens it, XFER-7)',
    );
  },
);

t.test('QUEUE-1: a visitor with an open conversation gets the same one back from start', async (t) => {
  const s = await startTestServer(t);
  const a = await openConversation(s, { department: 'pre-sales' });
  const again = await a.v.ok({ type: 'start', department: 'pre-sales' });
  t.same(again, { conversationId: a.conversationId, created: false });
  const withText = await a.v.ok({
    type: 'start',
    department: 'pre-sales',
    text: 'still there?',
    clientMsgId: 'again-1',
  });
  t.match(
    withText,
    { conversationId: a.conversationId, created: false, seq: Number },
    'text sent with a repeated start is stored in the open conversation',
  );
  const stored = await a.v.waitFor((e) => e.type === 'message' && e.clientMsgId === 'again-1');
  t.equal(stored.text, 'still there?');
  const other = await s.visitor();
  const hello = await other.ok({ type: 'hello', visitorId: a.visitorId });
  t.same(
    hello,
    { visitorId: a.visitorId, conversationId: a.conversationId },
    'a second tab learns the open conversation from hello',
  );
  const stranger = await s.visitor();
  await stranger.ok({ type: 'hello' });
  const unknown = await stranger.command({ type: 'start', department: 'no-such-department' });
  t.match(unknown, { type: 'error', code: 'not_found', field: 'department' }, 'an unknown department is refused');
});

t.test('QUEUE-1: a waiting customer who reconnects and resumes is told their position again', async (t) => {
  const s = await startTestServer(t);
  const first = await openConversation(s, { department: 'after-sales' });
  const second = await openConversation(s, { department: 'after-sales' });
  await second.v.waitFor((e) => e.type === 'queue_position' && e.position === 2);
  second.v.ws.terminate();
  const back = await s.visitor();
  await back.ok({ type: 'hello', visitorId: second.visitorId });
  const r = await back.ok({ type: 'resume', conversationId: second.conversationId, lastSeq: 0 });
  t.equal(r.status, 'queued');
  const pos = await back.waitFor((e) => e.type === 'queue_position');
  t.match(pos, { conversationId: second.conversationId, position: 2 });
  t.type(pos.estimatedWaitSeconds, 'number');
  await first.v.close();
});

t.test(
  'QUEUE-5: a customer who leaves while queued is removed and counted as abandoned; leaving an assigned chat frees the slot',
  async (t) => {
    const s = await startTestServer(t);
    const first = await openConversation(s, { department: 'after-sales' });
    const second = await openConversation(s, { department: 'after-sales' });
    await second.v.waitFor((e) => e.type === 'queue_position' && e.position === 2);
    const left = await first.v.ok({ type: 'leave', conversationId: first.conversationId });
    t.match(left, { conversationId: first.conversationId, reason: 'abandoned' });
    t.match(await first.v.waitFor((e) => e.type === 'resolved'), { reason: 'abandoned', by: { role: 'visitor' } });
    await second.v.waitFor((e) => e.type === 'queue_position' && e.position === 1);
    t.pass('the one behind moves up');
    t.equal(
      (await first.v.command({ type: 'leave', conversationId: first.conversationId })).code,
      'conflict',
      'leaving twice',
    );
    t.equal(
      (await first.v.command({ type: 'leave', conversationId: second.conversationId })).code,
      'not_found',
      "nobody leaves another visitor's conversation",
    );

    const bob = await onlineAgent(s, 'bob');
    t.equal(
      ((await second.v.waitFor((e) => e.type === 'assigned')).agent as { id: string }).id,
      'bob',
      'the remaining customer is served',
    );
    await new Promise((r) => setTimeout(r, 50));
    t.same(
      (await bob.ok({ type: 'status', status: 'online' })).conversations,
      [second.conversationId],
      'the abandoned one was never assigned',
    );

    const ended = await second.v.ok({ type: 'leave', conversationId: second.conversationId });
    t.equal(ended.reason, 'left', 'leaving a chat an agent serves ends it');
    t.match(await bob.waitFor((e) => e.type === 'resolved' && e.conversationId === second.conversationId), {
      reason: 'left',
    });
    t.same((await bob.ok({ type: 'status', status: 'online' })).conversations, [], "the agent's slot is free again");
  },
);

t.test('ROUTE-12: an agent claims a waiting conversation of their department; capacity still rules', async (t) => {
  const s = await startTestServer(t);
  const first = await openConversation(s, { department: 'after-sales' });
  const second = await openConversation(s, { department: 'after-sales' });
  await second.v.waitFor((e) => e.type === 'queue_position' && e.position === 2);
  const bob = await s.staff('bob'); // after-sales agent, capacity 5
  t.equal(
    (await bob.command({ type: 'claim', conversationId: second.conversationId })).code,
    'conflict',
    'an offline agent has no slot to claim with',
  );
  const alice = await onlineAgent(s, 'alice'); // pre-sales only
  t.equal(
    (await alice.command({ type: 'claim', conversationId: second.conversationId })).code,
    'not_found',
    'not a member of that department',
  );

  // Busy: no automatic assignment, but bob may pick; he takes the second customer, not the head of the queue.
  await bob.ok({ type: 'status', status: 'busy' });
  const claimed = await bob.ok({ type: 'claim', conversationId: second.conversationId });
  t.equal(claimed.conversationId, second.conversationId);
  t.match(await second.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'bob' }, policy: 'manual' });
  t.match(
    await first.v.waitFor((e) => e.type === 'queue_position' && e.position === 1),
    { position: 1 },
    'the queue closes up',
  );
  t.equal(
    (await bob.command({ type: 'claim', conversationId: second.conversationId })).code,
    'conflict',
    'an assigned conversation cannot be claimed',
  );
  t.notOk(
    first.v.events.some((e) => e.type === 'assigned'),
    'the head still waits: busy agents get nothing automatically',
  );

  // Online again: the remaining customer is assigned automatically; the queue count stayed right.
  await bob.ok({ type: 'status', status: 'online' });
  t.match(await first.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'bob' }, policy: 'round_robin' });
  t.same(
    ((await bob.ok({ type: 'status', status: 'online' })).conversations as string[]).sort(),
    [first.conversationId, second.conversationId].sort(),
  );
});

t.test(
  'ROUTE-1 ROUTE-12: with automatic assignment off, everything waits for agents to claim; the switch survives a restart and turning it on drains the queue',
  async (t) => {
    const s = await startTestServer(t, { keepData: true });
    const dataDir = s.dataDir;
    const dir = s.server.directory;
    t.match(
      await dir.deps.runtime.ask(dir.workspace, { type: 'setAutoAssign', enabled: false }),
      { autoAssign: false, keywordRules: [{ id: 'refund' }, { id: 'complaint' }, { id: 'pricing' }] },
      'other settings stay',
    );
    const bob = await onlineAgent(s, 'bob');
    const a = await openConversation(s, { department: 'after-sales' });
    await a.v.waitFor((e) => e.type === 'queued');
    t.match(
      await a.v.waitFor((e) => e.type === 'queue_position'),
      { position: 1 },
      'queued although bob is online with free slots',
    );
    t.match(await bob.ok({ type: 'claim', conversationId: a.conversationId }), { conversationId: a.conversationId });
    t.match(await a.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'bob' }, policy: 'manual' });
    const b = await openConversation(s, { department: 'after-sales' });
    await b.v.waitFor((e) => e.type === 'queued');
    await s.stop();

    const again = await startTestServer(t, { dataDir, demo: false });
    t.equal(again.server.directory.autoAssign, false, 'the setting survived the restart');
    const dir2 = again.server.directory;
    t.match(await dir2.deps.runtime.ask(dir2.workspace, { type: 'setAutoAssign', enabled: true }), {
      autoAssign: true,
    });
    // Bob is offline after the restart; the waiting conversation is assigned as soon as he comes online.
    const { TestClient } = await import('./support/client.js');
    const bob2 = await TestClient.connect(`${again.staffUrl}?token=${encodeURIComponent(s.cred('bob').token)}`);
    await bob2.ok({ type: 'status', status: 'online' });
    await bob2.waitFor((e) => e.type === 'assigned' && e.conversationId === b.conversationId);
    t.pass('switched back on: the queue drains');
    await bob2.close();
  },
);
