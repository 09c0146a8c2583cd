/**
 * MON-2 MON-3: the report figures of a hand-built day. Visitors and agents
 * speak the real protocol to a real server on the virtual clock; every
 * expected figure is worked out by hand below from the times of the script,
 * so a wrong formula, a wrong owner (department, agent, hour) or a missed
 * event changes a number the test names.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { startTestServer, tempDataDir, type TestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { newAgent } from './support/routing.js';
import { api, apiAs } from './support/api.js';
import { createStaffWithToken } from './support/staff.js';
import type { Frame, TestClient } from './support/client.js';
import { VirtualClock } from '../actors/clock.js';
import { Keys } from '../actors/keyspace.js';
import { LmdbStore } from '../src/store/lmdb-store.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const S = 1000;

const assigned = (conversationId: string, agentId: string) => (e: Frame) =>
  e.type === 'assigned' && e.conversationId === conversationId && (e.agent as { id: string }).id === agentId;

/**
 * The day (seconds after 10:00 UTC):
 *   C1 pre-sales: created 0 and at once assigned to Ann (wait 0); Ann writes at 30 (first response 30 s,
 *      from created 30 s, answering the opening message: response 30 s); the customer at 90, Ann at 100
 *      (response 10 s); Ann resolves at 200 (handle 200 s); rated 5.
 *   C2 pre-sales: Ann is away; created 300, queued; the customer leaves at 340: abandoned.
 *   C3 pre-sales: created 400, queued; Ann online at 450 takes it (wait 50 s); writes at 460 (first response
 *      10 s, from created 60 s, response 60 s); at 500 she transfers it to after-sales (tag billing), where it
 *      queues until Bob comes online at 520; Bob writes at 530, resolves at 4000 (11:06:40, handle from the
 *      first assignment 3550 s) and it is rated 2.
 * Presence (occupancy): Ann (2 slots) is online 0–300 and from 450 on, Bob (4 slots) from 520 on; the
 *   report is read at 4000, so both count until then. Ann holds C1 0–200 and C3 450–500; Bob holds C3 520–4000.
 *   Ann: online 300 + 3550 = 3850 s, 7700 slot-s offered, 200 + 50 = 250 held. Bob: online 3480 s, 13920
 *   slot-s offered, 3480 held. Within 11:00–12:00 (3600–4000): Ann 400 s (800 offered, 0 held), Bob 400 s
 *   (1600 offered, 400 held).
 */
async function theDay(s: TestServer, clock: VirtualClock): Promise<{ ann: TestClient; bob: TestClient }> {
  const ann = await newAgent(s, {
    id: 'ann',
    name: 'Ann',
    departments: ['pre-sales'],
    crossDepartmentTransfer: true,
    maxConcurrent: 2,
  });
  const bob = await newAgent(s, { id: 'bob2', name: 'Bob Two', departments: ['after-sales'], maxConcurrent: 4 });
  await ann.ok({ type: 'status', status: 'online' });

  const c1 = await openConversation(s, { department: 'pre-sales', text: 'hello' });
  await ann.waitFor(assigned(c1.conversationId, 'ann'));
  await clock.advance(30 * S);
  await ann.ok({ type: 'send', conversationId: c1.conversationId, clientMsgId: 'a1', text: 'Hi, Ann here' });
  await clock.advance(60 * S);
  await c1.v.ok({ type: 'send', conversationId: c1.conversationId, clientMsgId: 'v1', text: 'my order?' });
  await clock.advance(10 * S);
  await ann.ok({ type: 'send', conversationId: c1.conversationId, clientMsgId: 'a2', text: 'on its way' });
  await clock.advance(100 * S);
  await ann.ok({ type: 'resolve', conversationId: c1.conversationId });
  await c1.v.ok({ type: 'rate', conversationId: c1.conversationId, score: 5 });

  await clock.advance(100 * S);
  await ann.ok({ type: 'status', status: 'away' });
  const c2 = await openConversation(s, { department: 'pre-sales', text: 'anyone?' });
  await c2.v.waitFor((e) => e.type === 'queued');
  await clock.advance(40 * S);
  await c2.v.ok({ type: 'leave', conversationId: c2.conversationId });

  await clock.advance(60 * S);
  const c3 = await openConversation(s, { department: 'pre-sales', text: 'help' });
  await c3.v.waitFor((e) => e.type === 'queued');
  await clock.advance(50 * S);
  await ann.ok({ type: 'status', status: 'online' });
  await ann.waitFor(assigned(c3.conversationId, 'ann'));
  await clock.advance(10 * S);
  await ann.ok({ type: 'send', conversationId: c3.conversationId, clientMsgId: 'a3', text: 'looking' });
  await clock.advance(40 * S);
  await ann.ok({
    type: 'transfer',
    conversationId: c3.conversationId,
    to: { department: 'after-sales' },
    note: 'refund',
    tags: ['billing'],
  });
  await c3.v.waitFor((e) => e.type === 'queued' && e.department === 'after-sales');
  await clock.advance(20 * S);
  await bob.ok({ type: 'status', status: 'online' });
  await bob.waitFor(assigned(c3.conversationId, 'bob2'));
  await clock.advance(10 * S);
  await bob.ok({ type: 'send', conversationId: c3.conversationId, clientMsgId: 'b1', text: 'refund done' });
  await clock.advance(3470 * S);
  await bob.ok({ type: 'resolve', conversationId: c3.conversationId, summary: 'refunded' });
  await c3.v.ok({ type: 'rate', conversationId: c3.conversationId, score: 2, comment: 'slow' });
  return { ann, bob };
}

const mean = (sum: number, count: number) => ({ mean: sum / count, count });

/** The whole day, all departments, by hand from the script above. */
const DAY_TOTAL = {
  received: 3,
  assigned: 2,
  resolved: 2,
  queued: 2,
  abandoned: 1,
  abandonRate: 1 / 2,
  waitMs: mean(0 + 50 * S, 2),
  firstResponseMs: mean(30 * S + 10 * S, 2),
  firstResponseFromCreatedMs: mean(30 * S + 60 * S, 2),
  responseMs: mean(30 * S + 10 * S + 60 * S, 3),
  handleMs: mean(200 * S + 3550 * S, 2),
  // Waits 0 s and 50 s: one of two within 20 s.
  serviceLevel: 1 / 2,
  occupancy: (250 + 3480) / (7700 + 13920),
  onlineMs: (3850 + 3480) * S,
  transfers: { in: 1, out: 1, byTag: { billing: 1 } },
  satisfaction: { ratings: 2, good: 1, goodShare: 1 / 2, mean: (5 + 2) / 2 },
};

type Figures = typeof DAY_TOTAL;
interface SummaryBody {
  total: Figures;
  departments: { id: string; figures: Figures }[];
  agents: { id: string; name: string; figures: Figures }[];
  series: { bucket: string; points: { start: string; received: number; resolved: number; abandoned: number }[] };
  range: { from: string; to: string; timeZone: string; edgesMoved: boolean };
}

t.test('MON-2 MON-3: the figures of a hand-built day, per department, per agent, per hour', async (t) => {
  const clock = new VirtualClock(T0);
  const dataDir = tempDataDir();
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const s = await startTestServer(t, { clock, dataDir, keepData: true, autoMessages: false });
  await theDay(s, clock);
  const admin = apiAs(s, 'admin');

  const day = await admin('get', '/reports/summary?from=2026-11-23&to=2026-11-23');
  t.equal(day.status, 200);
  const body = day.body as unknown as SummaryBody;
  t.same(body.range, {
    from: '2026-11-23T00:00:00.000Z',
    to: '2026-11-24T00:00:00.000Z',
    timeZone: 'UTC',
    edgesMoved: false,
  });
  t.same(body.total, DAY_TOTAL, 'every figure of the day in total');

  const dept = (b: SummaryBody, id: string) => b.departments.find((d) => d.id === id)!.figures;
  // The transfer's figures: out of pre-sales (with its tag), into after-sales; the conversation is
  // received, queued and waited for in pre-sales, resolved (and rated 2) in after-sales.
  t.match(
    dept(body, 'pre-sales'),
    {
      received: 3,
      assigned: 2,
      resolved: 1,
      queued: 2,
      abandoned: 1,
      handleMs: { mean: 200 * S, count: 1 },
      transfers: { in: 0, out: 1, byTag: { billing: 1 } },
      satisfaction: { ratings: 1, good: 1, mean: 5 },
      occupancy: 250 / 7700,
      onlineMs: 3850 * S,
    },
    'pre-sales',
  );
  t.match(
    dept(body, 'after-sales'),
    {
      received: 0,
      assigned: 0,
      resolved: 1,
      handleMs: { mean: 3550 * S, count: 1 },
      transfers: { in: 1, out: 0 },
      satisfaction: { ratings: 1, good: 0, goodShare: 0, mean: 2 },
      abandonRate: null,
      waitMs: { mean: null, count: 0 },
      occupancy: 3480 / 13920,
      onlineMs: 3480 * S,
    },
    'after-sales',
  );
  const agent = (id: string) => body.agents.find((a) => a.id === id)!.figures;
  t.match(agent('ann'), {
    assigned: 2,
    resolved: 1,
    waitMs: { mean: 25 * S, count: 2 },
    firstResponseMs: { mean: 20 * S, count: 2 },
    responseMs: { mean: (30 * S + 10 * S + 60 * S) / 3, count: 3 },
    transfers: { out: 1, byTag: { billing: 1 } },
    occupancy: 250 / 7700,
    onlineMs: 3850 * S,
  });
  t.match(agent('bob2'), {
    assigned: 0,
    resolved: 1,
    handleMs: { mean: 3550 * S },
    satisfaction: { mean: 2 },
    occupancy: 1 / 4,
    onlineMs: 3480 * S,
  });
  t.equal(body.agents.find((a) => a.id === 'bob2')!.name, 'Bob Two', 'agents are named');

  t.equal(body.series.bucket, 'hour', 'a day is shown by the hour');
  t.equal(body.series.points.length, 24, 'every hour of the day, empty ones too');
  t.match(body.series.points[10], { start: '2026-11-23T10:00:00.000Z', received: 3, resolved: 1, abandoned: 1 });
  t.match(body.series.points[11], { received: 0, resolved: 1, abandoned: 0 });

  // A range that cuts the day: only what completed in 11:00–12:00 (C3's resolve and rating).
  const edge = (await admin('get', '/reports/summary?from=2026-11-23T11:00:00Z&to=2026-11-23T12:00:00Z'))
    .body as unknown as SummaryBody;
  t.match(edge.total, {
    received: 0,
    assigned: 0,
    resolved: 1,
    handleMs: { mean: 3550 * S },
    satisfaction: { ratings: 1 },
    // MON-2 occupancy cut at the hour edge: only 11:00–12:00 of both agents' online time.
    occupancy: 400 / (800 + 1600),
    onlineMs: 800 * S,
  });

  const longer = (await admin('get', '/reports/summary?from=2026-11-23&to=2026-11-23&serviceLevelSec=60'))
    .body as unknown as SummaryBody;
  t.equal(longer.total.serviceLevel, 1, 'both waits are within 60 s');
  const week = (await admin('get', '/reports/summary?from=2026-11-20&to=2026-11-26')).body as unknown as SummaryBody;
  t.equal(week.series.bucket, 'day', 'a week is shown by the day');
  t.equal(week.series.points.length, 7);
  t.same(week.total, DAY_TOTAL, 'a week holding the day has the same figures');

  // The rollups rebuilt from the journal (as after a restore of a store without them) equal the live ones.
  await s.stop();
  const store = LmdbStore.open(dataDir);
  const meta = store.getRecord(Keys.reportMeta);
  t.ok(meta, 'the rollups are marked complete');
  await store.writeRecords([{ key: Keys.reportMeta, value: undefined }]);
  await store.close();
  const again = await startTestServer(t, { clock, dataDir, keepData: true, autoMessages: false });
  const token = await createStaffWithToken(again.server.directory, {
    id: 'boss',
    name: 'Boss',
    role: 'admin',
    departments: [],
  });
  const rebuilt = (await api(again, token, 'get', '/reports/summary?from=2026-11-23&to=2026-11-23'))
    .body as unknown as SummaryBody;
  t.same(rebuilt.total, DAY_TOTAL, 'the rebuilt rollups give the same day');
  t.same(rebuilt.departments, body.departments, 'and the same departments');
  t.same(rebuilt.agents, body.agents, 'and the same agents');
});
