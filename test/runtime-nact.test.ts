/**
 * Issue 15: the runtime is a layer over nact 7.6.2. These tests hold the
 * layer to what nact alone would not give: batches of at most 64 in order,
 * contained handler errors, init failures, the ask sweep on the clock,
 * a shutdown that lets the process exit, and no message lost while nact
 * stops (passivates) an actor.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { VirtualClock } from '../actors/clock.js';
import type { Log } from '../actors/log.js';
import { type Behavior, type Reply, Runtime } from '../actors/runtime.js';
import { ProtocolError } from '../protocol/errors.js';
import { recordingLog } from './support/recording-log.js';

const quiet: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Counts event-loop turns, so a test can tell which turn (nact dispatch) handled a message. */
function turnCounter(): { turn: () => number; stop: () => void } {
  let turn = 0;
  let live = true;
  const tick = () => {
    turn++;
    if (live) setImmediate(tick);
  };
  setImmediate(tick);
  return { turn: () => turn, stop: () => (live = false) };
}

type Msg = { type: 'n'; n: number } | { type: 'seen'; reply: Reply<number[]> };

t.test(
  'runtime over nact: a flood is handled in order, at most 64 per turn, and later tells go behind it',
  async (t) => {
    const rt = new Runtime(quiet);
    const turns = turnCounter();
    t.teardown(() => (turns.stop(), rt.shutdown()));
    const seen: number[] = [];
    const turnOf = new Map<number, number>();
    const ref = rt.spawn<null, Msg>('flood', 'f', {
      init: () => null,
      receive(_s, m) {
        if (m.type === 'seen') return m.reply(seen);
        seen.push(m.n);
        turnOf.set(m.n, turns.turn());
        // Told while a batch runs: it must go behind everything told before.
        if (m.n === 10) rt.tell(ref, { type: 'n', n: 1000 });
      },
    });
    for (let i = 0; i < 200; i++) rt.tell(ref, { type: 'n', n: i });
    const all = await rt.ask(ref, { type: 'seen' });
    t.same(all, [...Array.from({ length: 200 }, (_, i) => i), 1000], 'every message once, in the order told');
    const perTurn = new Map<number, number>();
    for (const turn of turnOf.values()) perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
    t.ok(
      [...perTurn.values()].every((n) => n <= 64),
      'no turn handles more than 64',
    );
    t.equal(turnOf.get(0), turnOf.get(63), 'the first 64 in one dispatch');
    t.ok((turnOf.get(64) ?? 0) > (turnOf.get(63) ?? 0), 'the 65th in a later one');
    t.ok(perTurn.size >= 4, '200 messages take at least four dispatches');
  },
);

t.test('runtime over nact: what an actor tells itself while its batch runs is handled in that batch', async (t) => {
  const rt = new Runtime(quiet);
  const turns = turnCounter();
  t.teardown(() => (turns.stop(), rt.shutdown()));
  const seen: [number, number][] = [];
  const ref = rt.spawn<null, Msg>('self', 's', {
    init: () => null,
    receive(_s, m) {
      if (m.type === 'seen') return m.reply(seen.map(([n]) => n));
      seen.push([m.n, turns.turn()]);
      if (m.n === 0) rt.tell(ref, { type: 'n', n: 100 });
    },
  });
  for (let i = 0; i < 3; i++) rt.tell(ref, { type: 'n', n: i });
  await rt.ask(ref, { type: 'seen' });
  t.same(
    seen.map(([n]) => n),
    [0, 1, 2, 100],
    'after what was told before it',
  );
  t.equal(new Set(seen.map(([, turn]) => turn)).size, 1, 'in the same turn, as the drain before nact did');
});

type CountMsg =
  | { type: 'add'; n: number }
  | { type: 'boom' }
  | { type: 'reject' }
  | { type: 'stopNow' }
  | { type: 'get'; reply: Reply<number> };

const counter = (rt: () => Runtime): Behavior<{ total: number }, CountMsg> => ({
  init: () => ({ total: 0 }),
  receive(s, m, ctx) {
    switch (m.type) {
      case 'add':
        s.total += m.n;
        return;
      case 'boom':
        throw new Error('handler bug');
      case 'reject':
        return Promise.reject(new Error('async handler bug'));
      case 'stopNow':
        return rt().stopActor(ctx.self);
      case 'get':
        return m.reply(s.total);
    }
  },
});

t.test(
  'runtime over nact: a handler error drops only its message; the rest of its batch and the state stay',
  async (t) => {
    const log = recordingLog();
    const rt = new Runtime(log);
    t.teardown(() => rt.shutdown());
    const ref = rt.spawn(
      'counter',
      'c',
      counter(() => rt),
    );
    rt.tell(ref, { type: 'add', n: 1 });
    rt.tell(ref, { type: 'boom' });
    rt.tell(ref, { type: 'add', n: 2 });
    rt.tell(ref, { type: 'reject' });
    rt.tell(ref, { type: 'add', n: 4 });
    t.equal(await rt.ask(ref, { type: 'get' }), 7, 'the messages around both failures were handled');
    t.equal(log.entries.filter((e) => e.level === 'error').length, 2, 'each failure logged once');
    t.ok(rt.isAlive(ref), 'the actor runs on');
  },
);

t.test('runtime over nact: a stop inside a batch ends it; later tells are refused and logged', async (t) => {
  const log = recordingLog();
  const rt = new Runtime(log);
  t.teardown(() => rt.shutdown());
  const seen: number[] = [];
  const ref = rt.spawn<null, CountMsg>('counter', 's', {
    init: () => null,
    receive(_s, m, ctx) {
      if (m.type === 'add') seen.push(m.n);
      if (m.type === 'stopNow') rt.stopActor(ctx.self);
    },
  });
  rt.tell(ref, { type: 'add', n: 1 });
  rt.tell(ref, { type: 'stopNow' });
  rt.tell(ref, { type: 'add', n: 2 });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  t.same(seen, [1], 'the message after the stop was not handled');
  t.equal(rt.tell(ref, { type: 'add', n: 3 }), false);
  t.ok(log.entries.some((e) => e.level === 'warn' && e.msg === 'message to a stopped actor dropped'));
});

t.test(
  'runtime over nact: init runs before any message, a tell from init waits for it, a throwing init stops the actor',
  async (t) => {
    const log = recordingLog();
    const rt = new Runtime(log);
    t.teardown(() => rt.shutdown());
    const order: string[] = [];
    const ref = rt.spawn<null, CountMsg>('init', 'ok', {
      init: (ctx) => {
        rt.tell(ctx.self, { type: 'add', n: 1 });
        order.push('init');
        return null;
      },
      receive(_s, m) {
        if (m.type === 'add') order.push(`add ${m.n}`);
        if (m.type === 'get') m.reply(order.length);
      },
    });
    rt.tell(ref, { type: 'add', n: 2 });
    await rt.ask(ref, { type: 'get' });
    t.same(order, ['init', 'add 1', 'add 2']);

    const broken = rt.spawn<null, CountMsg>('init', 'broken', {
      init: () => {
        throw new Error('cannot recover');
      },
      receive: () => undefined,
    });
    t.notOk(rt.isAlive(broken), 'not running');
    t.equal(rt.find('init', 'broken'), undefined, 'not found');
    await t.rejects(rt.ask(broken, { type: 'get' }), { code: 'unavailable' });
    t.ok(log.entries.some((e) => e.level === 'error' && e.msg === 'actor failed to start'));
  },
);

t.test('runtime over nact: an unanswered ask times out by the sweep, on the virtual clock', async (t) => {
  const clock = new VirtualClock();
  const rt = new Runtime(quiet, 1_000, clock);
  t.teardown(() => rt.shutdown());
  const ref = rt.spawn<null, { type: 'ignore'; reply: Reply<number> }>('asks', 'a', {
    init: () => null,
    receive: () => undefined,
  });
  let outcome: unknown;
  void rt.ask(ref, { type: 'ignore' }).then(
    (v) => (outcome = v),
    (e: unknown) => (outcome = e),
  );
  await clock.advance(900);
  t.equal(outcome, undefined, 'still pending before the deadline');
  await clock.advance(200);
  t.ok(outcome instanceof ProtocolError && outcome.code === 'timeout', 'timed out within one sweep of the deadline');
  t.equal(clock.pending(), 0, 'no sweep stays armed once no ask is pending');
});

const child = join(dirname(fileURLToPath(import.meta.url)), 'support', 'runtime-exit-child.js');

/** Runs the child; once it has handled its messages, gives it `graceMs` to end by itself (then kills it). */
function runChild(arg: string, graceMs: number): Promise<{ handled: boolean; exited: boolean }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [child, arg], { stdio: ['ignore', 'pipe', 'inherit'] });
    let handled = false;
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', (d: Buffer) => {
      if (handled || !d.toString().includes('handled')) return;
      handled = true;
      timer = setTimeout(() => {
        proc.kill('SIGKILL');
        resolve({ handled, exited: false });
      }, graceMs);
    });
    proc.on('close', () => {
      clearTimeout(timer);
      resolve({ handled, exited: true });
    });
  });
}

t.test('runtime over nact: shutdown stops every actor, so the process exits by itself', async (t) => {
  const kept = await runChild('keep', 500);
  t.same(kept, { handled: true, exited: false }, "without shutdown, nact's idle timers keep the process alive");
  const shut = await runChild('shutdown', 15_000);
  t.same(shut, { handled: true, exited: true }, 'after shutdown it exits with nothing forcing it');
});

t.test('runtime over nact: a message told while nact passivates the actor wakes it; nothing is dropped', async (t) => {
  const log = recordingLog();
  const rt = new Runtime(log, 2_000);
  t.teardown(() => rt.shutdown());
  // The "store": what the actor's state is rebuilt from when it wakes.
  const stored = { total: 0 };
  let inits = 0;
  const ref = rt.spawn<{ total: number }, CountMsg>(
    'sleepy',
    's',
    {
      init: () => {
        inits++;
        return { total: stored.total };
      },
      receive(s, m) {
        if (m.type === 'add') stored.total = s.total += m.n;
        if (m.type === 'get') m.reply(s.total);
      },
    },
    { passivateAfterMs: 30 },
  );
  rt.tell(ref, { type: 'add', n: 5 });
  t.equal(await rt.ask(ref, { type: 'get' }), 5);
  // nact arms its idle timer once the batch has ended (the reply resolved the ask within it).
  await new Promise((r) => setImmediate(r));
  t.equal(inits, 1);
  // Same duration, set after nact's idle timer: it fires right after nact has stopped the actor,
  // before the layer hears of the stop (nact reports it a turn later).
  const inWindow = await new Promise<Promise<number>>((resolve) =>
    setTimeout(() => {
      rt.tell(ref, { type: 'add', n: 1 });
      resolve(rt.ask(ref, { type: 'get' }));
    }, 30),
  );
  t.equal(await inWindow, 6, 'both messages told during the stop were handled');
  t.equal(inits, 2, 'by a woken actor, its state rebuilt by init');
  t.ok(rt.isAlive(ref), 'the ref stays valid');
  await new Promise((r) => setTimeout(r, 60));
  t.equal(await rt.ask(ref, { type: 'get' }), 6, 'a message to the sleeping actor wakes it too');
  t.equal(inits, 3);
  t.notOk(
    log.entries.some((e) => e.level === 'warn'),
    'nothing was dropped',
  );
});
