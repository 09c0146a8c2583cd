/** ROUTE-13: an assigned agent who does not reply in time loses the conversation to the next agent, on the virtual clock. */
import t from 'tap';
import { startTestServer, type TestOwner } from './support/server.js';
import { onlineAgent, openConversation } from './support/conversations.js';
import { configure } from './support/routing.js';
import { VirtualClock } from '../actors/clock.js';
import type { DepartmentSettings } from '../actors/workspace/messages.js';

/** A server on the virtual clock whose after-sales department has a response timeout (ROUTE-13). */
async function afterSalesWithTimeout(t: TestOwner, settings: DepartmentSettings) {
  const clock = new VirtualClock();
  const s = await startTestServer(t, { clock });
  await configure(s, 'after-sales', settings);
  return { clock, s };
}

t.test(
  'ROUTE-13: no first reply within the response timeout → the next eligible agent gets it, the first is told why and set away',
  async (t) => {
    const { clock, s } = await afterSalesWithTimeout(t, { responseTimeoutSec: 60, awayAfterResponseTimeout: true });
    const bob = await onlineAgent(s, 'bob');
    const carol = await onlineAgent(s, 'carol');
    const { v, conversationId } = await openConversation(s, { department: 'after-sales', text: 'anyone?' });
    t.match(await v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'bob' } }, 'round robin: bob first');

    await clock.advance(59_000);
    t.notOk(
      v.events.some((e) => e.type === 'unassigned'),
      'not before the timeout',
    );
    await clock.advance(1_000);
    t.match(await v.waitFor((e) => e.type === 'unassigned'), { agent: { id: 'bob' }, reason: 'response_timeout' });
    t.match(
      await v.waitFor((e) => e.type === 'assigned' && (e.agent as { id: string }).id === 'carol'),
      { agent: { id: 'carol' } },
      'carol gets it',
    );
    t.match(
      await bob.waitFor((e) => e.type === 'notice'),
      { conversationId, code: 'response_timeout' },
      'bob is told why',
    );
    const bobNow = await bob.waitFor((e) => e.type === 'agent_status' && e.status === 'away');
    t.equal(bobNow.active, 0, 'bob is away and no longer holds the slot');
    t.equal(
      (await bob.command({ type: 'send', conversationId, clientMsgId: 'late', text: 'sorry' })).code,
      'not_found',
      'bob can no longer write to it',
    );

    // Carol replies in time: no second hand-over.
    await carol.ok({ type: 'send', conversationId, clientMsgId: 'c1', text: 'Hello, Carol here' });
    await clock.advance(120_000);
    await new Promise((r) => setTimeout(r, 50));
    t.equal(v.events.filter((e) => e.type === 'unassigned').length, 1, 'an agent who replied keeps the conversation');
    t.same((await carol.ok({ type: 'status', status: 'online' })).conversations, [conversationId]);
  },
);

t.test(
  'ROUTE-13: the timed-out agent is never offered the conversation again; with nobody else it waits in the queue',
  async (t) => {
    const { clock, s } = await afterSalesWithTimeout(t, { responseTimeoutSec: 30 });
    const bob = await onlineAgent(s, 'bob');
    const { v } = await openConversation(s, { department: 'after-sales' });
    await v.waitFor((e) => e.type === 'assigned');
    await clock.advance(30_000);
    await v.waitFor((e) => e.type === 'unassigned');
    t.match(
      await v.waitFor((e) => e.type === 'queued'),
      { type: 'queued' },
      'bob (still online, not set away) is not offered it again: it waits',
    );
    t.same((await bob.ok({ type: 'status', status: 'online' })).conversations, []);

    // The conversation that excludes bob does not block the queue for those behind it.
    const { v: w, conversationId: behind } = await openConversation(s, { department: 'after-sales' });
    t.match(
      await w.waitFor((e) => e.type === 'assigned'),
      { agent: { id: 'bob' } },
      'the next customer goes to bob past the one that excludes him',
    );
    t.same((await bob.ok({ type: 'status', status: 'online' })).conversations, [behind]);
    t.notOk(
      v.events.filter((e) => e.type === 'assigned').length > 1,
      'the first customer still waits for someone else',
    );
  },
);

t.test(
  "ROUTE-13 SUP-2: a joined supervisor's message does not answer for the assigned agent: the timer still runs out",
  async (t) => {
    const { clock, s } = await afterSalesWithTimeout(t, { responseTimeoutSec: 60 });
    const _bob = await onlineAgent(s, 'bob');
    const carol = await s.staff('carol');
    const { v, conversationId } = await openConversation(s, { department: 'after-sales', text: 'anyone?' });
    t.match(await v.waitFor((e) => e.type === 'assigned'), { agent: { id: 'bob' } });
    await carol.ok({ type: 'join', conversationId });
    await carol.ok({ type: 'send', conversationId, clientMsgId: 'c1', text: 'A colleague will be with you shortly' });
    await clock.advance(60_000);
    t.match(
      await v.waitFor((e) => e.type === 'unassigned'),
      { agent: { id: 'bob' }, reason: 'response_timeout' },
      'bob still loses it for not replying',
    );
  },
);
