/**
 * MON-2: a relayed message that changes no figure costs the reports no
 * write. The reports journal runs over a memory journal that records the
 * records written with each event; only the messages that start or answer a
 * wait, or are the cycle's first reply, add tracking or rollup records.
 */
import t from 'tap';
import type { RecordKey, RecordWrite } from '../actors/journal.js';
import { Keys, Prefix, StreamPrefix } from '../actors/keyspace.js';
import type { ConversationEvent } from '../protocol/frames.js';
import { MemoryJournal } from '../src/sim/memory-journal.js';
import { ReportsJournal } from '../src/reports/reports-journal.js';
import type { ConversationTrack } from '../src/reports/conversation-track.js';
import type { RollupSums } from '../src/reports/rollup-sums.js';

class CountingJournal extends MemoryJournal {
  readonly writes: (readonly RecordWrite[])[] = [];
  /** Reads of tracking records (the reports keep open conversations' tracks in memory). */
  trackReads = 0;
  /** The next append fails, as a commit refused by a full disk: nothing of it is stored. */
  failNext = false;
  override append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
    this.writes.push(records);
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('storage_failed'));
    }
    return super.append(stream, seq, event, records);
  }
  override getRecord<V>(key: RecordKey): V | undefined {
    if (key[0] === Prefix.reportConversation) this.trackReads++;
    return super.getRecord<V>(key);
  }
}

const HOUR = 3_600_000;
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % HOUR);
const id = 'c1';

t.test('MON-2: only figure-relevant messages write tracking or rollup records', async (t) => {
  const inner = new CountingJournal();
  const journal = new ReportsJournal(inner);
  let seq = 0;
  // Every event is within one minute of T0, so no `reportAlive` write but the first one.
  const append = async (e: Omit<ConversationEvent, 'conversationId' | 'seq'>): Promise<readonly RecordWrite[]> => {
    seq++;
    await journal.append(`${StreamPrefix.conversation}${id}`, seq, { ...e, conversationId: id, seq });
    return inner.writes[inner.writes.length - 1]!.filter((w) => w.key[0] !== Prefix.reportMeta);
  };
  const visitor = { role: 'visitor', id: 'v1' } as const;
  const agent = { role: 'agent', id: 'a1' } as const;
  const msg = (at: number, from: typeof visitor | typeof agent) =>
    append({ type: 'message', at, messageId: `m${at}`, from, text: 'hi' } as never);
  const kinds = (ws: readonly RecordWrite[]) => ws.map((w) => String(w.key[0])).sort();

  await append({ type: 'created', at: T0, visitorId: 'v1', department: 'sales' } as never);
  await append({
    type: 'assigned',
    at: T0 + 1000,
    department: 'sales',
    visitorId: 'v1',
    agent: { id: 'a1', name: 'Ann' },
    policy: 'least-busy',
  } as never);

  const readsBefore = inner.trackReads;
  t.same(kinds(await msg(T0 + 2000, visitor)), [Prefix.reportConversation], 'a customer message starts a wait');
  t.same(kinds(await msg(T0 + 3000, visitor)), [], 'the customer writing again while waiting: no write');
  t.same(
    kinds(await msg(T0 + 5000, agent)),
    [Prefix.reportConversation, Prefix.reportHour, Prefix.reportHour].sort(),
    'the first reply writes the track and the response and first-response rollups',
  );
  t.same(kinds(await msg(T0 + 6000, agent)), [], "an agent's later reply with nothing waiting: no write");
  t.same(kinds(await msg(T0 + 7000, visitor)), [Prefix.reportConversation], 'a new customer message starts a wait');
  t.same(kinds(await msg(T0 + 10_000, agent)), [Prefix.reportConversation, Prefix.reportHour].sort(), 'its answer');
  t.same(kinds(await msg(T0 + 11_000, { role: 'system', id: 'system' } as never)), [], 'a system note: no write');

  t.equal(inner.trackReads, readsBefore, "an open conversation's track is read from memory, not from the store");
  const track = journal.getRecord<ConversationTrack>(Keys.reportConversation(id));
  t.equal(track?.pendingCustomerAt, undefined, 'nothing waits for an answer');
  t.equal(track?.firstResponseMs, 4000, 'first response from the assignment');
  const sums = journal.getRecord<RollupSums>(Keys.reportHour(T0, 'sales', 'a1'));
  t.same(sums?.responseMs, { sum: 3000 + 3000, count: 2 }, 'response times from the oldest unanswered message');
  t.same(sums?.waitSec, { '1': 1 }, 'the wait bucket is kept');
});

t.test('MON-2: a write that fails leaves the kept track as the store has it', async (t) => {
  const inner = new CountingJournal();
  const journal = new ReportsJournal(inner);
  const stream = `${StreamPrefix.conversation}${id}`;
  let seq = 0;
  const append = (e: object): Promise<void> => {
    seq++;
    return journal.append(stream, seq, { ...e, conversationId: id, seq });
  };
  const visitor = { role: 'visitor', id: 'v1' } as const;
  await append({ type: 'created', at: T0, visitorId: 'v1', department: 'sales' });
  inner.failNext = true;
  await t.rejects(append({ type: 'message', at: T0 + 1000, messageId: 'm1', from: visitor, text: 'hi' }));
  t.equal(
    journal.getRecord<ConversationTrack>(Keys.reportConversation(id))?.pendingCustomerAt,
    undefined,
    'the store has no wait: the failed write is not in it',
  );
  await append({ type: 'message', at: T0 + 2000, messageId: 'm2', from: visitor, text: 'again' });
  const last = inner.writes[inner.writes.length - 1]!.filter((w) => w.key[0] === Prefix.reportConversation);
  t.equal(last.length, 1, 'the next customer message starts the wait, as the store says none is open');
  t.equal(
    journal.getRecord<ConversationTrack>(Keys.reportConversation(id))?.pendingCustomerAt,
    T0 + 2000,
    'the wait starts at the message that was stored',
  );
});
