/**
 * MON-2: a relayed message that changes no figure costs the reports no
 * write. The reports journal runs over a memory journal that records the
 * records written with each event; only the messages that start or answer a
 * wait, or are the cycle's first reply, add tracking or rollup records.
 */
import t from 'tap';
import type { RecordWrite } from '../actors/journal.js';
import { Keys, Prefix, StreamPrefix } from '../actors/keyspace.js';
import type { ConversationEvent } from '../protocol/frames.js';
import { MemoryJournal } from '../src/sim/memory-journal.js';
import { ReportsJournal } from '../src/reports/reports-journal.js';
import type { ConversationTrack } from '../src/reports/conversation-track.js';
import type { RollupSums } from '../src/reports/rollup-sums.js';

class CountingJournal extends MemoryJournal {
  readonly writes: (readonly RecordWrite[])[] = [];
  override append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
    this.writes.push(records);
    return super.append(stream, seq, event, records);
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

  const track = journal.getRecord<ConversationTrack>(Keys.reportConversation(id));
  t.equal(track?.pendingCustomerAt, undefined, 'nothing waits for an answer');
  t.equal(track?.firstResponseMs, 4000, 'first response from the assignment');
  const sums = journal.getRecord<RollupSums>(Keys.reportHour(T0, 'sales', 'a1'));
  t.same(sums?.responseMs, { sum: 3000 + 3000, count: 2 }, 'response times from the oldest unanswered message');
  t.same(sums?.waitSec, { '1': 1 }, 'the wait bucket is kept');
});
