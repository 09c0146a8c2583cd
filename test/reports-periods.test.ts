/**
 * MON-2: summary reports summed from the cached days and months
 * (src/reports/period-cache.ts) give the same answer as the sum of every
 * hour of the range, for ranges of whole months, whole days, partial days
 * and a year, and still do after later writes change a cached day (a
 * changed rating, a late event) or the current day. The reference is the
 * same store read without the reports journal, which sums by the hour.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { tempDataDir } from './support/server.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { ReportsJournal } from '../src/reports/reports-journal.js';
import { summary, type SummaryQuery } from '../src/reports/summary.js';
import { conversationStream, type RatingRecord } from '../actors/conversation/records.js';
import { Keys, Prefix } from '../actors/keyspace.js';
import type { ConversationEvent } from '../protocol/frames.js';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const DEPARTMENTS = ['pre-sales', 'after-sales', 'billing'];
const AGENTS = ['ann', 'bob', 'cy', 'dee'];

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
}

/** One conversation: created, maybe queued and abandoned, else assigned, answered, resolved and maybe rated. */
function conversation(id: string, at: number, r: () => number): { events: ConversationEvent[]; rating?: RatingRecord } {
  const department = DEPARTMENTS[Math.floor(r() * DEPARTMENTS.length)]!;
  const agent = AGENTS[Math.floor(r() * AGENTS.length)]!;
  const base = { conversationId: id };
  let seq = 0;
  const e = (x: Record<string, unknown>, dt: number): ConversationEvent =>
    ({ ...base, ...x, seq: ++seq, at: (at += dt) }) as unknown as ConversationEvent;
  const events = [e({ type: 'created', visitorId: `v-${id}`, department }, 0)];
  if (r() < 0.3) events.push(e({ type: 'queued', department }, 1000));
  if (r() < 0.1) {
    events.push(e({ type: 'resolved', by: { role: 'visitor', id: `v-${id}` }, reason: 'abandoned' }, 60_000));
    return { events };
  }
  events.push(
    e(
      { type: 'assigned', department, visitorId: `v-${id}`, agent: { id: agent, name: agent }, policy: 'x' },
      r() * 90_000,
    ),
    e({ type: 'message', messageId: `${id}-m`, from: { role: 'agent', id: agent }, text: 'hi' }, r() * 60_000),
    // Some resolves fall in the next hour or day, so a conversation's figures span periods.
    e({ type: 'resolved', by: { role: 'agent', id: agent } }, r() * 4 * 3_600_000),
  );
  const rating = r() < 0.4 ? { conversationId: id, agentId: agent, score: 1 + Math.floor(r() * 5), at } : undefined;
  return { events, ...(rating ? { rating } : {}) };
}

async function feed(journal: ReportsJournal, id: string, c: ReturnType<typeof conversation>): Promise<void> {
  await Promise.all(c.events.map((ev) => journal.append(conversationStream(id), ev.seq, ev)));
  if (c.rating) await journal.writeRecords([{ key: Keys.rating(id), value: c.rating }]);
}

const query = (from: number, to: number, departments = DEPARTMENTS): SummaryQuery => ({
  range: { from, to },
  departments,
  serviceLevelSec: 20,
});

t.test(
  'MON-2: reports from cached days and months equal the sum of their hours, before and after writes',
  async (t) => {
    const dir = tempDataDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const store = LmdbStore.open(dir);
    t.teardown(() => store.close());
    const journal = new ReportsJournal(store);
    const r = rng(7);
    // 1,500 conversations over about three months, 50 per event-loop turn (one transaction).
    for (let batch = 0; batch < 30; batch++) {
      const turn: Promise<void>[] = [];
      for (let i = 0; i < 50; i++) {
        const n = batch * 50 + i;
        turn.push(feed(journal, `c${n}`, conversation(`c${n}`, T0 + Math.floor(r() * 92 * DAY), r)));
      }
      await Promise.all(turn);
    }
    const ranges: [string, number, number, string[]?][] = [
      ['January', T0, T0 + 31 * DAY],
      ['February, one department', T0 + 31 * DAY, T0 + 59 * DAY, ['billing']],
      ['ten days across a month end', T0 + 25 * DAY, T0 + 35 * DAY],
      ['a year', T0, T0 + 365 * DAY],
      ['from a midnight to an instant mid-day', T0 + 3 * DAY, T0 + 40 * DAY + 7 * 3_600_000],
      ['two departments, 45 days', T0 + 14 * DAY, T0 + 59 * DAY, ['pre-sales', 'after-sales']],
      ['from 10:00, by the day (not aligned: read by the hour)', T0 + 2 * DAY + 10 * 3_600_000, T0 + 9 * DAY],
    ];
    const same = (label: string): void => {
      for (const [name, from, to, departments] of ranges) {
        const q = query(from, to, departments);
        t.same(summary(journal, q), summary(store, q), `${label}: ${name}`);
      }
    };
    same('first reading');
    same('again, from the cache');
    const year = summary(journal, query(T0, T0 + 365 * DAY));
    t.equal(year.total.received, 1500, 'the year holds every conversation');
    t.equal(year.series.points.length, 365);

    const januaryBefore = summary(journal, query(T0, T0 + 31 * DAY));
    // A changed rating takes the earlier one out of its (cached) hour; a late event lands in January.
    const rated = [...store.records<RatingRecord>([Prefix.rating])].find((x) => x.value.at < T0 + 31 * DAY)!;
    const id = rated.value.conversationId;
    await journal.writeRecords([
      { key: Keys.rating(id), value: { ...rated.value, score: rated.value.score === 1 ? 5 : 1 } },
    ]);
    await feed(journal, 'late', conversation('late', T0 + 20 * DAY, r));
    const january = summary(journal, query(T0, T0 + 31 * DAY));
    t.not(january.total.satisfaction.mean, januaryBefore.total.satisfaction.mean, 'the changed rating moved a figure');
    t.equal(january.total.received, januaryBefore.total.received + 1, 'the late conversation is counted');
    same('after writes into cached days');
  },
);
