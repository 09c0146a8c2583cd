/**
 * ROUTE-12, WEB-3: the console's "waiting in my departments" list is pushed,
 * not polled. `queue` with `watch` answers the list and then sends a
 * `queue_update` with the whole list whenever it changes: the first change
 * at once, the changes that follow within 250 ms together at the end of
 * that interval. Time runs on the virtual clock.
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { openConversation, onlineAgent } from './support/conversations.js';
import { VirtualClock } from '../actors/clock.js';
import type { Frame } from './support/client.js';

const ids = (e: Frame): string[] => (e.waiting as { conversationId: string }[]).map((w) => w.conversationId);
const updates = (events: Frame[]): Frame[] => events.filter((e) => e.type === 'queue_update');
/** Real time for frames in flight to arrive; virtual time does not move. */
const settle = () => new Promise((r) => setTimeout(r, 50));

t.test(
  'ROUTE-12 WEB-3: a watched queue is pushed to the watcher as it changes, at most four lists a second',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, autoMessages: false });
    await s.server.directory.deps.runtime.ask(s.server.directory.workspace, { type: 'setAutoAssign', enabled: false });
    const bob = await onlineAgent(s, 'bob');
    const alice = await onlineAgent(s, 'alice');
    const watched = await bob.ok({ type: 'queue', department: 'after-sales', watch: true });
    t.same(watched.waiting, [], 'the ack is the list now: empty');
    await alice.ok({ type: 'queue', department: 'pre-sales' });
    t.equal(
      (await alice.command({ type: 'queue', department: 'after-sales', watch: true })).code,
      'not_found',
      'not a department of hers: no list, no watching',
    );

    const a = await openConversation(s, { department: 'after-sales', text: 'first' });
    await a.v.waitFor((e) => e.type === 'queued');
    const first = await bob.waitFor((e) => e.type === 'queue_update');
    t.match(first, { department: 'after-sales' });
    t.same(ids(first), [a.conversationId], 'the first change goes out at once');
    t.match((first.waiting as unknown[])[0], { position: 1, priority: 0, skills: [] });

    // Two more within the interval: nothing until it ends, then one list with both.
    const b = await openConversation(s, { department: 'after-sales', text: 'second' });
    await b.v.waitFor((e) => e.type === 'queued');
    const c = await openConversation(s, { department: 'after-sales', text: 'third' });
    await c.v.waitFor((e) => e.type === 'queued');
    await settle();
    t.equal(updates(bob.events).length, 1, 'no list before the interval ends');
    await clock.advance(250);
    const together = await bob.waitFor((e) => e.type === 'queue_update' && ids(e).length === 3);
    t.same(ids(together), [a.conversationId, b.conversationId, c.conversationId], 'then one list, in queue order');
    await settle();
    t.equal(updates(bob.events).length, 2, 'one event for the two changes');

    // Later, a claim takes one out of the line: pushed at once again.
    await clock.advance(1_000);
    await bob.ok({ type: 'claim', conversationId: b.conversationId });
    const afterClaim = await bob.waitFor((e) => e.type === 'queue_update' && ids(e).length === 2);
    t.same(ids(afterClaim), [a.conversationId, c.conversationId]);
    t.same(
      (afterClaim.waiting as { position: number }[]).map((w) => w.position),
      [1, 2],
      'positions move up',
    );
    t.equal(updates(alice.events).length, 0, 'a connection that did not watch gets no list');

    // A closed connection is no longer sent anything; another one watching still is.
    await bob.close();
    const bob2 = await s.staff('bob');
    await bob2.ok({ type: 'queue', department: 'after-sales', watch: true });
    await clock.advance(1_000);
    const d = await openConversation(s, { department: 'after-sales', text: 'fourth' });
    await d.v.waitFor((e) => e.type === 'queued');
    t.same(ids(await bob2.waitFor((e) => e.type === 'queue_update')), [
      a.conversationId,
      c.conversationId,
      d.conversationId,
    ]);
  },
);
