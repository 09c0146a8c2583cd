/** ROUTE-14: an agent who drops and does not come back within the grace period, or goes offline, loses their conversations to others. */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { onlineAgent, openConversation } from './support/conversations.js';
import { VirtualClock } from '../actors/clock.js';
import { TestClient } from './support/client.js';

t.test(
  'ROUTE-14: a network drop gets a grace period; past it the conversations are re-assigned with their history',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const bob = await onlineAgent(s, 'bob');
    const { v, conversationId } = await openConversation(s, { department: 'after-sales', text: 'my order is late' });
    await v.waitFor((e) => e.type === 'assigned');
    await bob.ok({ type: 'send', conversationId, clientMsgId: 'b1', text: 'looking into it' });

    // Drop and come back within the grace period (60 s): nothing changes.
    bob.ws.terminate();
    await new Promise((r) => setTimeout(r, 20));
    await clock.advance(30_000);
    const back = await TestClient.connect(`${s.staffUrl}?token=${encodeURIComponent(s.cred('bob').token)}`);
    t.same(
      (await back.ok({ type: 'status', status: 'online' })).conversations,
      [conversationId],
      'bob still has it after a short drop',
    );
    await clock.advance(60_000);
    t.notOk(
      v.events.some((e) => e.type === 'unassigned'),
      'no failover for a drop shorter than the grace period',
    );

    // Carol comes online; bob drops for good.
    const carol = await onlineAgent(s, 'carol');
    back.ws.terminate();
    await new Promise((r) => setTimeout(r, 20));
    await clock.advance(59_000);
    t.notOk(
      v.events.some((e) => e.type === 'unassigned'),
      'still within the grace period',
    );
    await clock.advance(1_000);
    t.match(await v.waitFor((e) => e.type === 'unassigned'), { agent: { id: 'bob' }, reason: 'agent_offline' });
    t.match(await v.waitFor((e) => e.type === 'assigned' && (e.agent as { id: string }).id === 'carol'), {
      agent: { id: 'carol' },
    });
    await carol.resumeAll(conversationId, 0);
    t.ok(
      carol.conversationEvents(conversationId).some((e) => e.clientMsgId === 'b1'),
      "carol sees the history, bob's reply included",
    );
  },
);

t.test(
  'ROUTE-14: going offline re-assigns at once; no agent online → the conversation waits in the queue',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const bob = await onlineAgent(s, 'bob');
    const { v, conversationId } = await openConversation(s, { department: 'after-sales' });
    await v.waitFor((e) => e.type === 'assigned');
    const off = await bob.ok({ type: 'status', status: 'offline' });
    t.equal(off.status, 'offline');
    t.match(await v.waitFor((e) => e.type === 'unassigned'), { reason: 'agent_offline' });
    t.match(await v.waitFor((e) => e.type === 'queued'), { conversationId }, 'nobody else online: it waits');
    await new Promise((r) => setTimeout(r, 30));
    t.same((await bob.ok({ type: 'status', status: 'offline' })).conversations, [], "bob's slot was given back");
  },
);
