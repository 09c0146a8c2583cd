/**
 * MON-2 speed: kept days and months (src/reports/period-rollups.ts) answer
 * exactly what the hours answer. The oracle below is the summary as it was
 * before them, hour by hour; traffic is the report benchmark's generator
 * (two months of it) plus agents' presence, including an hour in which an
 * agent's departments change (its presence differs between them).
 */
import t from 'tap';
import { MemoryJournal } from '../src/sim/memory-journal.js';
import { ReportsJournal } from '../src/reports/reports-journal.js';
import { summary, type SummaryQuery } from '../src/reports/summary.js';
import { reportRange } from '../src/reports/report-range.js';
import { figuresOf } from '../src/reports/figures.js';
import { addPresence, addSums, emptySums, type RollupSums } from '../src/reports/rollup-sums.js';
import { HOUR_MS } from '../src/reports/hours.js';
import { segments } from '../src/reports/period-rollups.js';
import { presenceParts, type PresenceTrack } from '../src/reports/presence-track.js';
import { yearTraffic } from '../load/reports/year-traffic.js';
import { YEAR_DEPARTMENTS, yearAgents } from '../load/reports/year-workspace.js';
import { conversationStream, type RatingRecord } from '../actors/conversation/records.js';
import { presenceStream, type PresenceEvent } from '../actors/agent/presence.js';
import { Keys } from '../actors/keyspace.js';
import type { Journal } from '../actors/journal.js';
import type { Logger } from '../src/logger.js';
import { warmUpPeriods } from '../src/reports/period-warm-up.js';

const START = Date.UTC(2026, 9, 1);
const NOW = Date.UTC(2027, 0, 15);
const ALL = YEAR_DEPARTMENTS.map((d) => d.id);

/** The figures of the oracle: every hour's records read and summed, the presence of each agent once per hour. */
function hourByHour(journal: Journal, q: SummaryQuery) {
  const wanted = new Set(q.departments);
  const total = emptySums();
  const departments = new Map<string, RollupSums>();
  const agents = new Map<string, RollupSums>();
  const of = (m: Map<string, RollupSums>, id: string): RollupSums => {
    let s = m.get(id);
    if (!s) m.set(id, (s = emptySums()));
    return s;
  };
  const addHour = (records: { department: string; agent: string; sums: RollupSums }[]): void => {
    const best = new Map<string, RollupSums>();
    for (const { department, agent, sums } of records) {
      if (!wanted.has(department)) continue;
      addSums(total, sums, false);
      addSums(of(departments, department), sums);
      if (agent === '') continue;
      addSums(of(agents, agent), sums, false);
      const b = best.get(agent);
      if (sums.slotMs > 0 && (!b || sums.slotMs > b.slotMs)) best.set(agent, sums);
    }
    for (const [agent, s] of best) {
      addPresence(total, s);
      addPresence(of(agents, agent), s);
    }
  };
  for (let hour = q.range.from; hour < q.range.to; hour += HOUR_MS)
    addHour(
      [...journal.records<RollupSums>(Keys.reportHours(hour))].map(({ key, value }) => ({
        department: String(key[2]),
        agent: String(key[3]),
        sums: value,
      })),
    );
  const open = [...journal.records<PresenceTrack>(Keys.allReportPresence)].flatMap(({ value }) =>
    presenceParts(value, Math.min(q.now, q.range.to), q.range.from),
  );
  const byHour = new Map<number, typeof open>();
  for (const c of open) byHour.set(Math.floor(c.at / HOUR_MS), [...(byHour.get(Math.floor(c.at / HOUR_MS)) ?? []), c]);
  for (const cs of byHour.values())
    addHour(cs.map((c) => ({ department: c.department, agent: c.agent, sums: c.sums })));
  const fig = (s: RollupSums) => figuresOf(s, q.serviceLevelSec);
  return {
    total: fig(total),
    departments: q.departments.map((id) => ({ id, figures: fig(of(departments, id)) })),
    agents: [...agents.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, s]) => ({ id, figures: fig(s) })),
  };
}

/** The series' received count per bucket, from the oracle's hours. */
function receivedPerBucket(journal: Journal, q: SummaryQuery, bucketStarts: number[]): number[] {
  const out = bucketStarts.map(() => 0);
  for (let hour = q.range.from; hour < q.range.to; hour += HOUR_MS) {
    let b = 0;
    while (b + 1 < bucketStarts.length && bucketStarts[b + 1]! <= hour) b++;
    for (const { key, value } of journal.records<RollupSums>(Keys.reportHours(hour)))
      if (q.departments.includes(String(key[2]))) out[b]! += value.received;
  }
  return out;
}

async function presence(journal: Journal, agentId: string, seq: number, e: Omit<PresenceEvent, 'type' | 'agentId'>) {
  await journal.append(presenceStream(agentId), seq, { type: 'presence', agentId, ...e } satisfies PresenceEvent);
}

async function twoMonths(): Promise<{ memory: MemoryJournal; reports: ReportsJournal }> {
  const memory = new MemoryJournal();
  const reports = new ReportsJournal(memory);
  // 365 days of the generator from START, of which the report ranges below read Oct to mid-Dec.
  for (const c of yearTraffic({ seed: 3, conversations: 12_000, start: START, agents: yearAgents() }))
    for (const w of c.writes)
      if (w.kind === 'event') await reports.append(conversationStream(c.id), w.event.seq, w.event, w.records);
      else await reports.writeRecords([{ key: Keys.rating(c.id), value: w.rating }]);
  const [a, b] = yearAgents().filter((x) => x.departments.length >= 1);
  const at = (iso: string): number => Date.parse(iso);
  // Agent a: online over three days across a month edge, its capacity changing on the way.
  await presence(reports, a!.id, 1, {
    at: at('2026-10-30T08:10:00Z'),
    online: true,
    active: 0,
    max: 3,
    departments: a!.departments,
  });
  await presence(reports, a!.id, 2, {
    at: at('2026-10-31T23:30:00Z'),
    online: true,
    active: 2,
    max: 4,
    departments: a!.departments,
  });
  await presence(reports, a!.id, 3, {
    at: at('2026-11-02T01:45:00Z'),
    online: false,
    active: 0,
    max: 4,
    departments: a!.departments,
  });
  // Agent b: its departments change at 10:20, so the hour 10:00 differs between them; then online until now.
  const other = ALL.find((d) => !b!.departments.includes(d))!;
  await presence(reports, b!.id, 1, {
    at: at('2026-11-10T09:00:00Z'),
    online: true,
    active: 1,
    max: 2,
    departments: b!.departments,
  });
  await presence(reports, b!.id, 2, {
    at: at('2026-11-10T10:20:00Z'),
    online: true,
    active: 1,
    max: 2,
    departments: [...b!.departments, other],
  });
  await presence(reports, b!.id, 3, {
    at: at('2026-11-10T13:00:00Z'),
    online: true,
    active: 0,
    max: 2,
    departments: [other],
  });
  return { memory, reports };
}

const CASES: { name: string; from: string; to: string; zone: string; departments: string[] }[] = [
  {
    name: 'two months and a half in UTC, all departments',
    from: '2026-10-01',
    to: '2026-12-14',
    zone: 'UTC',
    departments: ALL,
  },
  {
    name: 'November in Asia/Shanghai (+8), one department',
    from: '2026-11-01',
    to: '2026-11-30',
    zone: 'Asia/Shanghai',
    departments: [ALL[0]!],
  },
  {
    name: 'October to November in America/New_York (a DST change), two departments',
    from: '2026-10-15',
    to: '2026-11-20',
    zone: 'America/New_York',
    departments: ALL.slice(1, 3),
  },
  {
    name: 'three days in Asia/Kolkata (edges moved), all departments',
    from: '2026-11-09',
    to: '2026-11-11',
    zone: 'Asia/Kolkata',
    departments: ALL,
  },
  {
    name: 'an instant range of 30 hours',
    from: '2026-11-01T05:00:00Z',
    to: '2026-11-02T11:00:00Z',
    zone: 'UTC',
    departments: ALL,
  },
];

t.test('MON-2 kept days and months answer what the hours answer, in any zone and for any departments', async (t) => {
  const { reports } = await twoMonths();
  for (const c of CASES) {
    const q: SummaryQuery = {
      range: reportRange(c.from, c.to, c.zone),
      departments: c.departments,
      serviceLevelSec: 20,
      now: NOW,
    };
    const expected = hourByHour(reports, q);
    const first = summary(reports, q);
    const again = summary(reports, q);
    for (const [label, got] of [
      ['first', first],
      ['kept', again],
    ] as const) {
      t.same(got.total, expected.total, `${c.name}: ${label} answer, the total`);
      t.same(
        got.departments.map((d) => ({ id: d.id, figures: d.figures })),
        expected.departments,
        `${c.name}: ${label}, the departments`,
      );
      t.same(
        got.agents.map((a) => ({ id: a.id, figures: a.figures })),
        expected.agents,
        `${c.name}: ${label}, the agents`,
      );
      const starts = got.series.points.map((p) => Date.parse(p.start));
      t.same(
        got.series.points.map((p) => p.received),
        receivedPerBucket(reports, q, starts),
        `${c.name}: ${label}, the series`,
      );
    }
    t.ok(first.total.received > 0, `${c.name}: the range holds traffic (${first.total.received} received)`);
  }
  t.ok(
    segments(Date.UTC(2026, 9, 1), Date.UTC(2026, 11, 14)).some((s) => s.kind === 'month'),
    'whole months are read as months',
  );
  t.ok(reports.periods.keptCount >= 60, `past days and months are kept (${reports.periods.keptCount})`);
  const b = yearAgents()[1]!;
  const shanghai = summary(reports, {
    range: reportRange('2026-11-10', '2026-11-10', 'UTC'),
    departments: ALL,
    serviceLevelSec: 20,
    now: NOW,
  });
  t.ok(
    (shanghai.agents.find((a) => a.id === b.id)?.figures.onlineMs ?? 0) >= 4 * HOUR_MS,
    'the agent whose departments changed is online that day',
  );
});

t.test('MON-2 a late write into a kept day deletes it; a restart reads the kept ones again', async (t) => {
  const { memory, reports } = await twoMonths();
  const q: SummaryQuery = {
    range: reportRange('2026-10-01', '2026-11-30', 'UTC'),
    departments: ALL,
    serviceLevelSec: 20,
    now: NOW,
  };
  summary(reports, q);
  const kept = reports.periods.keptCount;
  t.ok(kept >= 61, `October, November and their days are kept (${kept})`);
  t.ok(memory.getRecord(Keys.reportPeriod('month', Date.UTC(2026, 10, 1))), 'November is in the store');

  // A rating given late to an unrated conversation of 12 November: its day and month are summed again.
  const ratedAt = Date.parse('2026-11-12T15:00:00Z');
  const conversationId = [...memory.records<string>(Keys.reportCreatedHour(Date.parse('2026-11-12T10:00:00Z')))]
    .map((r) => r.value)
    .find((id) => !memory.getRecord(Keys.rating(id)))!;
  const rating: RatingRecord = { conversationId, score: 5, at: ratedAt };
  const before = summary(reports, q).total.satisfaction.ratings;
  const write = reports.writeRecords([{ key: Keys.rating(conversationId), value: rating }]);
  t.notOk(memory.getRecord(Keys.reportPeriod('month', Date.UTC(2026, 10, 1))), 'the write deleted November');
  // While the write is in flight the day is summed but not kept.
  summary(reports, q);
  t.notOk(
    memory.getRecord(Keys.reportPeriodMark('day', Date.UTC(2026, 10, 12))),
    'a day with a write in flight is not kept',
  );
  t.notOk(memory.getRecord(Keys.reportPeriod('month', Date.UTC(2026, 10, 1))), 'nor its month');
  await write;
  const after = summary(reports, q);
  t.same(after.total, hourByHour(reports, q).total, "the answer after the late rating is the hours' answer");
  t.equal(after.total.satisfaction.ratings, before + 1, 'and counts the rating');
  t.ok(
    memory.getRecord(Keys.reportPeriod('month', Date.UTC(2026, 10, 1))),
    'November is kept again once the write settled',
  );

  const restarted = new ReportsJournal(memory);
  t.equal(restarted.periods.keptCount, reports.periods.keptCount, 'a restart knows the kept days and months');
  t.same(summary(restarted, q), summary(reports, q), 'and answers the same');
});

t.test('MON-2 the warm-up keeps every past day and month, and not a day written into meanwhile', async (t) => {
  const { memory, reports } = await twoMonths();
  const steps = reports.periods.warmUp(NOW);
  // The newest past day is summed first: a rollup write into it halfway makes the warm-up leave it.
  for (let i = 0; i < 5; i++) steps.next();
  const lastDay = Date.UTC(2027, 0, 14);
  const conversationId = [...memory.records<string>(Keys.reportCreatedHour(Date.parse('2027-01-14T10:00:00Z')))]
    .map((r) => r.value)
    .find((id) => !memory.getRecord(Keys.rating(id)))!;
  await reports.writeRecords([
    { key: Keys.rating(conversationId), value: { conversationId, score: 4, at: lastDay + 20 * HOUR_MS } },
  ]);
  let turns = 5;
  while (!steps.next().done) turns++;
  const days = (lastDay - START) / (24 * HOUR_MS) + 1;
  t.equal(turns, days * 24 + 3, 'one step per hour of each past day, and one per month over (October to December)');
  t.notOk(memory.getRecord(Keys.reportPeriodMark('day', lastDay)), 'the day written into meanwhile is not kept');
  t.ok(memory.getRecord(Keys.reportPeriodMark('day', lastDay - 24 * HOUR_MS)), 'the day before it is');
  t.ok(memory.getRecord(Keys.reportPeriodMark('month', Date.UTC(2026, 11, 1))), 'December is kept');
  t.equal(reports.periods.keptCount, days - 1 + 3, 'every other past day, and the three months');
  const q: SummaryQuery = {
    range: reportRange('2026-10-01', '2027-01-14', 'Europe/Berlin'),
    departments: ALL,
    serviceLevelSec: 20,
    now: NOW,
  };
  t.same(
    summary(reports, q).total,
    hourByHour(reports, q).total,
    "a report over the kept periods is the hours' answer",
  );
  summary(reports, { ...q, range: reportRange('2027-01-14', '2027-01-14', 'UTC') });
  t.equal(reports.periods.keptCount, days + 3, 'and keeps the day the warm-up left');
  t.equal([...reports.periods.warmUp(NOW)].length, 0, 'a second warm-up finds nothing to do');
});

t.test('MON-2 the warm-up runs in slices beside the event loop and logs what it kept', async (t) => {
  const { reports } = await twoMonths();
  const lines: unknown[] = [];
  const log = { info: (o: unknown) => lines.push(o), error: (o: unknown) => lines.push(o) } as unknown as Logger;
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 0);
  await warmUpPeriods(reports.periods, NOW, log).done;
  clearInterval(ticker);
  t.ok(reports.periods.keptCount > 100, `the past days and months are kept (${reports.periods.keptCount})`);
  t.ok(ticks > 1, `timers ran while it worked (${ticks})`);
  t.match(lines, [{ kept: reports.periods.keptCount }], 'it logs how many are kept');
  const stopped = warmUpPeriods(new ReportsJournal(new MemoryJournal()).periods, NOW, log);
  stopped.stop();
  await stopped.done;
  t.pass('a stopped warm-up settles');
});
