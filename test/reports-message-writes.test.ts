/**
 * MON-2: a relayed message that changes no figure costs the reports no
 * write. The reports journal runs over a memory journal that records the
 * records written with each event; only the messages that start or answer a
 * wait, or are the cycle's first reply, add tracking or rollup records.
 */
import t from 'tap';
import type { BatchJournal, JournalWrite, RecordKey, RecordWrite } from '../actors/journal.js';
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

/** A memory journal that takes batches as the store does, all or nothing; `refuseNext` refuses the next one whole. */
class BatchingJournal extends MemoryJournal implements BatchJournal {
  readonly batches: (readonly JournalWrite[])[] = [];
  refuseNext = false;
  writeBatch(writes: readonly JournalWrite[]): Promise<void> {
    this.batches.push(writes);
    if (this.refuseNext) {
      this.refuseNext = false;
      return Promise.reject(new Error('storage_failed'));
    }
    for (const w of writes) {
      if (w.kind === 'event') void super.append(w.stream, w.seq, w.event);
      else if (w.kind === 'record') void super.writeRecords([w.write]);
      else void super.saveSnapshot(w.stream, w.seq, w.state);
    }
    return Promise.resolve();
  }
}

const kindsOf = (writes: readonly JournalWrite[]): string[] =>
  writes.map((w) =>
    w.kind === 'event'
      ? `event ${(w.event as { type: string }).type}`
      : w.kind === 'record'
        ? String(w.write.key[0])
        : 'snapshot',
  );

t.test('MON-2: a turn’s writes go to the store as one batch, each report record once at its last value', async (t) => {
  const inner = new BatchingJournal();
  const journal = new ReportsJournal(inner);
  const visitor = { role: 'visitor', id: 'v1' } as const;
  const created = (c: string, at: number) =>
    journal.append(`${StreamPrefix.conversation}${c}`, 1, {
      type: 'created',
      at,
      conversationId: c,
      seq: 1,
      visitorId: 'v1',
      department: 'sales',
    });
  const message = (c: string, seq: number, at: number) =>
    journal.append(`${StreamPrefix.conversation}${c}`, seq, {
      type: 'message',
      at,
      conversationId: c,
      seq,
      messageId: `m${seq}`,
      from: visitor,
      text: 'hi',
    });
  // One turn: two conversations of one department in one hour, the first with a second event, and a record
  // and a snapshot of someone else after the burst opened.
  const writes = [
    created('c1', T0),
    message('c1', 2, T0 + 1),
    created('c2', T0 + 2),
    journal.writeRecords([{ key: ['other', 'x'], value: 1 }]),
    journal.saveSnapshot('other:s', 3, { n: 1 }),
  ];
  t.equal(inner.batches.length, 0, 'nothing is handed over during the turn');
  await Promise.all(writes);
  t.equal(inner.batches.length, 1, 'one batch for the turn');
  const kinds = kindsOf(inner.batches[0]!);
  t.same(
    kinds.slice(0, 5),
    ['event created', 'event message', 'event created', 'other', 'snapshot'],
    'the writes in the order they were issued',
  );
  t.equal(kinds.filter((k) => k === Prefix.reportConversation).length, 2, 'one track per conversation');
  t.equal(kinds.filter((k) => k === Prefix.reportHour).length, 1, "the department's hour once, for both");
  t.same(journal.getRecord<RollupSums>(Keys.reportHour(T0, 'sales', ''))?.received, 2, 'counting both');
  t.equal(
    journal.getRecord<ConversationTrack>(Keys.reportConversation('c1'))?.pendingCustomerAt,
    T0 + 1,
    "c1's track at its last value",
  );

  // A refused batch stores none of it, and the kept tracks go back to what the store holds.
  inner.refuseNext = true;
  const refused = [message('c2', 2, T0 + 10), journal.writeRecords([{ key: ['other', 'y'], value: 2 }])];
  const outcomes = await Promise.allSettled(refused);
  t.same(
    outcomes.map((o) => o.status),
    ['rejected', 'rejected'],
    'every write of the refused turn fails',
  );
  t.equal(inner.lastSeq(`${StreamPrefix.conversation}c2`), 1, 'its event is not stored');
  t.equal(journal.getRecord(['other', 'y']), undefined, 'nor its record');
  t.equal(
    journal.getRecord<ConversationTrack>(Keys.reportConversation('c2'))?.pendingCustomerAt,
    undefined,
    'nor its track change',
  );
  await message('c2', 2, T0 + 20);
  t.equal(
    journal.getRecord<ConversationTrack>(Keys.reportConversation('c2'))?.pendingCustomerAt,
    T0 + 20,
    'the next message starts the wait from the store, not from the refused one',
  );
});

/** Commits like the store: every write of a turn resolves together, once the turn's transaction commits. */
class TurnJournal extends MemoryJournal implements BatchJournal {
  private commit: Promise<void> | undefined;
  private turn(): Promise<void> {
    this.commit ??= new Promise((resolve) =>
      setImmediate(() => {
        this.commit = undefined;
        resolve();
      }),
    );
    return this.commit;
  }
  override append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
    void super.append(stream, seq, event, records);
    return this.turn();
  }
  writeBatch(writes: readonly JournalWrite[]): Promise<void> {
    for (const w of writes) {
      if (w.kind === 'event') void super.append(w.stream, w.seq, w.event);
      else if (w.kind === 'record') void super.writeRecords([w.write]);
      else void super.saveSnapshot(w.stream, w.seq, w.state);
    }
    return this.turn();
  }
}

t.test('MON-2 OPS-1: a write issued after a burst went to the store resolves after it, as it was issued', async (t) => {
  const journal = new ReportsJournal(new TurnJournal());
  const order: string[] = [];
  const first = journal.append(`${StreamPrefix.conversation}c1`, 1, {
    type: 'created',
    at: T0,
    conversationId: 'c1',
    seq: 1,
    visitorId: 'v1',
    department: 'sales',
  });
  void first.then(() => order.push('burst'));
  // Issued in the same turn, after the burst was handed over (its microtask ran), with no report record.
  const later = new Promise<void>((resolve) =>
    queueMicrotask(() =>
      queueMicrotask(() => {
        const write = journal.append('other:s', 1, { type: 'x' });
        void write.then(() => order.push('later'));
        void write.then(resolve);
      }),
    ),
  );
  await Promise.all([first, later]);
  await new Promise((r) => setImmediate(r));
  t.same(order, ['burst', 'later'], 'in the order issued');
});
