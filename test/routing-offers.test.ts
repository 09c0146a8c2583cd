/**
 * Offer mode (ROUTE-17), live agent figures and the smart policy (ROUTE-10),
 * and the fairness cap (ROUTE-19), over real WebSockets on the virtual clock.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { startTestServer, tempDataDir, type TestOwner, type TestServer } from './support/server.js';
import { onlineAgent, openConversation } from './support/conversations.js';
import { TestClient, type Frame } from './support/client.js';
import { agentOf, configure, onlineNewAgent } from './support/routing.js';
import { VirtualClock } from '../actors/clock.js';
import type { DecisionRecord } from '../actors/conversation/records.js';
import type { DepartmentSettings } from '../actors/workspace/messages.js';

/** Real time for frames in flight to arrive; virtual time does not move. */
const pause = (ms = 60) => new Promise((r) => setTimeout(r, ms));

/** The first matching event within `ms` of real time, or undefined (no throw: the assertion reports it). */
const maybe = (c: TestClient, pred: (f: Frame) => boolean, ms = 2_000): Promise<Frame | undefined> =>
  c.waitFor(pred, ms).catch(() => undefined);

const offerOf = (conversationId: string) => (e: Frame) => e.type === 'offer' && e.conversationId === conversationId;
const offersOf = (c: TestClient, conversationId: string): Frame[] => c.events.filter(offerOf(conversationId));

type Explanation = { conversationId: string; status: string; decisions: DecisionRecord[] };
const explain = async (staff: TestClient, conversationId: string): Promise<Explanation> =>
  (await staff.ok({ type: 'explain', conversationId })) as unknown as Explanation;

/** A server on the virtual clock whose after-sales department offers its conversations (ROUTE-17). */
async function offerModeServer(t: TestOwner, settings: DepartmentSettings) {
  const clock = new VirtualClock();
  const s = await startTestServer(t, { clock });
  await configure(s, 'after-sales', { offerMode: 'offer', ...settings });
  return { clock, s };
}

/** A new customer's after-sales conversation, opened with `text`. */
const afterSales = (s: TestServer, text: string) => openConversation(s, { department: 'after-sales', text });

/** `agent` holds the offer of a first customer's conversation (`a`) when a second customer (`b`) arrives. */
async function heldOfferThenAnother(s: TestServer, agent: TestClient) {
  const a = await afterSales(s, 'first');
  await agent.waitFor(offerOf(a.conversationId));
  const b = await afterSales(s, 'second');
  return { a, b };
}

// ---------------------------------------------------------------- ROUTE-17

/** Bob and carol online in after-sales (offer mode, 30 s); a customer's conversation offered to bob (first online). */
async function offeredToBob(t: TestOwner) {
  const { clock, s } = await offerModeServer(t, { offerTimeoutSec: 30 });
  const bob = await onlineAgent(s, 'bob');
  const carol = await onlineAgent(s, 'carol');
  const opened = await afterSales(s, 'my parcel is late');
  const offer = await bob.waitFor(offerOf(opened.conversationId));
  return { clock, s, bob, carol, offer, ...opened };
}

t.test('ROUTE-17: an offer is held for the agent until they answer, and takes one of their slots', async (t) => {
  const { clock, bob, carol, offer, v, conversationId, visitorId } = await offeredToBob(t);
  t.match(
    offer,
    { type: 'offer', conversationId, department: 'after-sales', visitorId, expiresAt: clock.now() + 30_000 },
    'bob (first online) is offered it, with when the offer runs out',
  );
  await pause();
  t.notOk(
    v.events.some((e) => e.type === 'assigned'),
    'the visitor is not assigned while the offer is held',
  );
  t.equal(offersOf(carol, conversationId).length, 0, 'nobody else is offered it meanwhile');
  t.match(
    bob.events.filter((e) => e.type === 'agent_status').at(-1),
    { active: 1 },
    "the held offer takes one of bob's slots",
  );
});

t.test('ROUTE-17: an accepted offer assigns the conversation to the agent, and its timer stops', async (t) => {
  const { clock, bob, v, conversationId } = await offeredToBob(t);
  t.same(await bob.ok({ type: 'accept', conversationId }), { conversationId, accepted: true });
  t.match(
    await v.waitFor((e) => e.type === 'assigned'),
    { conversationId, agent: { id: 'bob' }, department: 'after-sales' },
    'the visitor is assigned to bob',
  );
  await bob.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
  t.match(
    await bob.ok({ type: 'send', conversationId, clientMsgId: 'b1', text: 'Bob here' }),
    { conversationId },
    'bob serves it',
  );
  t.same((await bob.ok({ type: 'status', status: 'online' })).conversations, [conversationId]);

  await clock.advance(60_000);
  await pause();
  t.notOk(
    bob.events.some((e) => e.type === 'notice'),
    'no offer_expired after an accept',
  );
  t.notOk(
    v.events.some((e) => e.type === 'unassigned'),
    'the conversation stays with bob',
  );
  t.equal(v.events.filter((e) => e.type === 'assigned').length, 1);
  const record = (await explain(bob, conversationId)).decisions.at(-1)!;
  t.match(record, { outcome: 'assigned', agentId: 'bob' });
  t.equal(record.decisions.at(-1)!.answer, 'accepted', 'the decision records the accept');
});

t.test("ROUTE-17: answering an offer that is not one's own, or answered already, is not_found", async (t) => {
  const { bob, carol, conversationId } = await offeredToBob(t);
  t.match(
    await carol.command({ type: 'accept', conversationId }),
    { type: 'error', code: 'not_found' },
    'carol cannot accept an offer made to bob',
  );
  t.match(
    await carol.command({ type: 'decline', conversationId, reason: 'not mine' }),
    { type: 'error', code: 'not_found' },
    'nor decline it',
  );
  t.match(
    await bob.command({ type: 'accept', conversationId: 'c-no-such-conversation' }),
    { type: 'error', code: 'not_found' },
    'accepting an unknown conversation',
  );
  await bob.ok({ type: 'accept', conversationId });
  t.match(
    await bob.command({ type: 'accept', conversationId }),
    { type: 'error', code: 'not_found' },
    'an answered offer cannot be answered again',
  );
  t.match(
    await carol.command({ type: 'accept', conversationId }),
    { type: 'error', code: 'not_found' },
    'and carol was never offered it',
  );
});

t.test('ROUTE-17: a decline needs a reason', async (t) => {
  const { bob, conversationId } = await offeredToBob(t);
  t.match(
    await bob.command({ type: 'decline', conversationId, reason: '' }),
    { type: 'error', code: 'invalid_field' },
    'an empty reason is refused',
  );
  t.same(
    await bob.ok({ type: 'accept', conversationId }),
    { conversationId, accepted: true },
    'the offer still stands',
  );
});

t.test(
  'ROUTE-17: a declined offer goes to the next agent with the reason recorded; the decliner is never offered it again, even after it queued and a slot freed up',
  async (t) => {
    const { s } = await offerModeServer(t, { offerTimeoutSec: 30 });
    const bob = await onlineAgent(s, 'bob');
    const carol = await onlineAgent(s, 'carol');
    const admin = await s.staff('admin');

    const { v, conversationId } = await afterSales(s, 'warranty question');
    await bob.waitFor(offerOf(conversationId));
    t.same(await bob.ok({ type: 'decline', conversationId, reason: 'on a break' }), {
      conversationId,
      accepted: false,
    });
    t.match(
      await bob.waitFor((e) => e.type === 'agent_status' && e.active === 0),
      { active: 0 },
      "the declined offer's slot is given back",
    );
    await carol.waitFor(offerOf(conversationId));
    t.pass('carol, the next agent, is offered it');
    t.ok(await carol.ok({ type: 'decline', conversationId, reason: 'not my product' }));
    t.match(await v.waitFor((e) => e.type === 'queued'), { conversationId }, 'nobody else: it waits in the queue');

    const staffView = await explain(admin, conversationId);
    const queuedRecord = staffView.decisions.find((d) => d.outcome === 'queued');
    t.ok(queuedRecord, 'the queueing is stored');
    const runs = queuedRecord!.decisions;
    t.match(
      runs[0],
      { agentId: 'bob', answer: 'declined: on a break' },
      "bob's decline and its reason are in the decision",
    );
    t.match(runs[1], { agentId: 'carol', answer: 'declined: not my product' });
    t.equal(runs[2]?.agentId, undefined, 'then nobody was left');
    t.match(
      runs[2]?.candidates.find((c) => c.agentId === 'bob'),
      { skipped: 'already_tried' },
    );

    // Another customer arrives: bob takes that one, past the one he declined.
    const w = await afterSales(s, 'hello');
    await bob.waitFor(offerOf(w.conversationId));
    await bob.ok({ type: 'accept', conversationId: w.conversationId });
    t.match(await w.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'bob' } });
    // A slot frees up: the declined conversation still waits, and bob is not offered it.
    await bob.ok({ type: 'resolve', conversationId: w.conversationId });
    await bob.waitFor(
      (e) =>
        e.type === 'agent_status' &&
        e.active === 0 &&
        bob.events.indexOf(e) > bob.events.findIndex(offerOf(w.conversationId)),
    );
    await carol.ok({ type: 'status', status: 'busy' });
    await carol.ok({ type: 'status', status: 'online' });
    await pause(150);
    t.equal(offersOf(bob, conversationId).length, 1, 'bob was offered the declined conversation only once');
    t.equal(offersOf(carol, conversationId).length, 1, 'carol too');
    t.notOk(
      v.events.some((e) => e.type === 'assigned'),
      'the visitor still waits',
    );

    // Someone who has not declined it comes online and is offered it.
    await admin.ok({ type: 'status', status: 'online' });
    await admin.waitFor(offerOf(conversationId));
    await admin.ok({ type: 'accept', conversationId });
    t.match(await v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'admin' } });
    const last = (await explain(admin, conversationId)).decisions.at(-1)!;
    t.match(last, { outcome: 'assigned', agentId: 'admin' });
    const candidates = last.decisions.at(-1)!.candidates;
    t.match(
      candidates.find((c) => c.agentId === 'bob'),
      { skipped: 'already_tried' },
      'after the trip through the queue bob is still passed over',
    );
    t.match(
      candidates.find((c) => c.agentId === 'carol'),
      { skipped: 'already_tried' },
    );
  },
);

t.test(
  'ROUTE-17: an unanswered offer runs out: the agent is told (offer_expired) and the next agent is offered it; K misses in a row set the agent away',
  async (t) => {
    const { clock, s } = await offerModeServer(t, { offerTimeoutSec: 20, offerMissesBeforeAway: 2 });
    const bob = await onlineAgent(s, 'bob');
    const carol = await onlineAgent(s, 'carol');
    const admin = await s.staff('admin');
    const wentAway = () => bob.events.some((e) => e.type === 'agent_status' && e.status === 'away');

    /** bob is offered the conversation and lets it run out; carol gets and accepts it. */
    const bobMisses = async (conversationId: string, v: TestClient): Promise<void> => {
      await bob.waitFor(offerOf(conversationId));
      await clock.advance(19_999);
      await pause();
      t.notOk(
        bob.events.some((e) => e.type === 'notice' && e.conversationId === conversationId),
        'not before the offer runs out',
      );
      t.equal(offersOf(carol, conversationId).length, 0);
      await clock.advance(1);
      t.match(
        await bob.waitFor((e) => e.type === 'notice' && e.conversationId === conversationId),
        { code: 'offer_expired' },
        'bob is told the offer ran out',
      );
      await carol.waitFor(offerOf(conversationId));
      await carol.ok({ type: 'accept', conversationId });
      t.match(
        await v.waitFor((e) => e.type === 'assigned'),
        { agent: { id: 'carol' } },
        'the next agent (carol) gets it',
      );
    };

    const c1 = await afterSales(s, 'one');
    await bobMisses(c1.conversationId, c1.v);
    t.notOk(wentAway(), 'one miss: bob stays online');
    t.match(
      (await explain(admin, c1.conversationId)).decisions.at(-1)!.decisions[0],
      { agentId: 'bob', answer: 'missed' },
      'the miss is recorded',
    );
    t.match(
      await bob.command({ type: 'accept', conversationId: c1.conversationId }),
      { type: 'error', code: 'not_found' },
      'an expired offer cannot be accepted',
    );

    // An accept in between resets the count: misses must be in a row.
    const c2 = await afterSales(s, 'two');
    await bob.waitFor(offerOf(c2.conversationId));
    await bob.ok({ type: 'accept', conversationId: c2.conversationId });
    t.match(await c2.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'bob' } });
    const c3 = await afterSales(s, 'three');
    await carol.waitFor(offerOf(c3.conversationId));
    await carol.ok({ type: 'accept', conversationId: c3.conversationId });
    await c3.v.waitFor((e) => e.type === 'assigned');
    const c4 = await afterSales(s, 'four');
    await bobMisses(c4.conversationId, c4.v);
    await pause();
    t.notOk(wentAway(), 'miss, accept, miss: not two in a row, bob stays online');

    const c5 = await afterSales(s, 'five');
    await bobMisses(c5.conversationId, c5.v);
    t.match(
      await bob.waitFor((e) => e.type === 'agent_status' && e.status === 'away'),
      { status: 'away', active: 1 },
      'the second miss in a row sets bob away (he keeps c2)',
    );
    t.same((await bob.ok({ type: 'status', status: 'away' })).conversations, [c2.conversationId]);

    // Away: bob is not offered new conversations.
    const c6 = await afterSales(s, 'six');
    await carol.waitFor(offerOf(c6.conversationId));
    t.equal(offersOf(bob, c6.conversationId).length, 0, 'an away agent is not offered anything');
  },
);

t.test(
  'ROUTE-17 ROUTE-11: a held offer takes the slot: an agent with one slot and a held offer is not offered a second conversation',
  async (t) => {
    const { s } = await offerModeServer(t, { offerTimeoutSec: 60 });
    const dave = await onlineNewAgent(s, { id: 'dave', name: 'Dave', departments: ['after-sales'], maxConcurrent: 1 });

    const { a, b } = await heldOfferThenAnother(s, dave);
    t.match(
      await b.v.waitFor((e) => e.type === 'queued'),
      { conversationId: b.conversationId },
      'the second customer waits',
    );
    await pause();
    t.equal(offersOf(dave, b.conversationId).length, 0, 'dave is not offered a second conversation while holding one');

    await dave.ok({ type: 'accept', conversationId: a.conversationId });
    await a.v.waitFor((e) => e.type === 'assigned');
    await pause();
    t.equal(offersOf(dave, b.conversationId).length, 0, 'nor once he accepted it: he is full');
    t.notOk(
      dave.events.some((e) => e.type === 'agent_status' && (e.active as number) > 1),
      'dave never holds more than one',
    );

    await dave.ok({ type: 'resolve', conversationId: a.conversationId });
    await dave.waitFor(offerOf(b.conversationId));
    t.pass('when his slot frees up, the waiting conversation is offered to him');
    await dave.ok({ type: 'accept', conversationId: b.conversationId });
    t.match(await b.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'dave' } });
    t.notOk(
      dave.events.some((e) => e.type === 'agent_status' && (e.active as number) > 1),
      'capacity was never exceeded',
    );
  },
);

t.test(
  'ROUTE-17 QUEUE-3: when a one-slot agent declines or misses the offer he holds, the customer waiting behind is offered to him at once',
  async (t) => {
    const { clock, s } = await offerModeServer(t, { offerTimeoutSec: 60, offerMissesBeforeAway: 5 });
    const dave = await onlineNewAgent(s, { id: 'dave', name: 'Dave', departments: ['after-sales'], maxConcurrent: 1 });

    const { a, b } = await heldOfferThenAnother(s, dave);
    await b.v.waitFor((e) => e.type === 'queued');
    await dave.ok({ type: 'decline', conversationId: a.conversationId, reason: 'wrong language' });
    t.ok(
      await maybe(dave, offerOf(b.conversationId)),
      "after the decline dave's free slot goes to the customer waiting behind",
    );
    t.equal(offersOf(dave, a.conversationId).length, 1, 'and never the declined one');

    // The same after a miss.
    const c = await afterSales(s, 'third');
    await c.v.waitFor((e) => e.type === 'queued');
    if (dave.events.some(offerOf(b.conversationId))) {
      await clock.advance(60_000);
      t.match(await dave.waitFor((e) => e.type === 'notice' && e.conversationId === b.conversationId), {
        code: 'offer_expired',
      });
      t.ok(
        await maybe(dave, offerOf(c.conversationId)),
        "after the miss dave's free slot goes to the next customer waiting",
      );
    }
  },
);

t.test(
  'ROUTE-17: a held offer takes one slot, not two: an agent with two slots is offered a second conversation while holding the first',
  async (t) => {
    const { s } = await offerModeServer(t, { offerTimeoutSec: 60 });
    const erin = await onlineNewAgent(s, { id: 'erin', name: 'Erin', departments: ['after-sales'], maxConcurrent: 2 });

    const { a, b } = await heldOfferThenAnother(s, erin);
    t.ok(
      await maybe(erin, offerOf(b.conversationId)),
      'erin, with a slot free, is offered the second conversation while holding the first',
    );
    // Whatever happened meanwhile, once the first is accepted the second must reach her free slot.
    await erin.ok({ type: 'accept', conversationId: a.conversationId });
    t.ok(await maybe(erin, offerOf(b.conversationId)), 'at the latest once the first offer is accepted');
    const c = await afterSales(s, 'third');
    await pause(150);
    t.equal(offersOf(erin, c.conversationId).length, 0, 'a third is never offered: two slots');
    t.notOk(
      erin.events.some((e) => e.type === 'agent_status' && (e.active as number) > 2),
      'capacity was never exceeded',
    );
  },
);

t.test(
  'ROUTE-17 QUEUE-5: a customer who leaves while the offer is held: the offer is withdrawn and nobody else is offered the ended conversation',
  async (t) => {
    const { clock, s } = await offerModeServer(t, { offerTimeoutSec: 30 });
    const bob = await onlineAgent(s, 'bob');
    const carol = await onlineAgent(s, 'carol');
    const { v, conversationId } = await afterSales(s, 'never mind');
    await bob.waitFor(offerOf(conversationId));
    t.match(await v.ok({ type: 'leave', conversationId }), { reason: 'abandoned' }, 'left before any agent took it');
    await pause(200);
    t.match(bob.events.filter((e) => e.type === 'agent_status').at(-1), { active: 0 }, "bob's held slot is given back");
    // Left unanswered, a withdrawn offer must not run out as bob's miss, nor travel on to carol.
    await clock.advance(30_000);
    await pause(200);
    t.notOk(
      bob.events.some((e) => e.type === 'notice' && e.conversationId === conversationId),
      'no offer_expired (a miss) for a conversation that ended',
    );
    t.equal(offersOf(carol, conversationId).length, 0, 'carol is not offered a conversation that has ended');
    t.match(
      await bob.command({ type: 'accept', conversationId }),
      { type: 'error', code: 'not_found' },
      'the offer is gone',
    );
  },
);

// ---------------------------------------------------------------- ROUTE-10

t.test(
  'ROUTE-10: the smart policy prefers the agent who answers faster, all else equal; explain shows the figures; they survive a restart',
  async (t) => {
    const clock = new VirtualClock();
    const dataDir = tempDataDir();
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    let s = await startTestServer(t, { clock, dataDir, keepData: true });
    await configure(s, 'after-sales', { policy: 'smart' });
    const bobToken = s.cred('bob').token;
    const carolToken = s.cred('carol').token;
    const adminToken = s.cred('admin').token;
    const bob = await s.staff('bob');
    const carol = await s.staff('carol');
    const admin = await s.staff('admin');

    // bob is assigned first, so on equal figures he would win the next tie (longest since his last assignment).
    await bob.ok({ type: 'status', status: 'online' });
    const slow = await afterSales(s, 'question one');
    t.match(await slow.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'bob' }, policy: 'smart' });
    await clock.advance(1_000);
    await carol.ok({ type: 'status', status: 'online' });
    const fast = await afterSales(s, 'question two');
    t.match(await fast.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'carol' } }, 'idle carol over busy bob');

    await carol.ok({ type: 'send', conversationId: fast.conversationId, clientMsgId: 'c1', text: 'right away' });
    await clock.advance(120_000);
    await bob.ok({ type: 'send', conversationId: slow.conversationId, clientMsgId: 'b1', text: 'sorry for the wait' });
    // Equal handle times: each resolves 121 s after their assignment.
    await bob.ok({ type: 'resolve', conversationId: slow.conversationId });
    await clock.advance(1_000);
    await carol.ok({ type: 'resolve', conversationId: fast.conversationId });
    await bob.waitFor((e) => e.type === 'agent_status' && e.active === 0);
    await carol.waitFor((e) => e.type === 'agent_status' && e.active === 0);
    await pause();

    const next = await afterSales(s, 'question three');
    t.match(
      await next.v.waitFor((e) => e.type === 'assigned'),
      { agent: { id: 'carol' } },
      'both idle: the faster agent wins',
    );
    const run = (await explain(admin, next.conversationId)).decisions.at(-1)!.decisions.at(-1)!;
    t.equal(run.policy, 'smart');
    const bobVerdict = run.candidates.find((c) => c.agentId === 'bob');
    const carolVerdict = run.candidates.find((c) => c.agentId === 'carol');
    t.match(
      bobVerdict,
      { active: 0, figures: { avgFirstResponseMs: 121_000, avgResponseMs: 121_000, avgHandleMs: 121_000 } },
      "bob's measured figures",
    );
    t.match(
      carolVerdict,
      { active: 0, figures: { avgFirstResponseMs: 0, avgResponseMs: 0, avgHandleMs: 121_000 } },
      "carol's measured figures",
    );
    t.ok(
      typeof bobVerdict?.score === 'number' &&
        typeof carolVerdict?.score === 'number' &&
        carolVerdict.score < bobVerdict.score,
      "carol's load index is the better (lower) one",
    );
    await carol.ok({ type: 'resolve', conversationId: next.conversationId });
    await carol.waitFor(
      (e) =>
        e.type === 'agent_status' &&
        e.active === 0 &&
        carol.events.indexOf(e) >
          carol.events.findIndex((f) => f.type === 'assigned' && f.conversationId === next.conversationId),
    );
    await pause();

    // Restart on the same data: figures are read back from the store.
    await s.stop();
    s = await startTestServer(t, { clock: new VirtualClock(clock.now()), dataDir, keepData: true });
    const staff = (token: string) => TestClient.connect(`${s.staffUrl}?token=${encodeURIComponent(token)}`);
    const bob2 = await staff(bobToken);
    const carol2 = await staff(carolToken);
    const admin2 = await staff(adminToken);
    t.teardown(() => Promise.all([bob2.close(), carol2.close(), admin2.close()]).then(() => undefined));
    await bob2.ok({ type: 'status', status: 'online' });
    await carol2.ok({ type: 'status', status: 'online' });
    const after = await afterSales(s, 'question four');
    t.match(
      await after.v.waitFor((e) => e.type === 'assigned'),
      { agent: { id: 'carol' } },
      'after the restart the faster agent still wins',
    );
    const run2 = (await explain(admin2, after.conversationId)).decisions.at(-1)!.decisions.at(-1)!;
    t.match(
      run2.candidates.find((c) => c.agentId === 'bob'),
      { figures: { avgFirstResponseMs: 121_000, avgResponseMs: 121_000 } },
      "bob's figures survived the restart",
    );
    t.match(
      run2.candidates.find((c) => c.agentId === 'carol'),
      { figures: { avgFirstResponseMs: 0, avgResponseMs: 0 } },
      "carol's too",
    );
  },
);

// ---------------------------------------------------------------- ROUTE-19

t.test(
  'ROUTE-19: an agent at the fairness cap is passed over despite free slots; counts restart at the next clock-aligned window',
  async (t) => {
    const clock = new VirtualClock(); // starts on an hour boundary
    const s = await startTestServer(t, { clock });
    await configure(s, 'after-sales', { fairnessCap: { max: 2, windowSec: 3600 } });
    const bob = await s.staff('bob');
    const carol = await s.staff('carol');
    const admin = await s.staff('admin');
    await clock.advance(30 * 60_000); // half way into the window

    await bob.ok({ type: 'status', status: 'online' });
    const c1 = await afterSales(s, 'one');
    t.match(await c1.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'bob' } });
    const c2 = await afterSales(s, 'two');
    t.match(await c2.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'bob' } });
    const c3 = await afterSales(s, 'three');
    t.match(
      await c3.v.waitFor((e) => e.type === 'queued'),
      { conversationId: c3.conversationId },
      'the third waits although bob has free slots',
    );
    t.match(bob.events.filter((e) => e.type === 'agent_status').at(-1), { active: 2, max: 5 });
    const why = (await explain(admin, c3.conversationId)).decisions.find((d) => d.outcome === 'queued')!;
    t.match(
      why.decisions.at(-1)!.candidates.find((c) => c.agentId === 'bob'),
      { skipped: 'fairness_cap' },
      'passed over for the fairness cap',
    );

    await carol.ok({ type: 'status', status: 'online' });
    t.match(
      await c3.v.waitFor((e) => e.type === 'assigned'),
      { agent: { id: 'carol' } },
      'it goes to another agent once one is there',
    );
    const c4 = await afterSales(s, 'four');
    t.match(
      await c4.v.waitFor((e) => e.type === 'assigned'),
      { agent: { id: 'carol' } },
      'round robin would give bob the next, but he is capped',
    );
    t.match(
      (await explain(admin, c4.conversationId)).decisions
        .at(-1)!
        .decisions.at(-1)!
        .candidates.find((c) => c.agentId === 'bob'),
      { skipped: 'fairness_cap' },
    );
    const c5 = await afterSales(s, 'five');
    t.match(
      await c5.v.waitFor((e) => e.type === 'queued'),
      { conversationId: c5.conversationId },
      'both capped: it waits',
    );

    await clock.advance(29 * 60_000 + 59_999);
    await pause();
    t.notOk(
      c5.v.events.some((e) => e.type === 'assigned'),
      'still capped 1 ms before the window ends',
    );
    await clock.advance(1); // the window boundary, 30 minutes after the first assignment
    const freed = await maybe(c5.v, (e) => e.type === 'assigned');
    t.ok(freed, 'at the window boundary the waiting conversation is assigned without anything else happening');

    // A new customer arrives in the new window.
    const c6 = await afterSales(s, 'six');
    await c6.v.waitFor((e) => e.type === 'assigned');
    await c5.v.waitFor((e) => e.type === 'assigned');
    t.ok(
      [c5, c6].some((c) => agentOf(c.v.events.find((e) => e.type === 'assigned')!) === 'bob'),
      'counts restarted: bob, with the same free slots as before, takes conversations again',
    );
    const c7 = await afterSales(s, 'seven');
    await c7.v.waitFor((e) => e.type === 'assigned');
    const c8 = await afterSales(s, 'eight');
    await c8.v.waitFor((e) => e.type === 'assigned');
    const c9 = await afterSales(s, 'nine');
    t.match(
      await c9.v.waitFor((e) => e.type === 'queued'),
      { conversationId: c9.conversationId },
      'the cap applies again in the new window: two each, then wait',
    );
    const counts = { bob: 0, carol: 0 } as Record<string, number>;
    for (const c of [c5, c6, c7, c8]) counts[agentOf(c.v.events.find((e) => e.type === 'assigned')!)]!++;
    t.same(counts, { bob: 2, carol: 2 });
    t.match(bob.events.filter((e) => e.type === 'agent_status').at(-1), { active: 4, max: 5 });
  },
);

t.test(
  "ROUTE-19 ROUTE-2: conversations pulled from the queue together are dealt in turn, keeping equal agents' counts within one",
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const dir = s.server.directory;
    const autoAssign = (enabled: boolean) => dir.deps.runtime.ask(dir.workspace, { type: 'setAutoAssign', enabled });
    const _bob = await onlineAgent(s, 'bob');
    const _carol = await onlineAgent(s, 'carol');
    await autoAssign(false);
    const c1 = await afterSales(s, 'one');
    const c2 = await afterSales(s, 'two');
    await c1.v.waitFor((e) => e.type === 'queued');
    await c2.v.waitFor((e) => e.type === 'queued');
    await autoAssign(true); // both waiting conversations are pulled at once
    const owners = [
      agentOf(await c1.v.waitFor((e) => e.type === 'assigned')),
      agentOf(await c2.v.waitFor((e) => e.type === 'assigned')),
    ];
    t.same(owners.sort(), ['bob', 'carol'], 'one each, not both to the same agent');
  },
);
