import t from 'tap';
import { RealClock, VirtualClock } from '../actors/clock.js';

t.test('virtual clock fires timers in time order, only when advanced, and honours cancel', async (t) => {
  const clock = new VirtualClock(1000);
  const fired: string[] = [];
  clock.setTimer(300, () => fired.push('c'));
  clock.setTimer(100, () => fired.push('a'));
  const cancelled = clock.setTimer(200, () => fired.push('x'));
  clock.setTimer(100, () => fired.push('b'));
  cancelled.cancel();
  t.equal(clock.pending(), 3);
  await clock.advance(99);
  t.same(fired, []);
  t.equal(clock.now(), 1099);
  await clock.advance(1);
  t.same(fired, ['a', 'b'], 'same deadline: in the order set');
  await clock.advance(1000);
  t.same(fired, ['a', 'b', 'c']);
  t.equal(clock.now(), 2100);
  // A timer set by a timer fires within the same advance when due.
  clock.setTimer(10, () => clock.setTimer(10, () => fired.push('chained')));
  await clock.advance(20);
  t.same(fired, ['a', 'b', 'c', 'chained']);
});

t.test('real clock tells wall time and its timers can be cancelled', async (t) => {
  const clock = new RealClock();
  // RealClock timers are unref'd; keep this test process alive while waiting on one.
  const keepAlive = setInterval(() => undefined, 1000);
  t.teardown(() => clearInterval(keepAlive));
  t.ok(Math.abs(clock.now() - Date.now()) < 50);
  let fired = false;
  clock.setTimer(1, () => (fired = true)).cancel();
  await new Promise((r) => setTimeout(r, 10));
  t.equal(fired, false);
  await new Promise<void>((r) => clock.setTimer(1, r));
});
