/**
 * Supervision, SUP-1: the live view (monitor), watching a conversation
 * silently and reading any history of one's departments, over real
 * WebSockets on the virtual clock. Demo workspace and conventions as in
 * supervision.test.ts.
 */
import t from 'tap';
import { startTestServer, type TestOwner, type TestServer } from './support/server.js';
import { openConversation, onlineAgent } from './support/conversations.js';
import type { TestClient } from './support/client.js';
import { VirtualClock } from '../actors/clock.js';
import {
  pause,
  createStaff,
  connectStaff,
  type Summary,
  listed,
  updateOf,
  updatesOf,
  assignedIn,
  messageWith,
} from './support/supervision.js';

// ---------------------------------------------------------------- SUP-1

/** Alice online; a pre-sales conversation assigned to her (`a`) and an after-sales one waiting (`b`). */
async function liveViewServer(t: TestOwner) {
  const s = await startTestServer(t, { clock: new VirtualClock() });
  const alice = await onlineAgent(s, 'alice');
  const a = await openConversation(s, { department: 'pre-sales', text: 'a question about prices of plan A' });
  await a.v.waitFor(assignedIn(a.conversationId, 'alice'));
  const b = await openConversation(s, { department: 'after-sales', text: 'my parcel is late' });
  await b.v.waitFor((e) => e.type === 'queued');
  return { s, alice, a, b };
}

/** Sam: a supervisor of after-sales only. */
async function sam(t: TestOwner, s: TestServer): Promise<TestClient> {
  const token = await createStaff(s, { id: 'sam', name: 'Sam', role: 'supervisor', departments: ['after-sales'] });
  const client = await connectStaff(s, token);
  t.teardown(() => client.close());
  return client;
}

t.test("SUP-1: a supervisor's live view starts with the open conversations of their departments", async (t) => {
  const { s, a, b } = await liveViewServer(t);
  const carol = await s.staff('carol');
  const first = listed(await carol.ok({ type: 'monitor' }));
  t.match(
    first.find((c) => c.conversationId === a.conversationId),
    { department: 'pre-sales', status: 'assigned', agentId: 'alice', visitorId: a.visitorId },
    'the ack lists the pre-sales conversation, assigned to alice',
  );
  t.match(
    first.find((c) => c.conversationId === b.conversationId),
    { department: 'after-sales', status: 'queued' },
    'and the waiting after-sales one',
  );
  t.equal(first.length, 2, 'only open conversations, nothing else');
});

t.test(
  'SUP-1: the live view streams each change of a conversation (created, assigned, resolved), not its messages',
  async (t) => {
    const { s, alice } = await liveViewServer(t);
    const carol = await s.staff('carol');
    await carol.ok({ type: 'monitor' });
    const c = await openConversation(s, { department: 'pre-sales', text: 'hello' });
    const created = await carol.waitFor(updateOf(c.conversationId, 'created'));
    t.match(
      created.conversation,
      { conversationId: c.conversationId, department: 'pre-sales', visitorId: c.visitorId },
      'carol sees the new conversation at once',
    );
    t.match(
      (await carol.waitFor(updateOf(c.conversationId, 'assigned'))).conversation,
      { status: 'assigned', agentId: 'alice' },
      'then its assignment',
    );
    await alice.waitFor(assignedIn(c.conversationId));
    await alice.ok({ type: 'resolve', conversationId: c.conversationId });
    t.match(
      (await carol.waitFor(updateOf(c.conversationId, 'resolved'))).conversation,
      { status: 'resolved' },
      'then its resolve',
    );
    t.notOk(
      carol.events.some((e) => e.type === 'conversation_update' && e.event === 'message'),
      'messages are not updates of the view',
    );
  },
);

t.test("SUP-1: another department's supervisor sees none of its conversations and cannot ask for them", async (t) => {
  const { s, b } = await liveViewServer(t);
  const after = await sam(t, s);
  t.same(
    listed(await after.ok({ type: 'monitor' })).map((c) => c.conversationId),
    [b.conversationId],
    'a supervisor of after-sales only sees after-sales',
  );
  t.match(
    await after.command({ type: 'monitor', departments: ['pre-sales'] }),
    { type: 'error', code: 'not_found', field: 'departments.0' },
    'and cannot ask for pre-sales',
  );
  t.match(await after.command({ type: 'monitor', departments: ['after-sales', 'no-such-dept'] }), {
    type: 'error',
    code: 'not_found',
    field: 'departments.1',
  });

  const c = await openConversation(s, { department: 'pre-sales', text: 'hello' });
  const d = await openConversation(s, { department: 'after-sales', text: 'broken screen' });
  t.match(
    (await after.waitFor(updateOf(d.conversationId, 'created'))).conversation,
    { department: 'after-sales' },
    'sam sees his department live',
  );
  await pause();
  t.equal(updatesOf(after, c.conversationId).length, 0, 'sam got no update of the pre-sales conversation');
  t.notOk(
    after.events.some(
      (e) => e.type === 'conversation_update' && (e.conversation as Summary).department === 'pre-sales',
    ),
    'nor of any pre-sales one',
  );
});

t.test('SUP-1: agents have no live view', async (t) => {
  const { s, alice } = await liveViewServer(t);
  t.match(await alice.command({ type: 'monitor' }), { type: 'error', code: 'forbidden' }, 'monitor is refused');
  await openConversation(s, { department: 'pre-sales', text: 'hello' });
  await pause();
  t.equal(alice.events.filter((e) => e.type === 'conversation_update').length, 0, 'the refused agent gets nothing');
});

t.test('SUP-1: an admin sees and follows every department', async (t) => {
  const { s, a, b } = await liveViewServer(t);
  const admin = await s.staff('admin');
  t.same(
    listed(await admin.ok({ type: 'monitor' }))
      .map((c) => c.conversationId)
      .sort(),
    [a.conversationId, b.conversationId].sort(),
    'the ack lists every department',
  );
  const c = await openConversation(s, { department: 'pre-sales', text: 'hello' });
  const d = await openConversation(s, { department: 'after-sales', text: 'broken screen' });
  await admin.waitFor(updateOf(c.conversationId, 'created'));
  await admin.waitFor(updateOf(d.conversationId, 'created'));
  t.pass('the admin follows both departments live');
});

t.test('SUP-1: unmonitor ends the stream; a second one has nothing to stop', async (t) => {
  const { s } = await liveViewServer(t);
  const carol = await s.staff('carol');
  const admin = await s.staff('admin');
  await carol.ok({ type: 'monitor' });
  await admin.ok({ type: 'monitor' });
  t.same(await carol.ok({ type: 'unmonitor' }), { watching: true });
  const e = await openConversation(s, { department: 'pre-sales', text: 'one more' });
  await admin.waitFor(updateOf(e.conversationId, 'created'));
  await pause();
  t.equal(updatesOf(carol, e.conversationId).length, 0, 'after unmonitor carol hears nothing more');
  t.same(await carol.ok({ type: 'unmonitor' }), { watching: false }, 'a second unmonitor has nothing to stop');
});

t.test(
  'SUP-1: a supervisor watches a conversation silently: resume gives its messages live, she cannot write, and the customer receives nothing about her',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = await onlineAgent(s, 'alice');
    const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'hi, I want a quote' });
    await v.waitFor(assignedIn(conversationId, 'alice'));
    await v.waitFor((e) => e.type === 'message' && e.auto === 'agent_joined');
    await alice.waitFor(assignedIn(conversationId));
    await pause();
    const visitorEventsBefore = v.events.length;

    const carol = await s.staff('carol');
    const r = await carol.ok({ type: 'resume', conversationId, lastSeq: 0 });
    t.match(
      r,
      { conversationId, status: 'assigned', more: false },
      'carol may resume a conversation of her department',
    );
    t.ok(carol.events.some(messageWith('hi, I want a quote')), 'she gets what was said so far');

    await v.ok({ type: 'send', conversationId, clientMsgId: 'v2', text: 'for 20 seats' });
    t.match(
      await carol.waitFor(messageWith('for 20 seats')),
      { from: { role: 'visitor' } },
      "the customer's messages reach her live",
    );
    await alice.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: 'Sure, one moment' });
    t.match(
      await carol.waitFor(messageWith('Sure, one moment')),
      { from: { role: 'agent', id: 'alice' } },
      "and the agent's",
    );
    t.match(
      await carol.command({ type: 'send', conversationId, clientMsgId: 'c1', text: 'psst' }),
      { type: 'error', code: 'forbidden' },
      'a silent watcher does not write',
    );

    await v.waitFor(messageWith('Sure, one moment'));
    await pause();
    const seen = v.events.slice(visitorEventsBefore);
    t.same(
      seen.map((e) => e.type),
      ['message', 'message'],
      'after carol started watching, the customer got exactly the two chat messages',
    );
    t.notOk(
      v.events.some((e) => e.type === 'joined'),
      'no joined event',
    );
    t.notOk(/carol/i.test(JSON.stringify(v.events)), 'nothing the customer received names carol');
    t.notOk(carol.events.some(messageWith('psst')), 'the refused message was not stored');
  },
);

t.test(
  'SUP-1 SUP-5: a supervisor following a conversation stops receiving its messages and notes once it moves to a department she does not lead',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const bob = await onlineAgent(s, 'bob');
    const alice = await onlineAgent(s, 'alice');
    const samToken = await createStaff(s, { id: 'sam', name: 'Sam', role: 'supervisor', departments: ['after-sales'] });
    const sam = await connectStaff(s, samToken);
    t.teardown(() => sam.close());
    const carol = await s.staff('carol');
    const { v, conversationId } = await openConversation(s, { department: 'after-sales', text: 'my parcel is late' });
    await bob.waitFor(assignedIn(conversationId, 'bob'));
    await sam.ok({ type: 'resume', conversationId, lastSeq: 0 });
    await carol.ok({ type: 'resume', conversationId, lastSeq: 0 });
    await v.ok({ type: 'send', conversationId, clientMsgId: 'v1', text: 'before the move' });
    await sam.waitFor(messageWith('before the move'));
    t.pass('sam follows the after-sales conversation');

    await sam.ok({
      type: 'transfer',
      conversationId,
      to: { department: 'pre-sales' },
      note: 'a question about a new order',
    });
    await alice.waitFor(assignedIn(conversationId, 'alice'));
    await v.ok({ type: 'send', conversationId, clientMsgId: 'v2', text: 'pre-sales talk' });
    await alice.ok({ type: 'note', conversationId, text: 'NOTE pre-sales only' });
    await carol.waitFor((e) => e.type === 'note' && e.conversationId === conversationId);
    await carol.waitFor(messageWith('pre-sales talk'));
    t.pass('carol, who leads pre-sales too, still follows it');
    await pause();
    t.match(
      await sam.command({ type: 'resume', conversationId, lastSeq: 0 }),
      { type: 'error', code: 'not_found' },
      'sam may no longer read it',
    );
    t.notOk(sam.events.some(messageWith('pre-sales talk')), 'so he receives none of its later messages');
    t.notOk(
      sam.events.some((e) => e.type === 'note'),
      'nor its internal notes',
    );
  },
);

t.test(
  'SUP-1: a supervisor reads any history of her departments from seq 0; an agent or supervisor of another department gets not_found for resume, explain and notes',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = await onlineAgent(s, 'alice');
    const bob = await s.staff('bob');
    const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'first' });
    await alice.waitFor(assignedIn(conversationId));
    for (let i = 0; i < 5; i++) {
      await v.ok({ type: 'send', conversationId, clientMsgId: `v${i}`, text: `visitor line ${i}` });
      await alice.ok({ type: 'send', conversationId, clientMsgId: `a${i}`, text: `agent line ${i}` });
    }
    await alice.ok({ type: 'resolve', conversationId, summary: 'answered' });
    await v.waitFor((e) => e.type === 'resolved');
    await pause();
    const visitorSeqs = v.conversationEvents(conversationId).map((e) => e.seq as number);

    const carol = await s.staff('carol');
    const r = await carol.resumeAll(conversationId, 0);
    t.match(r, { conversationId, status: 'resolved' }, 'a resolved conversation is readable');
    const history = carol.conversationEvents(conversationId);
    const seqs = history.map((e) => e.seq as number);
    t.same(
      seqs,
      Array.from({ length: seqs.length }, (_, i) => i + 1),
      'every event from seq 1, gap-free',
    );
    t.equal(seqs.at(-1), r.lastSeq, 'up to the last one');
    t.same(seqs, visitorSeqs, 'the same events the customer saw live');
    t.equal(history.filter((e) => e.type === 'message' && (e.text as string).startsWith('visitor line')).length, 5);
    t.equal(history.filter((e) => e.type === 'message' && (e.text as string).startsWith('agent line')).length, 5);
    t.ok(
      history.some((e) => e.type === 'resolved'),
      'including the resolve',
    );
    const admin = await s.staff('admin');
    t.match(
      await admin.ok({ type: 'resume', conversationId, lastSeq: 0 }),
      { conversationId },
      'an admin reads it too',
    );

    t.match(
      await bob.command({ type: 'resume', conversationId, lastSeq: 0 }),
      { type: 'error', code: 'not_found', field: 'conversationId' },
      'an after-sales agent cannot resume a pre-sales conversation',
    );
    t.match(
      await bob.command({ type: 'explain', conversationId }),
      { type: 'error', code: 'not_found' },
      'nor explain it',
    );
    t.match(
      await bob.command({ type: 'notes', conversationId }),
      { type: 'error', code: 'not_found' },
      'nor read its notes',
    );
    t.match(
      await bob.command({ type: 'transfers', conversationId }),
      { type: 'error', code: 'not_found' },
      'nor its transfers',
    );
    t.notOk(
      bob.events.some((e) => e.conversationId === conversationId),
      'and received none of its events',
    );

    const samToken = await createStaff(s, { id: 'sam', name: 'Sam', role: 'supervisor', departments: ['after-sales'] });
    const sam = await connectStaff(s, samToken);
    t.teardown(() => sam.close());
    t.match(
      await sam.command({ type: 'resume', conversationId, lastSeq: 0 }),
      { type: 'error', code: 'not_found' },
      'a supervisor of another department cannot read it either',
    );
    t.match(await sam.command({ type: 'notes', conversationId }), { type: 'error', code: 'not_found' });
  },
);
