/** CONV-2: typing indicators and read receipts, both ways, over real WebSockets (virtual clock where time matters). */
import t from 'tap';
import { startTestServer, type TestServer } from './support/server.js';
import { onlineAgent, servedConversation } from './support/conversations.js';
import { TestClient, type Frame } from './support/client.js';
import { VirtualClock } from '../actors/clock.js';
import { Limits } from '../protocol/limits.js';
import { interceptEvents } from './support/store-faults.js';

const typingOf = (c: TestClient, conversationId: string): Frame[] =>
  c.events.filter((e) => e.type === 'typing' && e.conversationId === conversationId);
const readsOf = (c: TestClient, conversationId: string): Frame[] =>
  c.events.filter((e) => e.type === 'read' && e.conversationId === conversationId);

/**
 * A round trip on the connection: every frame the server sent it before the
 * ack has arrived, so "not received" can be asserted without sleeping.
 */
const flush = async (...clients: TestClient[]): Promise<void> => {
  for (const c of clients) await c.ok({ type: 'ping' });
};

/** A visitor in pre-sales served by alice (who follows it from `assigned`). */
async function served(
  s: TestServer,
): Promise<{ v: TestClient; alice: TestClient; conversationId: string; visitorId: string }> {
  const alice = await onlineAgent(s, 'alice');
  return {
    alice,
    ...(await servedConversation(s, alice, { department: 'pre-sales', text: 'hello?', clientMsgId: 'v-1' })),
  };
}

t.test(
  "CONV-2: visitor typing reaches the agent and not the visitor's own connections; agent typing reaches the visitor and not the agent",
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const { v, alice, conversationId, visitorId } = await served(s);
    // A second tab of the same visitor that follows the conversation.
    const tab = await s.visitor({ binary: true });
    await tab.ok({ type: 'hello', visitorId });
    await tab.ok({ type: 'resume', conversationId, lastSeq: 3 });

    t.same(await v.ok({ type: 'typing', conversationId, typing: true }), { conversationId });
    t.same(await alice.waitFor((e) => e.type === 'typing'), {
      type: 'typing',
      conversationId,
      from: { role: 'visitor', id: visitorId },
      typing: true,
    });
    await flush(v, tab);
    t.same(typingOf(v, conversationId), [], "not echoed to the sender's connection");
    t.same(typingOf(tab, conversationId), [], "nor to the same visitor's other tab");

    await alice.ok({ type: 'typing', conversationId, typing: true });
    t.same(await v.waitFor((e) => e.type === 'typing'), {
      type: 'typing',
      conversationId,
      from: { role: 'agent', id: 'alice' },
      typing: true,
    });
    t.match(
      await tab.waitFor((e) => e.type === 'typing'),
      { from: { id: 'alice' }, typing: true },
      'every visitor connection that follows sees the agent type',
    );
    await alice.ok({ type: 'typing', conversationId, typing: false });
    t.match(await v.waitFor((e) => e.type === 'typing' && e.typing === false), { from: { id: 'alice' } }, 'and stop');
    await flush(alice);
    t.same(
      typingOf(alice, conversationId).map((e) => (e.from as { role: string }).role),
      ['visitor'],
      'the agent never hears their own typing',
    );
  },
);

t.test(
  'CONV-2: repeated typing within the window is not re-broadcast; an unrefreshed indicator expires with typing:false; a message ends it',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, autoMessages: false });
    const { v, alice, conversationId } = await served(s);
    const seen = async (): Promise<boolean[]> => {
      await flush(alice);
      return typingOf(alice, conversationId).map((e) => e.typing as boolean);
    };

    await v.ok({ type: 'typing', conversationId, typing: true });
    await clock.advance(2_000);
    await v.ok({ type: 'typing', conversationId, typing: true });
    await v.ok({ type: 'typing', conversationId, typing: true });
    t.same(await seen(), [true], 'refreshes inside the window are absorbed');
    await clock.advance(Limits.typingRebroadcastMs - 2_000);
    await v.ok({ type: 'typing', conversationId, typing: true });
    t.same(await seen(), [true, true], 'a refresh after the window goes out again (late joiners learn of it)');

    // No refresh: it expires typingExpiresMs after the last one, not after the first.
    await clock.advance(Limits.typingExpiresMs - 1);
    t.same(await seen(), [true, true], 'not before the expiry');
    await clock.advance(1);
    await alice.waitFor((e) => e.type === 'typing' && e.typing === false);
    t.same(await seen(), [true, true, false], 'the server ends a forgotten indicator');
    await v.ok({ type: 'typing', conversationId, typing: false });
    t.same(await seen(), [true, true, false], 'stopping when not typing sends nothing');

    // Typing, then the message itself: the indicator ends with the message (no typing:false), and the next keystroke shows at once.
    await v.ok({ type: 'typing', conversationId, typing: true });
    await v.ok({ type: 'send', conversationId, clientMsgId: 'v-2', text: 'are you there?' });
    await v.ok({ type: 'typing', conversationId, typing: true });
    t.same(
      await seen(),
      [true, true, false, true, true],
      'typing after a message shows again without waiting out the window',
    );
    await v.ok({ type: 'send', conversationId, clientMsgId: 'v-3', text: 'bye' });
    await clock.advance(Limits.typingExpiresMs * 2);
    t.same(await seen(), [true, true, false, true, true], 'a message cancels the expiry: no late typing:false');
  },
);

t.test(
  "CONV-2: a supervisor watching silently (resume) makes no typing or read events to the visitor, and sees the customer's",
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const { v, alice, conversationId, visitorId } = await served(s);
    const carol = await s.staff('carol'); // supervisor of pre-sales, watching
    await carol.ok({ type: 'resume', conversationId, lastSeq: 0 });

    const typing = await carol.command({ type: 'typing', conversationId, typing: true });
    t.match(typing, { type: 'error', code: 'forbidden' }, 'a silent watcher cannot type into the conversation');
    const read = await carol.command({ type: 'read', conversationId, seq: 3 });
    t.match(read, { type: 'error', code: 'forbidden' }, 'nor mark it read');
    const admin = await s.staff('admin');
    await admin.ok({ type: 'resume', conversationId, lastSeq: 0 });
    t.match(await admin.command({ type: 'typing', conversationId, typing: true }), { code: 'forbidden' });

    // The watcher still sees what the customer does; the customer sees only the agent.
    await v.ok({ type: 'typing', conversationId, typing: true });
    t.match(await carol.waitFor((e) => e.type === 'typing'), {
      from: { role: 'visitor', id: visitorId },
      typing: true,
    });
    await v.ok({ type: 'read', conversationId, seq: 3 });
    t.match(
      await carol.waitFor((e) => e.type === 'read'),
      { by: { role: 'visitor' }, seq: 3 },
      "staff followers see the customer's read mark",
    );
    await alice.ok({ type: 'read', conversationId, seq: 3 });
    await v.waitFor((e) => e.type === 'read');
    await flush(v, carol);
    t.same(
      [...typingOf(v, conversationId), ...readsOf(v, conversationId)].map((e) => (e.type === 'read' ? e.by : e.from)),
      [{ role: 'agent', id: 'alice' }],
      "the visitor hears of the agent's read only, never of a watcher",
    );
    t.same(readsOf(carol, conversationId).length, 1, "the agent side's own read goes to the visitor side only");
  },
);

t.test(
  'CONV-2: read receipts both ways, monotonic, bounded by the committed seq, and kept across a restart',
  async (t) => {
    const s = await startTestServer(t, { keepData: true, autoMessages: false });
    const { v, alice, conversationId, visitorId } = await served(s);
    await alice.ok({ type: 'send', conversationId, clientMsgId: 'a-1', text: 'Hi, Alice here' }); // seq 4

    t.same(await v.ok({ type: 'read', conversationId, seq: 4 }), { conversationId, seq: 4, moved: true });
    t.same(await alice.waitFor((e) => e.type === 'read'), {
      type: 'read',
      conversationId,
      by: { role: 'visitor', id: visitorId },
      seq: 4,
    });
    t.same(
      await v.ok({ type: 'read', conversationId, seq: 2 }),
      { conversationId, seq: 4, moved: false },
      'a lower seq leaves the mark where it is',
    );
    t.same(
      await v.ok({ type: 'read', conversationId, seq: 4 }),
      { conversationId, seq: 4, moved: false },
      'and so does the same seq',
    );
    const tooFar = await v.command({ type: 'read', conversationId, seq: 5 });
    t.match(
      tooFar,
      { type: 'error', code: 'invalid_field', field: 'seq' },
      'nothing past the last committed event can have been read',
    );

    t.same(
      await alice.ok({ type: 'read', conversationId, seq: 2 }),
      { conversationId, seq: 2, moved: true },
      'each side has its own mark',
    );
    t.same(await v.waitFor((e) => e.type === 'read'), {
      type: 'read',
      conversationId,
      by: { role: 'agent', id: 'alice' },
      seq: 2,
    });
    // Several reads in flight at once: answered in order, the mark ends at the highest.
    const burst = await Promise.all([3, 2, 4, 1].map((seq) => alice.ok({ type: 'read', conversationId, seq })));
    t.same(
      burst.map((r) => [r.seq, r.moved]),
      [
        [3, true],
        [3, false],
        [4, true],
        [4, false],
      ],
    );
    await v.waitFor((e) => e.type === 'read' && e.seq === 4);
    await flush(alice, v);
    t.same(
      readsOf(alice, conversationId).map((e) => e.seq),
      [4],
      'no-op reads are not broadcast',
    );
    t.same(
      readsOf(v, conversationId).map((e) => e.seq),
      [2, 3, 4],
    );

    const resumed = await alice.ok({ type: 'resume', conversationId, lastSeq: 4 });
    t.same(resumed.read, { visitor: 4, agent: 4 }, 'resume tells where both sides have read');
    await s.stop();

    const again = await startTestServer(t, { dataDir: s.dataDir, demo: false, autoMessages: false });
    const v2 = await again.visitor();
    await v2.ok({ type: 'hello', visitorId });
    const back = await v2.ok({ type: 'resume', conversationId, lastSeq: 0 });
    t.same(back.read, { visitor: 4, agent: 4 }, 'read marks survive the restart');
    t.same(
      await v2.ok({ type: 'read', conversationId, seq: 3 }),
      { conversationId, seq: 4, moved: false },
      'and stay monotonic after it',
    );
    const alice2 = await TestClient.connect(`${again.staffUrl}?token=${encodeURIComponent(s.cred('alice').token)}`);
    t.teardown(() => alice2.close());
    await alice2.ok({ type: 'status', status: 'online' });
    t.same((await alice2.ok({ type: 'resume', conversationId, lastSeq: 4 })).read, { visitor: 4, agent: 4 });
  },
);

t.test(
  'CONV-2: non-participants get the same answers as for send; typing needs an open conversation; reads of a resolved one are kept',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const { v, alice, conversationId } = await served(s);
    const other = await s.visitor();
    await other.ok({ type: 'hello' });
    const bob = await s.staff('bob'); // after-sales only
    for (const [who, c] of [
      ['another visitor', other],
      ['an agent of another department', bob],
    ] as const) {
      for (const frame of [
        { type: 'typing', conversationId, typing: true },
        { type: 'read', conversationId, seq: 1 },
        { type: 'send', conversationId, clientMsgId: 'x', text: 'x' },
      ]) {
        t.match(
          await c.commandRaw(frame),
          { type: 'error', code: 'not_found', field: 'conversationId' },
          `${who}: ${frame.type} → not_found`,
        );
      }
    }
    t.match(
      await v.command({ type: 'typing', conversationId: 'c-nope', typing: true }),
      { code: 'not_found' },
      'an unknown conversation',
    );
    t.match(await v.command({ type: 'read', conversationId: 'c-nope', seq: 1 }), { code: 'not_found' });
    t.match(
      await v.commandRaw({ type: 'typing', conversationId, typing: 'yes' }),
      { code: 'invalid_field', field: 'typing' },
      'validated like every command',
    );
    t.match(await v.command({ type: 'read', conversationId, seq: 0 }), { code: 'invalid_field', field: 'seq' });
    t.match(await v.commandRaw({ type: 'read', conversationId }), { code: 'invalid_field', field: 'seq' });
    t.match(await alice.commandRaw({ type: 'typing', conversationId, typing: true, extra: 1 }), {
      code: 'invalid_field',
    });

    await alice.ok({ type: 'resolve', conversationId });
    await v.waitFor((e) => e.type === 'resolved');
    t.match(
      await v.command({ type: 'typing', conversationId, typing: true }),
      { code: 'conflict' },
      'nobody types into a resolved conversation',
    );
    // Its actor has gone to sleep; a read wakes it, is stored, and lets it sleep again.
    const ref = { key: `conversation/${conversationId}` };
    const runtime = s.server.directory.deps.runtime;
    const asleep = async (): Promise<void> => {
      for (let i = 0; i < 100 && runtime.isAlive(ref); i++) await new Promise((r) => setImmediate(r));
    };
    await asleep();
    t.notOk(runtime.isAlive(ref), "a resolved conversation's actor stops");
    t.same(
      await v.ok({ type: 'read', conversationId, seq: 4 }),
      { conversationId, seq: 4, moved: true },
      'the customer can still mark the last messages read',
    );
    await asleep();
    t.notOk(runtime.isAlive(ref), 'and it stops again once the read mark is stored');
    t.same((await v.ok({ type: 'resume', conversationId, lastSeq: 4 })).read, { visitor: 4, agent: 0 });
  },
);

t.test(
  'CONV-2 OPS-1: a read mark the store refuses is neither acked nor sent; reads waiting on it fail too; a retry stores it',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const { v, alice, conversationId } = await served(s);
    let fail = true;
    // Through store-faults: the read mark may reach the store on its own or within a turn's batch.
    interceptEvents(s.server.store, {
      refuseRecords: (writes) => {
        if (!fail || !writes.some((w) => w.key[0] === 'read')) return undefined;
        fail = false;
        return new Promise((_, reject) => setTimeout(() => reject(new Error('injected: disk full')), 20));
      },
    });
    const [refused, behind] = await Promise.all([
      v.command({ type: 'read', conversationId, seq: 3 }),
      v.command({ type: 'read', conversationId, seq: 2 }),
    ]);
    t.match(refused, { type: 'error', code: 'storage_failed' });
    t.match(
      behind,
      { type: 'error', code: 'storage_failed' },
      'a read answered from the refused mark is not acked either',
    );
    t.same(
      await v.ok({ type: 'read', conversationId, seq: 2 }),
      { conversationId, seq: 2, moved: true },
      'the mark stayed where the store has it',
    );
    await alice.waitFor((e) => e.type === 'read');
    await flush(alice);
    t.same(
      readsOf(alice, conversationId).map((e) => e.seq),
      [2],
      'nothing was announced for the refused mark',
    );
    t.same((await v.ok({ type: 'resume', conversationId, lastSeq: 3 })).read, { visitor: 2, agent: 0 });
  },
);
