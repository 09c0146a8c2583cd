/**
 * Transfers (XFER-1…8) over real WebSockets: to a colleague or a department,
 * with note and tags, the customer told and still typing, the receiving
 * agent's handover, limits, the chain, and resolve / reopen.
 */
import t from 'tap';
import { startTestServer, type TestServer } from './support/server.js';
import { openConversation, onlineAgent } from './support/conversations.js';
import type { TestClient, Frame } from './support/client.js';
import { agentOf, newAgent, onlineNewAgent } from './support/routing.js';
import { VirtualClock } from '../actors/clock.js';

const pause = (ms = 80) => new Promise((r) => setTimeout(r, ms));

const assignedTo = (conversationId: string, agentId: string) => (e: Frame) =>
  e.type === 'assigned' && e.conversationId === conversationId && agentOf(e) === agentId;

/** Two pre-sales agents online; a visitor's conversation assigned to the first. */
async function twoAgents(s: TestServer, extra: { crossDepartmentTransfer?: boolean; maxConcurrent?: number } = {}) {
  const a = await onlineNewAgent(s, { id: 'ann', name: 'Ann', departments: ['pre-sales'], ...extra });
  const b = await newAgent(s, {
    id: 'ben',
    name: 'Ben',
    departments: ['pre-sales'],
    ...(extra.maxConcurrent ? { maxConcurrent: extra.maxConcurrent } : {}),
  });
  await b.ok({ type: 'status', status: 'online' });
  return { a, b };
}

async function served(s: TestServer, agent: TestClient, agentId: string, text = 'I need help with my order') {
  const { v, conversationId, visitorId } = await openConversation(s, { department: 'pre-sales', text });
  await agent.waitFor(assignedTo(conversationId, agentId));
  await v.waitFor(assignedTo(conversationId, agentId));
  return { v, conversationId, visitorId };
}

t.test(
  'XFER-1 XFER-2 XFER-3 XFER-4: a transfer to a named colleague while the customer keeps typing loses and duplicates nothing; the colleague gets the note, tags, earlier notes and the whole history',
  async (t) => {
    const s = await startTestServer(t);
    // Ann is first online: round robin gives her the first conversation.
    const { a, b } = await twoAgents(s);
    const { v, conversationId } = await served(s, a, 'ann');
    await a.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: 'Let me look' });
    await a.ok({ type: 'note', conversationId, text: 'customer already called twice' });

    // The customer types before, during and after the hand-over; none of these sends is awaited first.
    const sends: Promise<Record<string, unknown>>[] = [];
    for (let i = 0; i < 5; i++)
      sends.push(v.ok({ type: 'send', conversationId, clientMsgId: `during-${i}`, text: `message ${i}` }));
    const transfer = a.ok({
      type: 'transfer',
      conversationId,
      to: { agentId: 'ben' },
      note: 'wants a refund, angry',
      tags: ['billing', 'angry'],
      reason: 'billing question',
    });
    for (let i = 5; i < 10; i++)
      sends.push(v.ok({ type: 'send', conversationId, clientMsgId: `during-${i}`, text: `message ${i}` }));
    const acked = await Promise.all(sends);
    const result = await transfer;
    t.match(
      result,
      { conversationId, n: 0, department: 'pre-sales', agentId: 'ben' },
      'the transfer is acked with its number in the chain',
    );
    for (let i = 10; i < 13; i++)
      acked.push(await v.ok({ type: 'send', conversationId, clientMsgId: `during-${i}`, text: `message ${i}` }));

    // XFER-3: the customer is told, in their language (English default), and sees the new agent.
    const told = await v.waitFor((e) => e.type === 'message' && e.auto === 'transferring');
    t.match(
      told,
      { from: { role: 'system' }, text: /being transferred to another agent/ },
      'the customer is told the conversation is being transferred',
    );
    await v.waitFor(assignedTo(conversationId, 'ben'));
    t.notOk(
      v.events.some((e) => JSON.stringify(e).includes('wants a refund')),
      'the transfer note never reaches the customer',
    );

    // XFER-4: the handover comes before the live assigned event, with note, tags, earlier notes and history.
    const handover = await b.waitFor((e) => e.type === 'handover' && e.conversationId === conversationId);
    t.match(handover.transfer, {
      n: 0,
      by: { id: 'ann' },
      from: { id: 'ann' },
      to: { kind: 'agent', id: 'ben' },
      note: 'wants a refund, angry',
      tags: ['billing', 'angry'],
      reason: 'billing question',
    });
    t.match(
      handover.notes,
      [{ text: 'customer already called twice', author: { id: 'ann' } }],
      'earlier internal notes come with it',
    );
    t.match(
      handover.customer,
      { customer: { id: String }, conversations: Array },
      'and the customer profile and earlier conversations (CUST-2), with no re-identification',
    );
    t.equal(handover.historyFromSeq, 1, 'the whole history, from the first event');
    const history = handover.history as Frame[];
    t.match(history[0], { type: 'created', seq: 1 });
    t.ok(
      history.some((e) => e.type === 'message' && e.text === 'I need help with my order'),
      'the first message is in the history',
    );
    t.ok(
      history.some((e) => e.type === 'message' && e.text === 'Let me look'),
      "so is Ann's reply",
    );
    const benIndexHandover = b.events.indexOf(handover);
    const benAssigned = b.events.findIndex(assignedTo(conversationId, 'ben'));
    t.ok(benIndexHandover >= 0 && benIndexHandover < benAssigned, 'the handover arrives before the assigned event');

    // Nothing lost, nothing twice: history + live events on Ben's side hold every seq once, in order.
    const lastSeq = Math.max(...acked.map((r) => r.seq as number));
    await b.waitFor((e) => e.conversationId === conversationId && (e.seq as number) >= lastSeq);
    const seen = [
      ...history,
      ...b.events.filter((e) => e.conversationId === conversationId && typeof e.seq === 'number'),
    ].map((e) => e.seq as number);
    t.same(
      seen,
      Array.from({ length: seen.length }, (_, i) => i + 1),
      'Ben sees seq 1…n exactly once each, in order',
    );
    const texts = [...history, ...b.events.filter((e) => e.conversationId === conversationId)]
      .filter((e) => e.type === 'message' && e.from && (e.from as { role: string }).role === 'visitor')
      .map((e) => e.text);
    for (let i = 0; i < 13; i++)
      t.equal(texts.filter((x) => x === `message ${i}`).length, 1, `message ${i} reached Ben once`);

    // The customer's sends were all stored once: the journal holds each clientMsgId once.
    const replay = await b.resumeAll(conversationId, 0);
    t.ok(replay, 'Ben can resume it');
    // Ben's resume replays only what his connection was never sent (OPS-2): the handover's history and the live events hold the rest.
    const stored = [...history, ...b.events].filter(
      (e) =>
        e.conversationId === conversationId &&
        e.type === 'message' &&
        typeof e.clientMsgId === 'string' &&
        (e.clientMsgId as string).startsWith('during-'),
    );
    t.equal(new Set(stored.map((e) => e.seq)).size, 13, 'thirteen distinct stored customer messages');

    // The former agent lets go: cannot write, and their load drops.
    t.match(
      await a.command({ type: 'send', conversationId, clientMsgId: 'a2', text: 'still here?' }),
      { type: 'error', code: 'not_found' },
      'Ann no longer serves it',
    );
    t.match(a.events.filter((e) => e.type === 'agent_status').at(-1), { active: 0 }, "Ann's slot is free again");
    t.match(
      await b.ok({ type: 'send', conversationId, clientMsgId: 'b1', text: 'Ben here, I have read everything' }),
      { conversationId },
      'Ben serves it',
    );
  },
);

t.test(
  'XFER-2 XFER-5: tags must come from the workspace list; the eleventh transfer of the day of a limited agent is refused with the reason, and the next day counts again',
  async (t) => {
    const clock = new VirtualClock(Date.parse('2026-11-23T10:00:00Z'));
    const s = await startTestServer(t, { clock });
    const { a, b } = await twoAgents(s);
    const { conversationId } = await served(s, a, 'ann');
    t.match(
      await a.command({ type: 'transfer', conversationId, to: { agentId: 'ben' }, note: 'x', tags: ['not-a-tag'] }),
      { type: 'error', code: 'invalid_field', field: 'tags.0' },
      'a tag outside the workspace list is refused',
    );
    t.match(await a.command({ type: 'transfer', conversationId, to: { agentId: 'ben' }, note: 'x'.repeat(2001) }), {
      type: 'error',
      code: 'invalid_field',
      field: 'note',
    });

    // The demo workspace limits agents to 10 transfers a day. Ann and Ben pass it back and forth.
    let holder = 'ann';
    const clients: Record<string, TestClient> = { ann: a, ben: b };
    let annCount = 0;
    for (let i = 0; i < 21; i++) {
      const to = holder === 'ann' ? 'ben' : 'ann';
      const r = await clients[holder]!.command({
        type: 'transfer',
        conversationId,
        to: { agentId: to },
        note: `hop ${i}`,
      });
      if (holder === 'ann' && annCount === 10) {
        t.match(
          r,
          { type: 'error', code: 'limit_exceeded', message: /10 transfers a day/ },
          "Ann's eleventh transfer today is refused, saying why",
        );
        break;
      }
      t.equal(r.type, 'ack', `transfer ${i} (${holder} → ${to}) is accepted`);
      if (holder === 'ann') annCount++;
      await clients[to]!.waitFor((e) => e.type === 'handover' && (e.transfer as { n: number }).n === i);
      holder = to;
    }
    t.equal(annCount, 10, 'Ann made ten transfers');
    const chain = await a.ok({ type: 'transfers', conversationId });
    t.equal((chain.transfers as unknown[]).length, 20, 'the refused transfer is not in the chain');
    t.match(
      await a.command({ type: 'send', conversationId, clientMsgId: 'still', text: 'I still have it' }),
      { type: 'ack' },
      'the conversation stays with Ann',
    );

    await clock.advance(24 * 3600 * 1000);
    t.match(
      await a.command({ type: 'transfer', conversationId, to: { agentId: 'ben' }, note: 'new day' }),
      { type: 'ack' },
      'the next day (UTC) Ann may transfer again',
    );
  },
);

t.test(
  'XFER-1 XFER-8: across departments only with a grant; a department target routes it there by policy, or queues it there when nobody can take it',
  async (t) => {
    const s = await startTestServer(t);
    const plain = await onlineNewAgent(s, { id: 'pat', name: 'Pat', departments: ['pre-sales'] });
    const { conversationId: c1 } = await served(s, plain, 'pat');
    t.match(
      await plain.command({ type: 'transfer', conversationId: c1, to: { department: 'after-sales' }, note: 'refund' }),
      { type: 'error', code: 'forbidden', field: 'to.department' },
      'an agent without the grant cannot transfer to another department',
    );
    t.match(
      await plain.command({ type: 'transfer', conversationId: c1, to: { agentId: 'bob' }, note: 'refund' }),
      { type: 'error', code: 'forbidden' },
      'nor to a colleague of another department',
    );
    t.match(await plain.command({ type: 'transfer', conversationId: c1, to: { department: 'nowhere' }, note: 'x' }), {
      type: 'error',
      code: 'not_found',
      field: 'to.department',
    });
    t.match(await plain.command({ type: 'transfer', conversationId: c1, to: { agentId: 'nobody' }, note: 'x' }), {
      type: 'error',
      code: 'not_found',
      field: 'to.agentId',
    });

    const granted = await newAgent(s, {
      id: 'gil',
      name: 'Gil',
      departments: ['pre-sales'],
      crossDepartmentTransfer: true,
    });
    await plain.ok({ type: 'status', status: 'busy' });
    await granted.ok({ type: 'status', status: 'online' });
    const { v, conversationId } = await served(s, granted, 'gil', 'my parcel never arrived');

    // Nobody of after-sales is online: the department target queues it there (XFER-8).
    const queuedThere = await granted.ok({
      type: 'transfer',
      conversationId,
      to: { department: 'after-sales' },
      note: 'refund case',
    });
    t.match(queuedThere, { conversationId, department: 'after-sales' });
    t.notOk('agentId' in queuedThere, 'no agent yet');
    t.match(
      await v.waitFor((e) => e.type === 'transferred'),
      { department: 'after-sales', from: { id: 'gil' } },
      'the customer sees the hand-over to the department',
    );
    await v.waitFor((e) => e.type === 'queued' && e.department === 'after-sales');

    // Bob comes online: routed by the department's policy, with the handover.
    const bob = await onlineAgent(s, 'bob');
    const handover = await bob.waitFor((e) => e.type === 'handover' && e.conversationId === conversationId);
    t.match(handover.transfer, {
      to: { kind: 'department', department: 'after-sales' },
      note: 'refund case',
      fromDepartment: 'pre-sales',
    });
    await v.waitFor(assignedTo(conversationId, 'bob'));
    t.ok(
      (handover.history as Frame[]).some((e) => e.type === 'message' && e.text === 'my parcel never arrived'),
      'Bob gets the history',
    );
  },
);

t.test(
  'XFER-8: a transfer to a colleague who is offline, away or full is refused with the reason, and the conversation stays',
  async (t) => {
    const s = await startTestServer(t);
    const { a, b } = await twoAgents(s, { maxConcurrent: 1 });
    const { conversationId } = await served(s, a, 'ann');
    // Ben (capacity 1) takes the next one and is full.
    const second = await served(s, b, 'ben', 'second customer');
    t.ok(second.conversationId);
    t.match(
      await a.command({ type: 'transfer', conversationId, to: { agentId: 'ben' }, note: 'x' }),
      { type: 'error', code: 'conflict', field: 'to.agentId', message: /full/ },
      'full',
    );
    await b.ok({ type: 'resolve', conversationId: second.conversationId });
    await b.ok({ type: 'status', status: 'away' });
    t.match(
      await a.command({ type: 'transfer', conversationId, to: { agentId: 'ben' }, note: 'x' }),
      { type: 'error', code: 'conflict', message: /away/ },
      'away',
    );
    const carl = await newAgent(s, { id: 'carl', name: 'Carl', departments: ['pre-sales'] });
    t.ok(carl);
    t.match(
      await a.command({ type: 'transfer', conversationId, to: { agentId: 'carl' }, note: 'x' }),
      { type: 'error', code: 'conflict', message: /offline/ },
      'offline',
    );
    t.match(
      await a.command({ type: 'transfer', conversationId, to: { agentId: 'ann' }, note: 'x' }),
      { type: 'error', code: 'conflict' },
      'not to yourself',
    );
    t.match(
      await a.ok({ type: 'send', conversationId, clientMsgId: 'stay', text: 'still with me' }),
      { conversationId },
      'the conversation stays with Ann',
    );
    t.match(
      await b.command({ type: 'transfer', conversationId, to: { agentId: 'carl' }, note: 'x' }),
      { type: 'error', code: 'not_found' },
      'an agent who does not serve it cannot transfer it',
    );
  },
);

t.test(
  'XFER-6: transfers chain, and the chain is readable in order with time, from, to, note, tags and reason',
  async (t) => {
    const s = await startTestServer(t);
    const { a, b } = await twoAgents(s, { crossDepartmentTransfer: true });
    const bob = await onlineAgent(s, 'bob');
    const { conversationId } = await served(s, a, 'ann');
    await a.ok({
      type: 'transfer',
      conversationId,
      to: { agentId: 'ben' },
      note: 'first',
      tags: ['billing'],
      reason: 'expertise',
    });
    await b.waitFor((e) => e.type === 'handover');
    // Ben has no grant: a supervisor re-assigns across departments instead (SUP-4 uses the same chain).
    const carol = await s.staff('carol');
    await carol.ok({
      type: 'transfer',
      conversationId,
      to: { department: 'after-sales' },
      note: 'second',
      tags: ['shipping'],
    });
    const handover = await bob.waitFor((e) => e.type === 'handover' && e.conversationId === conversationId);
    t.equal((handover.transfers as unknown[]).length, 2, 'the receiving agent sees the whole chain');
    const { transfers } = await carol.ok({ type: 'transfers', conversationId });
    t.match(transfers, [
      {
        n: 0,
        by: { id: 'ann' },
        from: { id: 'ann' },
        fromDepartment: 'pre-sales',
        to: { kind: 'agent', id: 'ben', department: 'pre-sales' },
        note: 'first',
        tags: ['billing'],
        reason: 'expertise',
      },
      {
        n: 1,
        by: { id: 'carol', role: 'supervisor' },
        from: { id: 'ben' },
        fromDepartment: 'pre-sales',
        to: { kind: 'department', department: 'after-sales' },
        note: 'second',
        tags: ['shipping'],
      },
    ]);
    const list = transfers as { at: number }[];
    t.ok(list[0]!.at <= list[1]!.at && list[0]!.at > 0, 'each with its time, in order');
    t.match(
      await a.command({ type: 'transfers', conversationId }),
      { type: 'error', code: 'not_found' },
      'a former agent no longer reads it',
    );
    const v = await s.visitor();
    t.match(
      await v.command({ type: 'transfers', conversationId }),
      { type: 'error', code: 'unknown_type' },
      'visitors have no such command',
    );
  },
);

t.test(
  'XFER-7: resolve with a summary; a new customer message reopens it and routes it to the last agent when free; staff cannot write to it',
  async (t) => {
    const s = await startTestServer(t);
    const { a, b } = await twoAgents(s);
    const { v, conversationId } = await served(s, a, 'ann');
    // Ben is free and would be next in round robin; Ann is the one who served this customer.
    t.match(await a.ok({ type: 'resolve', conversationId, summary: 'explained shipping times' }), { conversationId });
    t.match(await v.waitFor((e) => e.type === 'resolved'), { summary: 'explained shipping times', by: { id: 'ann' } });
    t.match(
      await a.command({ type: 'send', conversationId, clientMsgId: 'late', text: 'bye' }),
      { type: 'error', code: 'conflict' },
      'staff cannot write to a resolved conversation',
    );

    const r = await v.ok({ type: 'send', conversationId, clientMsgId: 'again', text: 'one more question' });
    t.match(r, { conversationId, duplicate: false });
    const reopened = await v.waitFor((e) => e.type === 'reopened');
    t.match(reopened, { by: { role: 'visitor' } });
    t.equal(r.seq, (reopened.seq as number) + 1, 'the message follows the reopen');
    t.match(
      await v.waitFor((e) => e.type === 'assigned' && (e.seq as number) > (reopened.seq as number)),
      { agent: { id: 'ann' } },
      "back to Ann, not round robin's next",
    );
    // Like any assignment, the agent reads what came before it by resuming.
    await a.resumeAll(conversationId, reopened.seq as number);
    t.ok(
      a.events.some((e) => e.type === 'message' && e.text === 'one more question'),
      'Ann reads the new question',
    );
    t.notOk(
      b.events.some((e) => e.conversationId === conversationId && e.type === 'assigned'),
      'Ben was not given it',
    );
    const hello = await (await s.visitor()).ok({
      type: 'hello',
      visitorId: v.events.length ? ((await v.ok({ type: 'hello' })).visitorId as string) : '',
    });
    t.equal(hello.conversationId, conversationId, "it is the visitor's open conversation again");

    // Resolved again, with Ann gone: the reopen goes to whoever is free.
    await a.ok({ type: 'resolve', conversationId });
    await a.ok({ type: 'status', status: 'offline' });
    await v.ok({ type: 'send', conversationId, clientMsgId: 'third', text: 'and another' });
    await v.waitFor((e) => e.type === 'assigned' && agentOf(e) === 'ben');
    t.pass('with the last agent offline, the reopened conversation goes to another');

    // A visitor with another open conversation cannot reopen an old one.
    await b.ok({ type: 'resolve', conversationId });
    await pause();
    const other = await v.ok({ type: 'start', department: 'pre-sales', text: 'new topic' });
    t.not(other.conversationId, conversationId);
    t.match(
      await v.command({ type: 'send', conversationId, clientMsgId: 'old', text: 'back to the old one' }),
      { type: 'error', code: 'conflict' },
      'refused: write in the open one',
    );
  },
);

t.test(
  "XFER-4: the receiving agent's notification is sent to them only, and a department transfer to a busy department keeps the customer messages of the wait",
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const { a, b } = await twoAgents(s, { crossDepartmentTransfer: true });
    const { v, conversationId } = await served(s, a, 'ann');
    await a.ok({ type: 'transfer', conversationId, to: { department: 'after-sales' }, note: 'to after-sales' });
    await v.waitFor((e) => e.type === 'queued');
    for (let i = 0; i < 3; i++)
      await v.ok({ type: 'send', conversationId, clientMsgId: `wait-${i}`, text: `while waiting ${i}` });
    const bob = await onlineAgent(s, 'bob');
    const handover = await bob.waitFor((e) => e.type === 'handover');
    const waited = (handover.history as Frame[]).filter(
      (e) => e.type === 'message' && String(e.text).startsWith('while waiting'),
    );
    t.equal(waited.length, 3, 'messages written while nobody served it are in the history');
    await pause();
    t.notOk(
      b.events.some((e) => e.type === 'handover'),
      'nobody else gets the handover',
    );
    t.notOk(
      v.events.some((e) => e.type === 'handover'),
      'the customer never does',
    );
  },
);

t.test(
  'XFER-4: a long history of long messages comes as one bounded page, the rest by resume; the connection survives',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const { a, b } = await twoAgents(s);
    const { v, conversationId } = await served(s, a, 'ann');
    const long = 'x'.repeat(7990);
    for (let i = 0; i < 60; i++)
      await v.ok({ type: 'send', conversationId, clientMsgId: `long-${i}`, text: `${i} ${long}` });
    await a.ok({ type: 'transfer', conversationId, to: { agentId: 'ben' }, note: 'long story' });
    const handover = await b.waitFor((e) => e.type === 'handover');
    const assigned = await b.waitFor(assignedTo(conversationId, 'ben'));
    const history = handover.history as Frame[];
    const from = handover.historyFromSeq as number;
    t.ok(from > 1, `only the latest events: history starts at seq ${from}`);
    t.ok(JSON.stringify(handover).length <= 300 * 1024, 'the frame stays small');
    t.same(
      history.map((e) => e.seq),
      Array.from({ length: (assigned.seq as number) - from }, (_, i) => from + i),
      'the page is contiguous up to the assignment',
    );
    const older = await b.resumeAll(conversationId, 0);
    t.equal(older.lastSeq, assigned.seq, 'older events are there by resume');
    t.equal(b.closeCode, undefined, 'the connection stays open');
  },
);
