/**
 * Supervision (SUP-1..5) over real WebSockets on the virtual clock: the live
 * view, reading any history and watching silently, force-join, take-over,
 * re-assignment, loans, and internal notes that never reach the customer.
 *
 * Demo workspace: alice (agent, pre-sales), bob (agent, after-sales), carol
 * (supervisor of both), admin. Supervisors and admins have agent actors too,
 * so they stay offline here unless a test says otherwise: routing then only
 * picks the agents the test put online.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { startTestServer, tempDataDir, type TestOwner, type TestServer } from './support/server.js';
import { openConversation, onlineAgent } from './support/conversations.js';
import { TestClient, type Frame } from './support/client.js';
import { agentOf, onlineNewAgent } from './support/routing.js';
import { VirtualClock } from '../actors/clock.js';
import { createStaffWithToken } from './support/staff.js';
import { Keys, type StaffRole } from '../actors/records.js';

/** Real time for frames in flight to arrive; virtual time does not move. */
const pause = (ms = 80) => new Promise((r) => setTimeout(r, ms));

/** Creates a staff member of any role through the workspace actor; returns their sign-in token. */
async function createStaff(
  s: TestServer,
  staff: { id: string; name: string; role: StaffRole; departments: string[] },
): Promise<string> {
  return createStaffWithToken(s.server.directory, staff);
}

const connectStaff = (s: TestServer, token: string) =>
  TestClient.connect(`${s.staffUrl}?token=${encodeURIComponent(token)}`);

/** A server whose data directory outlives it: `restart` starts another on the same data, at the same virtual time. */
async function restartableServer() {
  const dataDir = tempDataDir();
  let clock = new VirtualClock();
  let server = await startTestServer({ clock, dataDir, keepData: true });
  let running = true;
  return {
    get s(): TestServer {
      return server;
    },
    get clock(): VirtualClock {
      return clock;
    },
    async restart(): Promise<void> {
      running = false;
      await server.stop();
      clock = new VirtualClock(clock.now());
      server = await startTestServer({ clock, dataDir, keepData: true });
      running = true;
    },
    async dispose(): Promise<void> {
      if (running) await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Summary = { conversationId: string; department: string; status: string; visitorId: string; agentId?: string };
const listed = (r: Record<string, unknown>): Summary[] => r.conversations as Summary[];
const updateOf = (conversationId: string, event?: string) => (e: Frame) =>
  e.type === 'conversation_update' &&
  (e.conversation as Summary).conversationId === conversationId &&
  (event === undefined || e.event === event);
const updatesOf = (c: TestClient, conversationId: string): Frame[] => c.events.filter(updateOf(conversationId));
const assignedIn = (conversationId: string, agentId?: string) => (e: Frame) =>
  e.type === 'assigned' && e.conversationId === conversationId && (agentId === undefined || agentOf(e) === agentId);
const resolvedIn = (conversationId: string) => (e: Frame) =>
  e.type === 'resolved' && e.conversationId === conversationId;
const messageWith = (text: string) => (e: Frame) => e.type === 'message' && e.text === text;
/** The agent_status frames a client received after the event at `index`. */
const statusAfter = (c: TestClient, index: number) => (e: Frame) =>
  e.type === 'agent_status' && c.events.indexOf(e) > index;

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

// ---------------------------------------------------------------- SUP-2

t.test(
  'SUP-2: a supervisor force-joins: the customer sees her join and her messages; part ends it; agents cannot join',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = await onlineAgent(s, 'alice');
    const bob = await s.staff('bob');
    const { v, conversationId } = await openConversation(s, {
      department: 'pre-sales',
      text: 'I am not happy with the offer',
    });
    await alice.waitFor(assignedIn(conversationId));

    t.match(
      await alice.command({ type: 'join', conversationId }),
      { type: 'error', code: 'forbidden' },
      'the serving agent cannot force-join',
    );
    t.match(
      await bob.command({ type: 'join', conversationId }),
      { type: 'error', code: 'forbidden', message: /role \(agent\)/ },
      'ROLE-4: an agent of another department is refused by role, which tells nothing of the conversation',
    );

    const carol = await s.staff('carol');
    const joined = await carol.ok({ type: 'join', conversationId });
    t.match(joined, { conversationId, seq: Number }, 'carol joins');
    t.match(
      await v.waitFor((e) => e.type === 'joined'),
      { conversationId, seq: joined.seq, staff: { id: 'carol', name: 'Carol', role: 'supervisor' } },
      'the customer sees carol join',
    );
    t.match(
      await v.waitFor((e) => e.type === 'message' && e.auto === 'agent_joined' && (e.text as string).includes('Carol')),
      { from: { role: 'system' }, text: 'Carol has joined the conversation.' },
      'and an automatic message names her',
    );
    t.match(await alice.waitFor((e) => e.type === 'joined'), { staff: { id: 'carol' } }, 'the agent sees it too');
    t.match(
      await carol.command({ type: 'join', conversationId }),
      { type: 'error', code: 'conflict' },
      'joining twice is a conflict',
    );

    await carol.ok({ type: 'send', conversationId, clientMsgId: 'c1', text: 'Hello, I am the team lead' });
    t.match(
      await v.waitFor(messageWith('Hello, I am the team lead')),
      { from: { role: 'agent', id: 'carol' } },
      "the customer receives carol's message",
    );
    await v.ok({ type: 'send', conversationId, clientMsgId: 'v2', text: 'thanks for stepping in' });
    await carol.waitFor(messageWith('thanks for stepping in'));
    t.pass("carol receives the customer's messages live");
    await alice.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: 'still here' });
    await v.waitFor(messageWith('still here'));
    t.pass('alice keeps serving it alongside');

    const parted = await carol.ok({ type: 'part', conversationId });
    t.match(
      await v.waitFor((e) => e.type === 'parted'),
      { seq: parted.seq, staff: { id: 'carol' } },
      'the customer sees carol leave',
    );
    t.match(
      await carol.command({ type: 'send', conversationId, clientMsgId: 'c2', text: 'one more thing' }),
      { type: 'error', code: 'forbidden' },
      'after part carol no longer writes',
    );
    t.match(
      await carol.command({ type: 'part', conversationId }),
      { type: 'error', code: 'conflict' },
      'parting twice is a conflict',
    );
    t.match(
      await alice.command({ type: 'part', conversationId }),
      { type: 'error', code: 'forbidden' },
      'ROLE-4: agents neither join nor part',
    );
    await pause();
    t.notOk(v.events.some(messageWith('one more thing')), 'the refused message never reached the customer');
    t.ok(
      await alice.ok({ type: 'send', conversationId, clientMsgId: 'a2', text: 'anything else?' }),
      'alice still serves it',
    );
  },
);

t.test(
  "SUP-2: resolving ends a joined supervisor's part: part after resolve is a conflict and stores nothing",
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock(), autoMessages: false });
    const alice = await onlineAgent(s, 'alice');
    const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'hello' });
    await alice.waitFor(assignedIn(conversationId));
    const carol = await s.staff('carol');
    await carol.ok({ type: 'join', conversationId });
    const resolved = await alice.ok({ type: 'resolve', conversationId });
    t.match(
      await carol.command({ type: 'part', conversationId }),
      { type: 'error', code: 'conflict' },
      'nothing to part from',
    );
    const history = await carol.resumeAll(conversationId, 0);
    t.equal(history.lastSeq, resolved.seq, 'no event after the resolve');
    await pause();
    t.notOk(
      v.events.some((e) => e.type === 'parted'),
      'the customer sees no part',
    );
  },
);

t.test('SUP-2 CONV-4: with automatic messages off, a join sends the joined event and no system message', async (t) => {
  const s = await startTestServer(t, { clock: new VirtualClock(), autoMessages: false });
  const alice = await onlineAgent(s, 'alice');
  const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'hello' });
  await alice.waitFor(assignedIn(conversationId));
  const admin = await s.staff('admin');
  await admin.ok({ type: 'join', conversationId });
  t.match(
    await v.waitFor((e) => e.type === 'joined'),
    { staff: { id: 'admin', role: 'admin' } },
    'an admin joins any conversation',
  );
  await pause();
  t.notOk(
    v.events.some(
      (e) => e.type === 'message' && e.from !== undefined && (e.from as { role: string }).role === 'system',
    ),
    'no system message',
  );
});

// ---------------------------------------------------------------- SUP-3

t.test(
  "SUP-3: a supervisor takes over: the agent is told, loses the conversation and its slot; the customer sees the new assignment; it is listed as the supervisor's",
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = await onlineAgent(s, 'alice');
    const bob = await s.staff('bob');
    const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'I want to cancel' });
    await alice.waitFor(assignedIn(conversationId));
    const loaded = await alice.waitFor((e) => e.type === 'agent_status' && e.active === 1);
    const loadedAt = alice.events.indexOf(loaded);

    t.match(
      await alice.command({ type: 'takeover', conversationId }),
      { type: 'error', code: 'forbidden' },
      'agents cannot take over',
    );
    t.match(await bob.command({ type: 'takeover', conversationId }), { type: 'error', code: 'forbidden' });

    const carol = await s.staff('carol');
    const r = await carol.ok({ type: 'takeover', conversationId });
    t.match(
      r,
      { conversationId, agentId: 'carol', seq: Number },
      'carol takes it over (whatever her status: she is offline)',
    );
    const notice = await alice.waitFor((e) => e.type === 'notice' && e.code === 'taken_over');
    t.match(notice, { conversationId, message: /Carol/ }, 'alice is told, by whom');
    t.match(
      await alice.waitFor(statusAfter(alice, loadedAt)),
      { agentId: 'alice', active: 0 },
      "alice's slot is given back",
    );
    const refused = await alice.command({
      type: 'send',
      conversationId,
      clientMsgId: 'a1',
      text: 'wait, I am still here',
    });
    t.ok(
      refused.type === 'error' && (refused.code === 'forbidden' || refused.code === 'not_found'),
      `alice can no longer write (${String(refused.code)})`,
    );
    t.same((await alice.ok({ type: 'status', status: 'online' })).conversations, [], 'nor is it listed as hers');

    t.match(
      await v.waitFor(assignedIn(conversationId, 'carol')),
      { seq: r.seq, policy: 'takeover', agent: { id: 'carol', name: 'Carol' } },
      'the customer sees the new assignment',
    );
    t.match(await carol.waitFor(assignedIn(conversationId, 'carol')), { seq: r.seq }, 'carol gets the assignment live');
    await v.ok({ type: 'send', conversationId, clientMsgId: 'v2', text: 'hello?' });
    await carol.waitFor(messageWith('hello?'));
    t.pass("and the customer's messages");
    await carol.ok({ type: 'send', conversationId, clientMsgId: 'c1', text: 'Carol here, I will handle this' });
    await v.waitFor(messageWith('Carol here, I will handle this'));
    await pause();
    t.notOk(alice.events.some(messageWith('hello?')), 'alice no longer follows it');
    t.notOk(v.events.some(messageWith('wait, I am still here')), "alice's refused message never reached the customer");

    // Listed as carol's: at sign-in, and in the live view.
    const carol2 = await TestClient.connect(s.staffUrl);
    t.teardown(() => carol2.close());
    const signin = await carol2.ok({
      type: 'signin',
      email: s.cred('carol').email,
      password: s.cred('carol').password,
    });
    t.same(signin.conversations, [conversationId], 'a fresh sign-in of carol lists it as hers');
    t.match(
      listed(await carol.ok({ type: 'monitor' })).find((c) => c.conversationId === conversationId),
      { status: 'assigned', agentId: 'carol' },
    );
    t.match(
      await carol.command({ type: 'takeover', conversationId }),
      { type: 'error', code: 'conflict' },
      "taking over one's own conversation is a conflict",
    );
    await carol.ok({ type: 'resolve', conversationId });
    t.match(await v.waitFor((e) => e.type === 'resolved'), { by: { id: 'carol' } }, 'carol can resolve it');
  },
);

t.test(
  'SUP-3: taking over a conversation still waiting in the queue takes it out of the queue; nobody else is given it later',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = await onlineAgent(s, 'alice');
    await alice.ok({ type: 'status', status: 'busy' });
    const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'is anyone there?' });
    await v.waitFor((e) => e.type === 'queued');
    const carol = await s.staff('carol');
    t.same(
      ((await carol.ok({ type: 'queue', department: 'pre-sales' })).waiting as { conversationId: string }[]).map(
        (w) => w.conversationId,
      ),
      [conversationId],
      'it waits in the queue',
    );

    t.match(await carol.ok({ type: 'takeover', conversationId }), { conversationId, agentId: 'carol' });
    t.match(
      await v.waitFor(assignedIn(conversationId, 'carol')),
      { policy: 'takeover' },
      'the customer is assigned to carol',
    );
    await pause();
    t.same((await carol.ok({ type: 'queue', department: 'pre-sales' })).waiting, [], 'the queue is empty');
    await alice.ok({ type: 'status', status: 'online' });
    await pause(150);
    t.equal(v.events.filter((e) => e.type === 'assigned').length, 1, 'alice coming online is not given it');
    t.notOk(alice.events.some(assignedIn(conversationId)), 'alice never sees it assigned');
    t.notOk(
      alice.events.some((e) => e.type === 'notice'),
      'and is told nothing: it was never hers',
    );
  },
);

// ---------------------------------------------------------------- SUP-4

t.test(
  "SUP-4: a supervisor re-assigns an agent's conversation to a colleague or to a department; the agent is told reassigned",
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = await onlineAgent(s, 'alice');
    const bob = await s.staff('bob');
    const one = await openConversation(s, { department: 'pre-sales', text: 'question one' });
    await alice.waitFor(assignedIn(one.conversationId));
    const two = await openConversation(s, { department: 'pre-sales', text: 'question two' });
    await alice.waitFor(assignedIn(two.conversationId));
    const dave = await onlineNewAgent(s, { id: 'dave', name: 'Dave', departments: ['pre-sales'] });
    t.teardown(() => dave.close());
    await bob.ok({ type: 'status', status: 'online' });

    t.match(
      await bob.command({
        type: 'transfer',
        conversationId: one.conversationId,
        to: { agentId: 'dave' },
        note: 'mine now',
      }),
      { type: 'error', code: 'not_found' },
      'an agent of another department cannot touch it',
    );
    const carol = await s.staff('carol');
    const r = await carol.ok({
      type: 'transfer',
      conversationId: one.conversationId,
      to: { agentId: 'dave' },
      note: 'Dave knows this product best',
    });
    t.match(
      r,
      { conversationId: one.conversationId, agentId: 'dave', department: 'pre-sales', n: 0 },
      "carol gives alice's conversation to dave",
    );
    t.match(
      await alice.waitFor(
        (e) => e.type === 'notice' && e.code === 'reassigned' && e.conversationId === one.conversationId,
      ),
      { message: /Carol/ },
      'alice is told it was reassigned',
    );
    t.match(
      await one.v.waitFor(assignedIn(one.conversationId, 'dave')),
      { agent: { name: 'Dave' } },
      'the customer sees dave take over',
    );
    t.match(
      await dave.waitFor((e) => e.type === 'handover' && e.conversationId === one.conversationId),
      {
        transfer: {
          note: 'Dave knows this product best',
          by: { id: 'carol', role: 'supervisor' },
          from: { id: 'alice' },
        },
      },
      'dave gets the handover',
    );
    await dave.waitFor(assignedIn(one.conversationId, 'dave'));
    const refused = await alice.command({
      type: 'send',
      conversationId: one.conversationId,
      clientMsgId: 'a1',
      text: 'late reply',
    });
    t.equal(refused.type, 'error', 'alice no longer writes to it');

    const d = await carol.ok({
      type: 'transfer',
      conversationId: two.conversationId,
      to: { department: 'after-sales' },
      note: 'a warranty case',
    });
    t.match(
      d,
      { conversationId: two.conversationId, department: 'after-sales' },
      'carol moves the other one to after-sales',
    );
    t.match(
      await alice.waitFor(
        (e) => e.type === 'notice' && e.code === 'reassigned' && e.conversationId === two.conversationId,
      ),
      { code: 'reassigned' },
      'alice is told again',
    );
    t.match(
      await two.v.waitFor(assignedIn(two.conversationId, 'bob')),
      { department: 'after-sales' },
      'after-sales routes it to bob',
    );
    t.same((await alice.ok({ type: 'status', status: 'online' })).conversations, [], 'alice serves neither any more');
    const chain = await carol.ok({ type: 'transfers', conversationId: two.conversationId });
    t.match(
      (chain.transfers as unknown[])[0],
      { by: { id: 'carol' }, from: { id: 'alice' }, to: { kind: 'department', department: 'after-sales' } },
      'the re-assignment is in the chain',
    );
  },
);

t.test(
  'SUP-4: a supervisor lends an agent to another department for 30 minutes: routed there meanwhile, not after; agents cannot lend',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const alice = await s.staff('alice');
    const bob = await onlineAgent(s, 'bob');

    t.match(
      await alice.command({ type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 30 }),
      { type: 'error', code: 'forbidden' },
      'an agent cannot lend',
    );
    t.match(
      await bob.command({ type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 30 }),
      { type: 'error', code: 'forbidden' },
      'not even themselves',
    );
    const carol = await s.staff('carol');
    t.match(await carol.command({ type: 'loan', agentId: 'nobody', department: 'pre-sales', minutes: 30 }), {
      type: 'error',
      code: 'not_found',
      field: 'agentId',
    });
    t.match(await carol.command({ type: 'loan', agentId: 'bob', department: 'no-such-dept', minutes: 30 }), {
      type: 'error',
      code: 'not_found',
      field: 'department',
    });
    t.match(
      await carol.command({ type: 'loan', agentId: 'bob', department: 'after-sales', minutes: 30 }),
      { type: 'error', code: 'conflict' },
      'bob is in after-sales already',
    );
    t.match(
      await carol.command({ type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 0 }),
      { type: 'error', code: 'not_found' },
      'no loan to end yet',
    );

    // Nobody of pre-sales is online: without the loan a customer is left waiting.
    const before = await openConversation(s, { department: 'pre-sales', text: 'before the loan' });
    t.match(
      await before.v.waitFor((e) => e.type === 'queued'),
      { reason: 'no_agents_online' },
      'without the loan nobody takes pre-sales',
    );

    const loan = await carol.ok({ type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 30 });
    t.same(
      loan,
      { agentId: 'bob', department: 'pre-sales', until: clock.now() + 30 * 60_000 },
      'carol lends bob to pre-sales for 30 minutes',
    );
    t.match(
      await bob.waitFor((e) => e.type === 'notice' && e.code === 'loan_started'),
      { message: /pre-sales/ },
      'bob is told',
    );
    t.match(
      await before.v.waitFor(assignedIn(before.conversationId, 'bob')),
      { department: 'pre-sales' },
      'the waiting pre-sales customer goes to bob',
    );
    const during = await openConversation(s, { department: 'pre-sales', text: 'during the loan' });
    t.match(
      await during.v.waitFor(assignedIn(during.conversationId)),
      { agent: { id: 'bob' }, department: 'pre-sales' },
      'a new pre-sales conversation is routed to bob',
    );
    await bob.ok({ type: 'resolve', conversationId: before.conversationId });
    await bob.ok({ type: 'resolve', conversationId: during.conversationId });

    await clock.advance(29 * 60_000);
    await pause();
    t.notOk(
      bob.events.some((e) => e.type === 'notice' && e.code === 'loan_ended'),
      'at 29 minutes the loan still runs',
    );
    await clock.advance(2 * 60_000);
    t.match(
      await bob.waitFor((e) => e.type === 'notice' && e.code === 'loan_ended'),
      { message: /pre-sales/ },
      'after 30 minutes bob is told the loan ended',
    );
    const after = await openConversation(s, { department: 'pre-sales', text: 'after the loan' });
    t.match(
      await after.v.waitFor((e) => e.type === 'queued'),
      { reason: 'no_agents_online' },
      'pre-sales has nobody again',
    );
    await pause();
    t.notOk(
      after.v.events.some((e) => e.type === 'assigned'),
      'the conversation is not routed to bob',
    );
    const mine = await openConversation(s, { department: 'after-sales', text: 'a warranty question' });
    t.match(
      await mine.v.waitFor(assignedIn(mine.conversationId)),
      { agent: { id: 'bob' } },
      'bob still serves his own department',
    );

    // A loan ended early with minutes: 0.
    await carol.ok({ type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 60 });
    await after.v.waitFor(assignedIn(after.conversationId, 'bob'));
    t.pass('lent again, bob takes the waiting pre-sales customer');
    t.match(
      await carol.ok({ type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 0 }),
      { agentId: 'bob', department: 'pre-sales' },
      'minutes 0 ends the loan now',
    );
    t.equal(bob.events.filter((e) => e.type === 'notice' && e.code === 'loan_ended').length, 2, 'bob is told at once');
    const late = await openConversation(s, { department: 'pre-sales', text: 'after the early end' });
    await late.v.waitFor((e) => e.type === 'queued');
    await pause();
    t.notOk(
      late.v.events.some((e) => e.type === 'assigned'),
      'no longer routed to bob',
    );

    // Lending is for supervisors of one of the agent's departments, and admins.
    const samToken = await createStaff(s, { id: 'sam', name: 'Sam', role: 'supervisor', departments: ['after-sales'] });
    const sam = await connectStaff(s, samToken);
    t.teardown(() => sam.close());
    t.match(
      await sam.command({ type: 'loan', agentId: 'alice', department: 'after-sales', minutes: 30 }),
      { type: 'error', code: 'forbidden' },
      'a supervisor of after-sales cannot lend a pre-sales agent',
    );
    const admin = await s.staff('admin');
    t.match(
      await admin.ok({ type: 'loan', agentId: 'alice', department: 'after-sales', minutes: 30 }),
      { agentId: 'alice', department: 'after-sales' },
      'an admin lends any agent',
    );
    t.match(await alice.waitFor((e) => e.type === 'notice' && e.code === 'loan_started'), { message: /after-sales/ });
  },
);

t.test('SUP-4: a loan survives a server restart and ends on time afterwards', async (t) => {
  const server = await restartableServer();
  t.teardown(() => server.dispose());
  const bobToken = server.s.cred('bob').token;
  const carol = await server.s.staff('carol');
  await carol.ok({ type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 30 });
  await server.clock.advance(10 * 60_000);
  await server.restart();

  const { s, clock: clock2 } = server;
  const bob = await connectStaff(s, bobToken);
  t.teardown(() => bob.close());
  await bob.ok({ type: 'status', status: 'online' });
  const during = await openConversation(s, { department: 'pre-sales', text: 'after the restart' });
  t.match(
    await during.v.waitFor(assignedIn(during.conversationId)),
    { agent: { id: 'bob' }, department: 'pre-sales' },
    'after the restart bob is still lent to pre-sales',
  );
  await bob.ok({ type: 'resolve', conversationId: during.conversationId });

  await clock2.advance(19 * 60_000);
  await pause();
  t.notOk(
    bob.events.some((e) => e.type === 'notice' && e.code === 'loan_ended'),
    '29 minutes after it started the loan still runs',
  );
  await clock2.advance(2 * 60_000);
  await bob.waitFor((e) => e.type === 'notice' && e.code === 'loan_ended');
  t.pass('30 minutes after it started (restart included) the loan ends');
  const after = await openConversation(s, { department: 'pre-sales', text: 'after the loan' });
  await after.v.waitFor((e) => e.type === 'queued');
  await pause();
  t.notOk(
    after.v.events.some((e) => e.type === 'assigned'),
    'no longer routed to bob',
  );
});

// ---------------------------------------------------------------- SUP-5

t.test(
  'SUP-5: internal notes reach staff following the conversation, never the customer, not even in a replay; notes lists them; they survive a restart',
  async (t) => {
    const server = await restartableServer();
    t.teardown(() => server.dispose());
    const s = server.s;
    const carolToken = s.cred('carol').token;
    const alice = await onlineAgent(s, 'alice');
    const bob = await s.staff('bob');
    const { v, conversationId, visitorId } = await openConversation(s, {
      department: 'pre-sales',
      text: 'I was promised a discount',
    });
    await alice.waitFor(assignedIn(conversationId));
    const carol = await s.staff('carol');
    await carol.ok({ type: 'resume', conversationId, lastSeq: 0 });

    const secretA = 'NOTE-ALICE customer is very upset, VIP';
    const secretC = 'NOTE-CAROL approve 10% discount if needed';
    const n1 = await alice.ok({ type: 'note', conversationId, text: secretA });
    t.match(n1, { conversationId, text: secretA, author: { id: 'alice', role: 'agent' } }, 'alice adds a note');
    const n2 = await carol.ok({ type: 'note', conversationId, text: secretC });
    t.match(
      n2,
      { conversationId, text: secretC, author: { id: 'carol', name: 'Carol', role: 'supervisor' } },
      'carol adds a note',
    );
    t.match(
      await bob.command({ type: 'note', conversationId, text: 'not mine' }),
      { type: 'error', code: 'not_found' },
      'an agent of another department cannot',
    );

    for (const [who, c] of [
      ['alice', alice],
      ['carol', carol],
    ] as const) {
      await c.waitFor((e) => e.type === 'note' && (e.note as { text: string }).text === secretC);
      const texts = c.events
        .filter((e) => e.type === 'note' && e.conversationId === conversationId)
        .map((e) => (e.note as { text: string }).text);
      t.same(texts, [secretA, secretC], `${who} receives both notes live, in order`);
    }
    await v.ok({ type: 'send', conversationId, clientMsgId: 'v2', text: 'hello?' });
    await alice.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: 'checking' });
    await v.waitFor(messageWith('checking'));
    await pause();
    t.notOk(
      v.events.some((e) => e.type === 'note'),
      'the customer never gets a note event',
    );
    t.notOk(JSON.stringify(v.events).includes('NOTE-'), "no frame the customer received holds a note's text");

    const listedNotes = await carol.ok({ type: 'notes', conversationId });
    t.same(
      (listedNotes.notes as { text: string }[]).map((n) => n.text),
      [secretA, secretC],
      'notes lists them, oldest first',
    );
    t.same(
      ((await alice.ok({ type: 'notes', conversationId })).notes as unknown[]).length,
      2,
      'the serving agent reads them too',
    );
    t.equal(
      (await v.command({ type: 'notes', conversationId })).code,
      'unknown_type',
      'the customer has no command to read notes',
    );
    t.equal(
      (await v.command({ type: 'note', conversationId, text: 'sneaky' })).code,
      'unknown_type',
      'nor to write one',
    );

    // A replay on a new connection of the customer holds no note either.
    const v2 = await s.visitor();
    await v2.ok({ type: 'hello', visitorId });
    await v2.resumeAll(conversationId, 0);
    t.ok(v2.conversationEvents(conversationId).length >= 4, "the replay has the conversation's events");
    t.notOk(JSON.stringify(v2.events).includes('NOTE-'), 'and nothing of the notes');

    await server.restart();
    const carol2 = await connectStaff(server.s, carolToken);
    t.teardown(() => carol2.close());
    const again = await carol2.ok({ type: 'notes', conversationId });
    t.same(
      (again.notes as { text: string; author: { id: string } }[]).map((n) => [n.author.id, n.text]),
      [
        ['alice', secretA],
        ['carol', secretC],
      ],
      'the notes survive a restart',
    );
    const n3 = await carol2.ok({ type: 'note', conversationId, text: 'NOTE-3 after restart' });
    t.not(n3.id, n1.id, 'a note after the restart gets a new id');
    t.not(n3.id, n2.id);
    t.equal(
      ((await carol2.ok({ type: 'notes', conversationId })).notes as unknown[]).length,
      3,
      'and is listed after the earlier ones',
    );
  },
);

t.test(
  'SUP-4 SUP-5 CONV-4 OPS-1: a note, a loan or a rating the store refuses is answered storage_failed, reaches nobody and is not kept',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const store = s.server.store;
    const writeRecords = store.writeRecords.bind(store);
    /** Records of this kind (first key part) are refused once. */
    let refuse: string | undefined;
    store.writeRecords = (writes) => {
      if (refuse !== undefined && writes.some((w) => w.key[0] === refuse)) {
        refuse = undefined;
        return Promise.reject(new Error('injected: disk full'));
      }
      return writeRecords(writes);
    };
    const alice = await onlineAgent(s, 'alice');
    const bob = await s.staff('bob');
    const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'hello' });
    await alice.waitFor(assignedIn(conversationId));
    const carol = await s.staff('carol');
    await carol.ok({ type: 'resume', conversationId, lastSeq: 0 });

    refuse = 'note';
    t.match(
      await alice.command({ type: 'note', conversationId, text: 'NOTE lost' }),
      { type: 'error', code: 'storage_failed' },
      'the refused note is not acknowledged',
    );
    await pause();
    t.notOk(
      carol.events.some((e) => e.type === 'note'),
      'and nobody receives it',
    );
    t.same((await carol.ok({ type: 'notes', conversationId })).notes, [], 'nor is it listed');
    t.match(
      await alice.ok({ type: 'note', conversationId, text: 'NOTE kept' }),
      { text: 'NOTE kept' },
      'the next note is stored',
    );

    refuse = 'loan';
    t.match(
      await carol.command({ type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 30 }),
      { type: 'error', code: 'storage_failed' },
      'the refused loan is not acknowledged',
    );
    await pause();
    t.notOk(
      bob.events.some((e) => e.type === 'notice'),
      'bob is not told of a loan that does not exist',
    );
    t.match(
      await carol.command({ type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 0 }),
      { type: 'error', code: 'not_found' },
      'there is no loan to end',
    );

    await alice.ok({ type: 'resolve', conversationId });
    await v.waitFor(resolvedIn(conversationId));
    refuse = 'rating';
    t.match(
      await v.command({ type: 'rate', conversationId, score: 5 }),
      { type: 'error', code: 'storage_failed' },
      'the refused rating is not acknowledged',
    );
    t.equal(s.server.directory.deps.journal.getRecord(Keys.rating(conversationId)), undefined, 'and not stored');
    t.same(await v.ok({ type: 'rate', conversationId, score: 5 }), { conversationId, score: 5 }, 'a retry is');
  },
);

t.test(
  'SUP-4 ROUTE-12: an agent lent to a department lists and claims its waiting conversations while the loan runs, not after',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, autoMessages: false });
    const dir = s.server.directory;
    await dir.deps.runtime.ask(dir.workspace, { type: 'setAutoAssign', enabled: false });
    const bob = await onlineAgent(s, 'bob');
    const first = await openConversation(s, { department: 'pre-sales', text: 'anyone in pre-sales?' });
    const second = await openConversation(s, { department: 'pre-sales', text: 'me too' });
    t.match(
      await bob.command({ type: 'queue', department: 'pre-sales' }),
      { type: 'error', code: 'not_found' },
      'before the loan pre-sales is not his',
    );
    t.match(await bob.command({ type: 'claim', conversationId: first.conversationId }), {
      type: 'error',
      code: 'not_found',
    });

    const carol = await s.staff('carol');
    await carol.ok({ type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 30 });
    const listed = await bob.ok({ type: 'queue', department: 'pre-sales' });
    t.same(
      (listed.waiting as { conversationId: string }[]).map((c) => c.conversationId),
      [first.conversationId, second.conversationId],
      'lent, he lists the pre-sales queue',
    );
    await bob.ok({ type: 'claim', conversationId: first.conversationId });
    t.match(
      await first.v.waitFor(assignedIn(first.conversationId, 'bob')),
      { department: 'pre-sales' },
      'and claims from it',
    );

    await clock.advance(31 * 60_000);
    await bob.waitFor((e) => e.type === 'notice' && e.code === 'loan_ended');
    t.match(
      await bob.command({ type: 'queue', department: 'pre-sales' }),
      { type: 'error', code: 'not_found' },
      'once the loan ended the queue is not his',
    );
    t.match(
      await bob.command({ type: 'claim', conversationId: second.conversationId }),
      { type: 'error', code: 'not_found' },
      'nor can he claim there',
    );
  },
);
