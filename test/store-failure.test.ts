/**
 * OPS-1 OPS-5: a write the store refuses is never acknowledged, and the
 * conversation neither reuses its seq nor overwrites acknowledged data. The
 * store is made to fail one append from inside the running server.
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { onlineAgent, openConversation } from './support/conversations.js';
import { interceptEvents } from './support/store-faults.js';

t.test(
  'OPS-1: a failed write answers storage_failed to the original and its retry, then the conversation rebuilds and goes on',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    let failSeq: number | undefined;
    interceptEvents(s.server.store, {
      refuse: (_stream, seq) => {
        if (seq !== failSeq) return undefined;
        failSeq = undefined;
        // Refused a little later, like a commit that fails on a full disk, so that a retry arrives while it is in flight.
        return new Promise((_, reject) => setTimeout(() => reject(new Error('injected: disk full')), 30));
      },
    });

    const { v, conversationId } = await openConversation(s, { department: 'after-sales' }, undefined, { binary: true });
    await v.waitFor((e) => e.type === 'queued');
    failSeq = 3;
    const frame = { type: 'send', conversationId, clientMsgId: 'doomed', text: 'will not be stored' } as const;
    const [original, retry, next] = await Promise.all([
      v.command(frame),
      v.command(frame),
      v.command({ type: 'send', conversationId, clientMsgId: 'next', text: 'sent behind it' }),
    ]);
    t.equal(original.code, 'storage_failed', 'the original is refused');
    t.equal(retry.code, 'storage_failed', 'a retry racing it is not acknowledged as a duplicate of nothing');
    t.ok(
      next.type === 'ack' || next.code === 'storage_failed' || next.code === 'unavailable',
      `a send behind it is acked (durable) or refused: ${next.type} ${String(next.code)}`,
    );

    // After the rebuild the conversation takes messages again; nothing acknowledged is overwritten.
    let again;
    for (let i = 0; i < 50; i++) {
      again = await v.command({ type: 'send', conversationId, clientMsgId: 'doomed', text: 'will not be stored' });
      if (again.code !== 'unavailable') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    t.equal(again!.type, 'ack', 'the retry after recovery is stored');
    const v2 = await s.visitor();
    await v2.ok({ type: 'hello', visitorId: (await v.ok({ type: 'hello' })).visitorId as string });
    await v2.resumeAll(conversationId, 0);
    const events = v2.conversationEvents(conversationId);
    const seqs = events.map((e) => e.seq as number);
    t.same(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'in order',
    );
    t.equal(new Set(seqs).size, seqs.length, 'no seq used twice');
    t.equal(
      events.filter((e) => e.clientMsgId === 'doomed').length,
      1,
      'the failed message is stored once, by the retry',
    );
    if (next.type === 'ack') {
      const kept = events.find((e) => e.seq === (next.result as { seq: number }).seq);
      t.equal(kept?.clientMsgId, 'next', 'an acknowledged message keeps its seq: not overwritten');
    }
  },
);

t.test(
  'OPS-1 ROUTE-11: a failed assignment write gives the slot back and the conversation is routed again',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    let failAssigned = true;
    interceptEvents(s.server.store, {
      refuse: (_stream, _seq, event) => {
        if (!failAssigned || (event as { type?: string }).type !== 'assigned') return undefined;
        failAssigned = false;
        return Promise.reject(new Error('injected: disk full'));
      },
    });
    const bob = await onlineAgent(s, 'bob');
    const { v, conversationId } = await openConversation(s, { department: 'after-sales' });
    const assigned = await v.waitFor((e) => e.type === 'assigned');
    t.equal((assigned.agent as { id: string }).id, 'bob', 'assigned on the second attempt');
    const status = await bob.ok({ type: 'status', status: 'online' });
    t.same(status.conversations, [conversationId], 'exactly one slot used: the failed attempt gave its slot back');
  },
);

t.test(
  'QUEUE-1 OPS-1: a repeated start is answered only once the conversation is stored; a refused create is forgotten',
  async (t) => {
    const s = await startTestServer(t, { durability: 'flushed' });
    let failCreate = true;
    const order: string[] = [];
    interceptEvents(s.server.store, {
      refuse: (_stream, _seq, event) => {
        if ((event as { type?: string }).type !== 'created' || !failCreate) return undefined;
        failCreate = false;
        return new Promise((_, reject) => setTimeout(() => reject(new Error('injected: disk full')), 30));
      },
      committed: (event) => void ((event as { type?: string }).type === 'created' && order.push('created committed')),
    });
    const v = await s.visitor();
    await v.ok({ type: 'hello' });
    const [a, b] = await Promise.all([v.command({ type: 'start' }), v.command({ type: 'start' })]);
    t.same([a.code, b.code], ['storage_failed', 'storage_failed'], 'neither the start nor its repeat is acknowledged');
    const first = v.command({ type: 'start' }).then((f) => (order.push('first ack'), f));
    const second = v.command({ type: 'start' }).then((f) => (order.push('repeat ack'), f));
    const [f1, f2] = await Promise.all([first, second]);
    t.equal((f1.result as { created: boolean }).created, true, 'the next start creates it');
    t.same(f2.result, { conversationId: (f1.result as { conversationId: string }).conversationId, created: false });
    t.equal(order[0], 'created committed', `nothing acknowledged before the commit: ${order.join(' → ')}`);
  },
);

t.test(
  'OPS-5: below the free-disk reserve every write is refused as storage_failed, the server keeps serving, and writing resumes once space is back',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const store = s.server.store;
    const { v, visitorId, conversationId } = await openConversation(s, { department: 'after-sales' });
    await v.ok({ type: 'send', conversationId, clientMsgId: 'm1', text: 'before' });
    t.match(await s.server.metrics.render(), /switchboard_disk_free_bytes \d+/);

    // The disk "fills": the reserve is now more than any disk has free.
    store.minFreeBytes = Number.MAX_SAFE_INTEGER;
    store.checkSpace();
    t.equal(
      (await v.command({ type: 'send', conversationId, clientMsgId: 'm2', text: 'while full' })).code,
      'storage_failed',
    );
    const w = await s.visitor();
    t.equal((await w.command({ type: 'hello' })).code, 'storage_failed', 'a new visitor is refused too');
    t.same(await v.ok({ type: 'ping' }), {}, 'the server keeps answering');

    store.minFreeBytes = 0;
    store.checkSpace();
    let again;
    for (let i = 0; i < 50; i++) {
      again = await v.command({ type: 'send', conversationId, clientMsgId: 'm2', text: 'while full' });
      if (again.code !== 'unavailable') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    t.equal(again!.type, 'ack', 'the retry is stored once there is room');
    const reader = await s.visitor();
    await reader.ok({ type: 'hello', visitorId });
    await reader.resumeAll(conversationId, 0);
    t.same(
      reader
        .conversationEvents(conversationId)
        .filter((e) => e.type === 'message')
        .map((e) => e.clientMsgId),
      ['m1', 'm2'],
      'each message stored once',
    );
    await w.ok({ type: 'hello' });
    t.equal((await w.ok({ type: 'start', department: 'after-sales' })).created, true, 'new conversations again');
  },
);
