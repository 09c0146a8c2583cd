/**
 * Keyword rules, entry points, skills, widening, overflow, sticky agents,
 * stored decisions, queue limits and business hours, over real WebSockets
 * on the virtual clock (ROUTE-6/7/8/9/15/16/18, QUEUE-4/6).
 */
import t from 'tap';
import { startTestServer, type TestServer } from './support/server.js';
import { openConversation, onlineAgent } from './support/conversations.js';
import { agentOf, configure, newAgent, onlineNewAgent } from './support/routing.js';
import { VirtualClock } from '../actors/clock.js';
import type { KeywordRule } from '../actors/routing/keyword-rules.js';

const rules = (s: TestServer, list: KeywordRule[]) =>
  s.server.directory.deps.runtime.ask(s.server.directory.workspace, { type: 'setKeywordRules', rules: list });

/** Lets committed writes and actor messages settle without advancing virtual time. */
const settle = () => new Promise((r) => setTimeout(r, 30));

t.test(
  'ROUTE-7 ROUTE-8 ROUTE-16: "我要退款" started from the pre-sales entry goes to after-sales; the match and the decision are stored and readable by staff only',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock(), autoMessages: false });
    const bob = await onlineAgent(s, 'bob');
    const alice = await onlineAgent(s, 'alice');
    const admin = await s.staff('admin');

    const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: '你好，我要退款' });
    t.equal(
      agentOf(await v.waitFor((e) => e.type === 'assigned')),
      'bob',
      'the keyword rule overrides the entry point',
    );
    t.equal(v.events.find((e) => e.type === 'created')?.department, 'after-sales', "opened in the rule's department");

    const why = await admin.ok({ type: 'explain', conversationId });
    t.match(why, {
      conversationId,
      department: 'after-sales',
      status: 'assigned',
      routing: { entry: 'pre-sales', department: 'after-sales' },
    });
    t.same(
      (why.routing as { matches: unknown[] }).matches,
      [{ ruleId: 'refund', keywords: ['退款'], seq: 2 }],
      'the match is recorded with its message',
    );
    const decisions = why.decisions as {
      outcome: string;
      agentId: string;
      department: string;
      decisions: { policy: string; agentId: string; candidates: { agentId: string; skipped?: string }[] }[];
    }[];
    t.equal(decisions.length, 1);
    t.match(decisions[0], { outcome: 'assigned', agentId: 'bob', department: 'after-sales' });
    t.equal(decisions[0]!.decisions[0]!.policy, 'round_robin');
    t.same(
      Object.fromEntries(decisions[0]!.decisions[0]!.candidates.map((c) => [c.agentId, c.skipped ?? 'eligible'])),
      { bob: 'eligible', carol: 'not_online', admin: 'not_online' },
      'every candidate with the reason it was passed over',
    );

    // Staff only: the visitor has no such command and never receives routing details; another department's agent cannot read it.
    t.equal((await v.command({ type: 'explain', conversationId })).code, 'unknown_type');
    t.notOk(JSON.stringify(v.events).includes('candidates'), 'no decision reaches the visitor');
    t.equal(
      (await alice.command({ type: 'explain', conversationId })).code,
      'not_found',
      'an agent of another department cannot read it',
    );
    t.equal(
      (await bob.ok({ type: 'explain', conversationId })).conversationId,
      conversationId,
      'the serving agent can',
    );

    // Full-width and upper case match too; no match keeps the entry point.
    const wide = await openConversation(s, { department: 'pre-sales', text: 'ＲＥＦＵＮＤ please' });
    t.equal(
      (await wide.v.waitFor((e) => e.type === 'assigned')).department,
      'after-sales',
      'full-width, upper-case "ＲＥＦＵＮＤ" matches "refund"',
    );
    const plain = await openConversation(s, { department: 'pre-sales', text: 'hello there' });
    t.equal(
      agentOf(await plain.v.waitFor((e) => e.type === 'assigned')),
      'alice',
      'no rule matched: the entry point holds',
    );
    const none = await openConversation(s, { text: 'hello' });
    t.equal(
      (await none.v.waitFor((e) => e.type === 'assigned')).department,
      'pre-sales',
      'no entry point: the first department',
    );
  },
);

t.test(
  'ROUTE-7 QUEUE-2: a rule that also watches later messages moves a waiting conversation to its department, with its priority',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, autoMessages: false });
    const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'hi' });
    t.match(
      await v.waitFor((e) => e.type === 'queued'),
      { department: 'pre-sales', reason: 'no_agents_online' },
      'nobody online: told so',
    );
    // An after-sales customer with no priority is waiting already; the complaint (priority 2) will overtake them.
    const other = await openConversation(s, { department: 'after-sales', text: 'question' });
    await other.v.waitFor((e) => e.type === 'queued');
    await clock.advance(1_000);
    await v.ok({ type: 'send', conversationId, clientMsgId: 'm2', text: '我要投诉你们的快递' });
    t.match(
      await v.waitFor((e) => e.type === 'queued' && e.department === 'after-sales'),
      { movedFrom: 'pre-sales' },
      'moved, and the visitor is told',
    );
    // One agent with one slot: exactly one of the two is served, and it must be the complaint.
    const eve = await onlineNewAgent(s, { id: 'eve', name: 'Eve', departments: ['after-sales'], maxConcurrent: 1 });
    t.equal(agentOf(await v.waitFor((e) => e.type === 'assigned')), 'eve');
    const admin = await s.staff('admin');
    const why = await admin.ok({ type: 'explain', conversationId });
    t.match(why.routing, {
      department: 'pre-sales',
      needs: { priority: 2 },
      matches: [{ ruleId: 'complaint', seq: 4 }],
    });
    await settle();
    t.notOk(
      other.v.events.some((e) => e.type === 'assigned'),
      'the earlier customer without priority still waits',
    );
    await eve.close();
  },
);

t.test(
  'ROUTE-6 ROUTE-18: a conversation needing a skill waits for an agent who has it; after the widening step any agent may take it',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, autoMessages: false });
    await rules(s, [{ id: 'invoice', keywords: ['发票', 'invoice'], skills: ['invoice'] }]);
    await configure(s, 'after-sales', { widening: { dropSkillsAfterSec: 120 } });
    await onlineAgent(s, 'bob');
    const dave = await newAgent(s, {
      id: 'dave',
      name: 'Dave',
      departments: ['after-sales'],
      skills: ['invoice', 'vat'],
    });

    const first = await openConversation(s, { department: 'after-sales', text: '我需要发票' });
    await first.v.waitFor((e) => e.type === 'queued');
    await settle();
    t.notOk(
      first.v.events.some((e) => e.type === 'assigned'),
      'bob lacks the skill: it waits although bob is free',
    );
    await dave.ok({ type: 'status', status: 'online' });
    t.equal(
      agentOf(await first.v.waitFor((e) => e.type === 'assigned')),
      'dave',
      'the agent with the skill takes it as soon as they come online',
    );
    await dave.ok({ type: 'status', status: 'away' });

    const second = await openConversation(s, { department: 'after-sales', text: 'invoice please' });
    await second.v.waitFor((e) => e.type === 'queued');
    await clock.advance(119_000);
    await settle();
    t.notOk(
      second.v.events.some((e) => e.type === 'assigned'),
      'not before the widening step',
    );
    await clock.advance(1_000);
    t.equal(
      agentOf(await second.v.waitFor((e) => e.type === 'assigned')),
      'bob',
      'after 120 s the skill is dropped and bob takes it',
    );
    const admin = await s.staff('admin');
    const why = await admin.ok({ type: 'explain', conversationId: second.conversationId });
    const outcomes = (why.decisions as { outcome: string }[]).map((d) => d.outcome);
    t.same(outcomes, ['queued', 'assigned'], 'both outcomes are stored in order');
    await dave.close();
  },
);

t.test('ROUTE-15 ROUTE-18: a conversation waiting too long overflows to the fallback department', async (t) => {
  const clock = new VirtualClock();
  const s = await startTestServer(t, { clock, autoMessages: false });
  t.match(
    await configure(s, 'pre-sales', { widening: { overflowAfterSec: 300, overflowTo: 'pre-sales' } }).catch(
      (e: Error) => e,
    ),
    { code: 'invalid_field' },
    'a department cannot overflow to itself',
  );
  await configure(s, 'pre-sales', { widening: { overflowAfterSec: 300, overflowTo: 'after-sales' } });
  await onlineAgent(s, 'bob');
  const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'is anyone there?' });
  await v.waitFor((e) => e.type === 'queued');
  await clock.advance(299_000);
  await settle();
  t.notOk(v.events.some((e) => e.type === 'assigned'));
  await clock.advance(1_000);
  t.match(await v.waitFor((e) => e.type === 'queued' && e.department === 'after-sales'), { movedFrom: 'pre-sales' });
  t.match(await v.waitFor((e) => e.type === 'assigned'), { department: 'after-sales', agent: { id: 'bob' } });
  const admin = await s.staff('admin');
  const why = await admin.ok({ type: 'explain', conversationId });
  t.same(
    (why.decisions as { outcome: string }[]).map((d) => d.outcome),
    ['queued', 'overflow', 'assigned'],
  );
});

t.test(
  'ROUTE-9: a returning customer goes back to their last agent, who is waited for a while when busy',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, autoMessages: false });
    await configure(s, 'after-sales', { sticky: true, stickyWaitSec: 30 });
    const bob = await onlineAgent(s, 'bob');
    const carol = await onlineAgent(s, 'carol');

    // Round robin: bob, then carol. The visitor served by carol returns.
    const one = await openConversation(s, { department: 'after-sales', text: 'first' });
    t.equal(agentOf(await one.v.waitFor((e) => e.type === 'assigned')), 'bob');
    const two = await openConversation(s, { department: 'after-sales', text: 'second' });
    t.equal(agentOf(await two.v.waitFor((e) => e.type === 'assigned')), 'carol');
    await carol.ok({ type: 'resolve', conversationId: two.conversationId });
    const back = await openConversation(s, { department: 'after-sales', text: 'me again' }, two.visitorId);
    t.equal(
      agentOf(await back.v.waitFor((e) => e.type === 'assigned')),
      'carol',
      'sticky: carol again, although round robin says bob',
    );
    const admin = await s.staff('admin');
    t.equal(
      (
        (await admin.ok({ type: 'explain', conversationId: back.conversationId })).decisions as {
          decisions: { policy: string }[];
        }[]
      )[0]!.decisions[0]!.policy,
      'sticky',
    );

    // Carol busy: the customer waits up to 30 s for her, then goes to bob.
    await carol.ok({ type: 'resolve', conversationId: back.conversationId });
    await carol.ok({ type: 'status', status: 'busy' });
    const third = await openConversation(s, { department: 'after-sales', text: 'and again' }, two.visitorId);
    await third.v.waitFor((e) => e.type === 'queued');
    await clock.advance(29_000);
    await settle();
    t.notOk(
      third.v.events.some((e) => e.type === 'assigned'),
      'waits for carol although bob is free',
    );
    await clock.advance(1_000);
    t.equal(agentOf(await third.v.waitFor((e) => e.type === 'assigned')), 'bob', 'then normal routing');

    // Now bob served them last. Bob busy, carol free: the customer waits for bob, who comes back within the window.
    await bob.ok({ type: 'resolve', conversationId: third.conversationId });
    await bob.ok({ type: 'status', status: 'busy' });
    await carol.ok({ type: 'status', status: 'online' });
    const fourth = await openConversation(s, { department: 'after-sales', text: 'once more' }, two.visitorId);
    await fourth.v.waitFor((e) => e.type === 'queued');
    await clock.advance(10_000);
    await settle();
    t.notOk(
      fourth.v.events.some((e) => e.type === 'assigned'),
      'carol is free but the customer waits for bob',
    );
    await bob.ok({ type: 'status', status: 'online' });
    t.equal(
      agentOf(await fourth.v.waitFor((e) => e.type === 'assigned')),
      'bob',
      'bob is back within the window and gets his customer',
    );
  },
);

t.test(
  'QUEUE-4: beyond the maximum queue length the customer is offered to leave a message; it is answered when capacity is left over',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, autoMessages: false });
    await configure(s, 'pre-sales', { maxQueueLength: 1 });
    const first = await openConversation(s, { department: 'pre-sales', text: 'one' });
    t.match(
      await first.v.waitFor((e) => e.type === 'queued'),
      { reason: 'no_agents_online' },
      'nobody online: told so, and keeps a place in line',
    );
    t.match(await first.v.waitFor((e) => e.type === 'queue_position'), { position: 1 });
    const second = await openConversation(s, { department: 'pre-sales', text: 'two' });
    t.match(
      await second.v.waitFor((e) => e.type === 'queued'),
      { reason: 'queue_full' },
      'the line is full: leave a message',
    );
    await settle();
    t.notOk(
      second.v.events.some((e) => e.type === 'queue_position'),
      'a left message has no place in line',
    );
    // The conversation stays open: the customer can add to their message.
    await second.v.ok({
      type: 'send',
      conversationId: second.conversationId,
      clientMsgId: 'x',
      text: 'my number is 123',
    });

    const alice = await onlineAgent(s, 'alice');
    t.equal(agentOf(await first.v.waitFor((e) => e.type === 'assigned')), 'alice', 'the line first');
    t.equal(
      agentOf(await second.v.waitFor((e) => e.type === 'assigned')),
      'alice',
      'then the left message, with capacity left over',
    );
    const history = await alice.ok({ type: 'resume', conversationId: second.conversationId, lastSeq: 0 });
    t.ok((history.lastSeq as number) >= 4, 'the agent reads the whole left message');
  },
);

t.test(
  'QUEUE-6: outside business hours the customer is told and may leave a message, answered when the team is back',
  async (t) => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 5, 2, 0)); // Monday 10:00 in Shanghai
    const s = await startTestServer(t, { clock, autoMessages: false });
    t.match(
      await configure(s, 'pre-sales', { hours: { timeZone: 'Mars/Olympus', weekly: {} } }).catch((e: Error) => e),
      { code: 'invalid_field', field: 'hours' },
      'an invalid schedule is refused',
    );
    const weekdays = { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] } as {
      mon: [string, string][];
      tue: [string, string][];
    };
    await configure(s, 'pre-sales', { hours: { timeZone: 'Asia/Shanghai', weekly: weekdays } });

    const open1 = await openConversation(s, { department: 'pre-sales', text: 'during hours' });
    t.notMatch(
      await open1.v.waitFor((e) => e.type === 'queued'),
      { reason: 'closed' },
      'open at 10:00: no closed notice',
    );

    await clock.advance(9 * 3600_000); // 19:00 Shanghai
    const late = await openConversation(s, { department: 'pre-sales', text: 'after hours' });
    t.match(await late.v.waitFor((e) => e.type === 'queued'), { reason: 'closed' }, 'closed at 19:00: told so');

    // Next morning the team is back: the left message is answered in order.
    await clock.advance(14 * 3600_000);
    await onlineAgent(s, 'alice');
    t.equal(agentOf(await open1.v.waitFor((e) => e.type === 'assigned')), 'alice');
    t.equal(
      agentOf(await late.v.waitFor((e) => e.type === 'assigned')),
      'alice',
      'the evening message is answered when the team is back',
    );
  },
);

t.test(
  'ROUTE-12: staff list a department queue to pick from; supervisors and admins give a waiting conversation to any agent, agents cannot',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, autoMessages: false });
    await s.server.directory.deps.runtime.ask(s.server.directory.workspace, { type: 'setAutoAssign', enabled: false });
    const a = await openConversation(s, { department: 'after-sales', text: 'first' });
    await a.v.waitFor((e) => e.type === 'queued');
    await clock.advance(1_000);
    const b = await openConversation(s, { department: 'after-sales', text: 'second' });
    await b.v.waitFor((e) => e.type === 'queued');

    const bob = await onlineAgent(s, 'bob');
    const alice = await onlineAgent(s, 'alice');
    const carol = await s.staff('carol');
    const list = await bob.ok({ type: 'queue', department: 'after-sales' });
    t.same(
      (list.waiting as { conversationId: string; position: number }[]).map((w) => [w.conversationId, w.position]),
      [
        [a.conversationId, 1],
        [b.conversationId, 2],
      ],
      'in queue order, with positions',
    );
    t.equal(
      (await alice.command({ type: 'queue', department: 'after-sales' })).code,
      'not_found',
      'not a department of hers',
    );

    t.equal(
      (await bob.command({ type: 'claim', conversationId: a.conversationId, agentId: 'alice' })).code,
      'forbidden',
      'an agent cannot hand conversations to others',
    );
    const given = await carol.ok({ type: 'claim', conversationId: a.conversationId, agentId: 'alice' });
    t.equal(given.agentId, 'alice', 'the supervisor of after-sales gives it to alice, although alice is in pre-sales');
    t.match(await a.v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'alice' }, policy: 'manual' });
    t.equal(
      (await carol.command({ type: 'claim', conversationId: b.conversationId, agentId: 'nobody' })).code,
      'not_found',
    );
    const admin = await s.staff('admin');
    const why = await admin.ok({ type: 'explain', conversationId: a.conversationId });
    t.match((why.decisions as unknown[]).at(-1), {
      outcome: 'claimed',
      agentId: 'alice',
      note: 'assigned by carol (supervisor)',
    });
    t.same(
      ((await bob.ok({ type: 'queue', department: 'after-sales' })).waiting as { conversationId: string }[]).map(
        (w) => w.conversationId,
      ),
      [b.conversationId],
    );
  },
);
