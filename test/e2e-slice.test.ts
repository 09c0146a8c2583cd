import t from 'tap';
import { startTestServer } from './support/server.js';

t.test(
  'ROUTE-2 QUEUE-1 QUEUE-3: queued while nobody is online, assigned when an agent comes online; messages flow both ways with acks and seq',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const visitor = await s.visitor({ binary: true });
    const hello = await visitor.ok({ type: 'hello' });
    t.match(hello.visitorId, /^v-/);
    const started = await visitor.ok({
      type: 'start',
      department: 'pre-sales',
      text: 'hello, anyone?',
      clientMsgId: 'm1',
    });
    const conversationId = started.conversationId as string;
    t.equal(started.seq, 2, 'first message is seq 2 after created');
    await visitor.waitFor((e) => e.type === 'queued');
    const pos = await visitor.waitFor((e) => e.type === 'queue_position');
    t.equal(pos.position, 1);

    const alice = await s.staff('alice');
    t.same(await alice.ok({ type: 'status', status: 'online' }), {
      status: 'online',
      active: 0,
      max: 5,
      conversations: [],
    });
    const assigned = await visitor.waitFor((e) => e.type === 'assigned');
    t.equal((assigned.agent as { id: string }).id, 'alice');
    await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);

    // The agent got `assigned` (seq 4) live; resuming from seq 0 fetches the history before it, never the live event again (OPS-2).
    const history = await alice.ok({ type: 'resume', conversationId, lastSeq: 0 });
    t.equal(history.lastSeq, 4);
    t.same(
      alice.conversationEvents(conversationId).map((e) => `${String(e.seq)}:${e.type}`),
      ['4:assigned', '1:created', '2:message', '3:queued'],
    );

    const reply = await alice.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: 'Hi, I am Alice' });
    t.equal(reply.seq, 5);
    const got = await visitor.waitFor((e) => e.type === 'message' && e.seq === 5);
    t.equal(got.text, 'Hi, I am Alice');
    t.same(got.from, { role: 'agent', id: 'alice' });
  },
);
