import t from 'tap';
import { Runtime, type Behavior, type Reply } from '../actors/runtime.js';
import { ProtocolError } from '../protocol/errors.js';
import { recordingLog } from './support/recording-log.js';

type Msg =
  | { type: 'add'; n: number }
  | { type: 'get'; reply: Reply<number> }
  | { type: 'boom' }
  | { type: 'ignore'; reply: Reply<number> };

const counter: Behavior<{ total: number }, Msg> = {
  init: () => ({ total: 0 }),
  receive(s, msg) {
    switch (msg.type) {
      case 'add':
        s.total += msg.n;
        return;
      case 'get':
        return msg.reply(s.total);
      case 'boom':
        throw new Error('handler bug');
      case 'ignore':
        return;
    }
  },
};

t.test('typed runtime: messages are handled in order and ask returns the answer', async (t) => {
  const rt = new Runtime(recordingLog());
  t.teardown(() => rt.shutdown());
  const ref = rt.spawn('counter', 'c1', counter);
  for (let i = 1; i <= 100; i++) rt.tell(ref, { type: 'add', n: i });
  t.equal(await rt.ask(ref, { type: 'get' }), 5050);
});

t.test('typed runtime: a handler that throws keeps the actor and its state, and is logged', async (t) => {
  const log = recordingLog();
  const rt = new Runtime(log);
  t.teardown(() => rt.shutdown());
  const ref = rt.spawn('counter', 'c2', counter);
  rt.tell(ref, { type: 'add', n: 7 });
  rt.tell(ref, { type: 'boom' });
  t.equal(await rt.ask(ref, { type: 'get' }), 7);
  t.ok(
    log.entries.some((e) => e.level === 'error'),
    'the throw is logged',
  );
});

t.test('typed runtime: a message to a stopped actor is reported, not silently dropped; ask fails fast', async (t) => {
  const log = recordingLog();
  const rt = new Runtime(log);
  t.teardown(() => rt.shutdown());
  const ref = rt.spawn('counter', 'c3', counter);
  t.ok(rt.isAlive(ref));
  rt.stopActor(ref);
  t.notOk(rt.isAlive(ref));
  t.equal(rt.tell(ref, { type: 'add', n: 1 }), false);
  t.ok(log.entries.some((e) => e.level === 'warn' && e.msg?.includes('stopped actor')));
  await t.rejects(rt.ask(ref, { type: 'get' }), { code: 'unavailable' });
  t.throws(() => rt.spawn('counter', 'c4', counter) && rt.spawn('counter', 'c4', counter), /already running/);
});

t.test('typed runtime: an unanswered ask times out with the timeout code', async (t) => {
  const rt = new Runtime(recordingLog(), 50);
  // The ask timer is unref'd (it must not hold a stopping server up), so keep this test process alive.
  const keepAlive = setInterval(() => undefined, 1000);
  t.teardown(() => (clearInterval(keepAlive), rt.shutdown()));
  const ref = rt.spawn('counter', 'c5', counter);
  const err = await rt.ask(ref, { type: 'ignore' }).catch((e: unknown) => e);
  t.ok(err instanceof ProtocolError);
  t.equal((err as ProtocolError).code, 'timeout');
});

t.test('typed runtime: spawning after shutdown is refused', async (t) => {
  const rt = new Runtime(recordingLog());
  rt.shutdown();
  t.throws(() => rt.spawn('counter', 'late', counter), { code: 'unavailable' });
});

t.test('typed runtime: stopWhenIdle lets every message already sent be handled, then stops', async (t) => {
  const rt = new Runtime(recordingLog());
  t.teardown(() => rt.shutdown());
  const ref = rt.spawn('counter', 'idle', counter);
  for (let i = 0; i < 5; i++) rt.tell(ref, { type: 'add', n: 1 });
  const answer = rt.ask(ref, { type: 'get' });
  rt.stopWhenIdle(ref);
  t.ok(rt.isAlive(ref), 'still running while messages wait');
  t.equal(await answer, 5, 'messages sent before the stop were all handled');
  await new Promise((r) => setImmediate(r));
  t.notOk(rt.isAlive(ref), 'stopped once idle');
  const idle = rt.spawn('counter', 'idle2', counter);
  rt.stopWhenIdle(idle);
  t.notOk(rt.isAlive(idle), 'an idle actor stops at once');
});

t.test('typed runtime: one turn handles a burst of queued messages, not one message per turn', async (t) => {
  const rt = new Runtime(recordingLog());
  t.teardown(() => rt.shutdown());
  const seen: number[] = [];
  const ref = rt.spawn<null, number>('burst', 'b1', { init: () => null, receive: (_s, n) => void seen.push(n) });
  for (let i = 0; i < 10; i++) rt.tell(ref, i);
  t.same(seen, [], 'telling never runs a handler in the caller');
  await new Promise<void>((r) => setImmediate(r));
  t.same(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'the whole burst was handled in the first turn');
});

t.test('typed runtime: a flood larger than one drain is handled in order, across turns', async (t) => {
  const rt = new Runtime(recordingLog());
  t.teardown(() => rt.shutdown());
  const seen: number[] = [];
  type FloodMsg = { type: 'n'; n: number } | { type: 'count'; reply: Reply<number> };
  const ref = rt.spawn<null, FloodMsg>('flood', 'f1', {
    init: () => null,
    async receive(_s, m) {
      if (m.type === 'count') return m.reply(seen.length);
      seen.push(m.n);
      // Every 100th message awaits: the next waits for it.
      if (m.n % 100 === 0) await Promise.resolve();
    },
  });
  const n = 5000;
  for (let i = 0; i < n; i++) rt.tell(ref, { type: 'n', n: i });
  t.equal(await rt.ask(ref, { type: 'count' }), n);
  t.ok(
    seen.every((v, i) => v === i),
    'every message handled once, in the order told',
  );
});

t.test('typed runtime: an actor whose init throws does not run; messages to it are refused', async (t) => {
  const log = recordingLog();
  const rt = new Runtime(log);
  t.teardown(() => rt.shutdown());
  const ref = rt.spawn<null, number>('broken', 'x1', {
    init: () => {
      throw new Error('cannot recover');
    },
    receive: () => undefined,
  });
  t.notOk(rt.isAlive(ref));
  t.equal(rt.tell(ref, 1), false);
  t.ok(log.entries.some((e) => e.level === 'error' && e.msg === 'actor failed to start'));
  // The key is free again: a later spawn may try anew.
  const again = rt.spawn('broken', 'x1', counter);
  t.ok(rt.isAlive(again));
});
