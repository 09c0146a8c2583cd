/**
 * Issue 14: an actor is looked up by kind and name through the runtime, so
 * no caller spells the runtime's key format to forge a ref.
 */
import t from 'tap';
import { Runtime, type Behavior, type Reply } from '../actors/runtime.js';
import type { Log } from '../actors/log.js';

type Msg = { type: 'add'; n: number } | { type: 'get'; reply: Reply<number> };
const counter: Behavior<{ sum: number }, Msg> = {
  init: () => ({ sum: 0 }),
  receive(s, msg) {
    if (msg.type === 'add') s.sum += msg.n;
    else msg.reply(s.sum);
  },
};
const quiet: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

t.test(
  'runtime find: a running actor by kind and name, usable like the ref spawn returned; nothing for stopped or unknown ones',
  async (t) => {
    const rt = new Runtime(quiet);
    t.teardown(() => rt.shutdown());
    const spawned = rt.spawn('counter', 'c1', counter);
    rt.spawn('counter', 'c2', counter);
    const found = rt.find<Msg>('counter', 'c1');
    t.same(found, spawned, 'the same address');
    rt.tell(found!, { type: 'add', n: 2 });
    rt.tell(spawned, { type: 'add', n: 3 });
    t.equal(await rt.ask(found!, { type: 'get' }), 5, 'one actor behind both');
    t.equal(await rt.ask(rt.find<Msg>('counter', 'c2')!, { type: 'get' }), 0, 'another name, another actor');
    t.equal(rt.find('counter', 'c3'), undefined, 'never spawned');
    t.equal(rt.find('other', 'c1'), undefined, 'the kind is part of the name');
    rt.stopActor(spawned);
    t.equal(rt.find('counter', 'c1'), undefined, 'stopped');
  },
);
