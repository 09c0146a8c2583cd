/**
 * OPS-5: floods and slow clients. Frames beyond a connection's rate are
 * refused (rate_limited) and a flood closes the connection (1008); a client
 * that stops reading is held by backpressure and closed at the limit, while
 * the server keeps serving everyone else.
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { onlineAgent, openConversation } from './support/conversations.js';
import { VirtualClock } from '../actors/clock.js';
import { MAX_BACKPRESSURE_BYTES } from '../src/server/gateway.js';
import type { Frame } from './support/client.js';

t.test(
  'OPS-5: frames beyond the rate limit are refused with rate_limited and not executed; the bucket refills; a flood closes the connection with 1008',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, autoMessages: false, frameRate: { perSecond: 5, burst: 10 } });
    const { v, visitorId, conversationId } = await openConversation(s, { department: 'after-sales' });
    for (let i = 0; i < 8; i++) await v.ok({ type: 'ping' });
    const refused = await v.command({ type: 'send', conversationId, clientMsgId: 'over', text: 'over the limit' });
    t.equal(refused.code, 'rate_limited', 'the 11th frame within the burst is refused');
    t.match(refused.message, /more than 5 frames per second \(bursts of 10\)/);
    const garbage = new Promise<Frame>((resolve) => {
      const before = v.errorsWithoutId.length;
      const poll = setInterval(
        () => v.errorsWithoutId.length > before && (clearInterval(poll), resolve(v.errorsWithoutId.at(-1)!)),
        2,
      );
    });
    v.sendBytes('not json', false);
    t.equal((await garbage).code, 'rate_limited', 'an undecodable frame over the limit is refused without an id');

    await clock.advance(1000);
    const again = await v.ok({ type: 'send', conversationId, clientMsgId: 'later', text: 'after a second' });
    t.equal(again.duplicate, false, 'the send after the refill is stored');
    for (let i = 0; i < 4; i++) await v.ok({ type: 'ping' });
    t.equal((await v.command({ type: 'ping' })).code, 'rate_limited', 'a second refills 5 frames, not more');

    // Each connection has its own bucket: another one is not limited by this one's frames.
    const other = await s.visitor();
    await other.ok({ type: 'hello', visitorId });
    const messages = (await other.resumeAll(conversationId, 0), other.conversationEvents(conversationId)).filter(
      (e) => e.type === 'message',
    );
    t.same(
      messages.map((m) => m.clientMsgId),
      ['later'],
      'the refused send was not executed',
    );

    // A flood: once the bucket is empty, more than 5 refusals within one second close the connection.
    const closed = v.waitForClose();
    for (let i = 0; i < 20; i++) v.sendRaw({ type: 'ping', id: `flood-${i}` });
    t.equal(await closed, 1008, 'closed with 1008 policy violation');
    t.ok(v.errorsWithoutId.filter((e) => e.code === 'rate_limited').length >= 1, 'refusals came first');
    t.equal(s.server.connections.rateClosed, 1);
    const text = await s.server.metrics.render();
    t.match(text, /switchboard_rate_limit_closed_total\{workspace="default"\} 1\n/);
    t.match(text, /switchboard_errors_total\{code="rate_limited"\} (\d+)/);
    // Other connections are untouched.
    t.same(await other.ok({ type: 'ping' }), {});
  },
);

t.test(
  'OPS-5: a client that stops reading is closed at the backpressure limit with its buffered bytes bounded; others are served; on reconnect it misses nothing',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false, frameRate: { perSecond: 0, burst: 1 } });
    const bob = await onlineAgent(s, 'bob');
    const { v: slow, visitorId, conversationId } = await openConversation(s, { department: 'after-sales' });
    await slow.waitFor((e) => e.type === 'assigned');
    const { v: fine, ...other } = await openConversation(s, { department: 'after-sales' });
    await fine.waitFor((e) => e.type === 'assigned');

    const socket = s.server.connections.all().find((ws) => ws.getUserData().visitorId === visitorId)!;
    t.ok(socket, "the slow visitor's socket");
    slow.ws.pause(); // stops reading: the kernel buffers fill, then uWS buffers, up to the limit

    const text = 'x'.repeat(8000);
    const heapBefore = process.memoryUsage().heapUsed;
    let maxBuffered = 0;
    let sent = 0;
    let answered = 0;
    while (!socket.getUserData().closed && sent < 6000) {
      const batch = [];
      for (let i = 0; i < 50; i++)
        batch.push(bob.ok({ type: 'send', conversationId, clientMsgId: `m${sent++}`, text }));
      await Promise.all(batch);
      if (!socket.getUserData().closed) maxBuffered = Math.max(maxBuffered, socket.getBufferedAmount());
      // The other visitor is served all along.
      if (
        (
          await fine.command({
            type: 'send',
            conversationId: other.conversationId,
            clientMsgId: `f${sent}`,
            text: 'still here',
          })
        ).type === 'ack'
      )
        answered++;
    }
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    const pushedMiB = (sent * 8000) / 2 ** 20;
    t.comment(
      `pushed ${pushedMiB.toFixed(1)} MiB to a client that does not read; most buffered in uWS: ${maxBuffered} bytes; heap growth ${(heapGrowth / 2 ** 20).toFixed(1)} MiB (test clients included)`,
    );
    t.ok(socket.getUserData().closed, `the server closed the connection after ${sent} messages`);
    t.ok(
      maxBuffered <= MAX_BACKPRESSURE_BYTES + 16 * 1024,
      `uWS never held more than the limit plus a frame (${maxBuffered} bytes)`,
    );
    t.ok(s.server.connections.dropped > 0, 'frames past the limit were dropped, not queued');
    t.equal(answered, sent / 50, 'the other visitor got every answer meanwhile');
    t.same(s.server.connections.openByKind(), { visitor: 1, staff: 1 }, 'only the slow connection is gone');

    // The client reads again: it finds the connection closed, reconnects and resumes without loss.
    slow.ws.resume();
    await slow.waitForClose();
    const back = await s.visitor();
    await back.ok({ type: 'hello', visitorId });
    await back.resumeAll(conversationId, 0);
    const messages = back.conversationEvents(conversationId).filter((e) => e.type === 'message');
    t.equal(messages.length, sent, 'every message is there after resume');
  },
);
