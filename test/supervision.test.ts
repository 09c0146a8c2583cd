/**
 * Supervision (SUP-2..5) over real WebSockets on the virtual clock:
 * force-join, take-over, re-assignment, loans, and internal notes that never
 * reach the customer. The live view (SUP-1): supervision-live-view.test.ts.
 *
 * Demo workspace: alice (agent, pre-sales), bob (agent, after-sales), carol
 * (supervisor of both), admin. Supervisors and admins have agent actors too,
 * so they stay offline here unless a test says otherwise: routing then only
 * picks the agents the test put online.
 */
import { interceptEvents } from './support/store-faults.js';
import t from 'tap';
import { startTestServer } from './support/server.js';
import { openConversation, onlineAgent } from './support/conversations.js';
import { TestClient } from './support/client.js';
import { onlineNewAgent } from './support/routing.js';
import { VirtualClock } from '../actors/clock.js';
import { Keys } from '../actors/keyspace.js';
import {
  pause,
  createStaff,
  connectStaff,
  restartableServer,
  listed,
  assignedIn,
  resolvedIn,
  messageWith,
  statusAfter,
} from './support/supervision.js';

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
    /** Records of this kind (first key part) are refused once. */
    let refuse: string | undefined;
    interceptEvents(s.server.store, {
      refuseRecords: (writes) => {
        if (refuse === undefined || !writes.some((w) => w.key[0] === refuse)) return undefined;
        refuse = undefined;
        return Promise.reject(new Error('injected: disk full'));
      },
    });
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
