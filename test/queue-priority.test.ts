/** QUEUE-2: priority first, then arrival; waiting ages a conversation so that no priority starves without bound. */
import t from 'tap';
import fc from 'fast-check';
import {
  compareQueued,
  DEFAULT_PRIORITY_CREDIT_MS as CREDIT,
  MAX_PRIORITY,
  type QueuedItem,
} from '../actors/routing/queue-order.js';

const item = (ticket: number, enqueuedAt: number, priority = 0): QueuedItem => ({ ticket, enqueuedAt, priority });
const order = (items: QueuedItem[]) => [...items].sort((a, b) => compareQueued(a, b)).map((i) => i.ticket);

t.test('QUEUE-2: same priority is first come, first served; higher priority goes first', async (t) => {
  t.same(order([item(2, 2000), item(1, 1000), item(3, 3000)]), [1, 2, 3]);
  t.same(order([item(1, 0), item(2, 1000, 1)]), [2, 1], 'a VIP arriving a second later goes first');
  t.same(
    order([item(1, 0), item(2, CREDIT + 1, 1)]),
    [1, 2],
    'but not past someone who has waited longer than one level is worth',
  );
  t.same(order([item(1, 0), item(2, 0)]), [1, 2], 'ties by ticket');
  t.same(
    order([item(1, 0, 99), item(2, 0, MAX_PRIORITY)]),
    [1, 2],
    'priorities above the maximum count as the maximum',
  );
});

t.test(
  'QUEUE-2: the documented bound — nobody is overtaken by an arrival more than (max − own priority) × credit later',
  async () => {
    // biome-ignore lint/nursery/noFloatingPromises: a synchronous property; fc.assert returns nothing here
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: 3_600_000 }),
            priority: fc.integer({ min: 0, max: MAX_PRIORITY }),
          }),
          { maxLength: 60 },
        ),
        (specs) => {
          const items = specs.map((s, i) => item(i + 1, s.at, s.priority));
          const sorted = [...items].sort((a, b) => compareQueued(a, b));
          return sorted.every((a, i) =>
            sorted
              .slice(0, i)
              .every((ahead) => ahead.enqueuedAt - a.enqueuedAt <= (MAX_PRIORITY - a.priority) * CREDIT),
          );
        },
      ),
    );
  },
);
