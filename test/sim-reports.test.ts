/**
 * MON-2 and SIM-1 agree on the same traffic (issue 18): one seeded run of
 * the simulator, with abandons, transfers, survey answers and a customer
 * message to answer, measured three ways:
 *
 *  - by the simulator, from what its simulated customers saw (the frames
 *    a widget would get), per customer;
 *  - by the live reports engine the run's journal goes through
 *    (ReportsJournal over the memory journal: the report's `reports` part);
 *  - by a real server started on an LMDB store holding a copy of the run's
 *    conversation events, which rebuilds its rollups from them, over the
 *    real report route.
 *
 * Counts must be equal, means equal to float rounding, figure by figure;
 * and `switchboard simulate` prints those figures.
 */
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../actors/clock.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { parseScenario } from '../src/sim/scenario.js';
import { simulate } from '../src/sim/simulator.js';
import { syntheticCustomers } from '../src/sim/customers.js';
import { formatTable, report, type Report } from '../src/sim/report.js';
import type { CustomerOutcome } from '../src/sim/outcomes.js';
import type { Figures } from '../src/reports/figures.js';
import { waitBucket } from '../src/reports/rollup-sums.js';
import { conversationCopy, type ConversationCopy } from './support/conversation-copy.js';
import { startTestServer, tempDataDir } from './support/server.js';
import { apiAs } from './support/api.js';

const START = Date.UTC(2026, 0, 5);
const SL_SEC = 30;

/** About 300 conversations in 4 hours: two departments, impatient customers, a transfer rule, ratings. */
const scenario = parseScenario({
  name: 'reports agree',
  seed: 18,
  durationHours: 4,
  drainHours: 2,
  serviceLevelSec: SL_SEC,
  departments: [
    { id: 'support', defaultMaxConcurrent: 2, policy: 'least_load' },
    { id: 'billing', defaultMaxConcurrent: 1, policy: 'round_robin' },
  ],
  agents: [
    { id: 'sup', departments: ['support'], count: 4 },
    { id: 'bil', departments: ['billing'], count: 2 },
  ],
  arrivals: [
    { department: 'support', ratePerHour: 50 },
    // A first message the agent must answer (its needs token), so the response time has something to measure.
    { department: 'support', ratePerHour: 10, needs: { priority: 5 } },
    { department: 'billing', ratePerHour: 15 },
  ],
  handleTime: { dist: 'exponential', meanSec: 400 },
  patience: { dist: 'exponential', meanSec: 300 },
  firstReply: { dist: 'exponential', meanSec: 20 },
  transfers: [
    { from: 'support', to: 'billing', share: 0.2, after: { dist: 'exponential', meanSec: 60 }, tags: ['billing'] },
  ],
  ratings: { share: 0.5, weights: [1, 1, 2, 4, 4] },
});

interface Mean {
  sum: number;
  count: number;
}
const mean = (m: Mean) => (m.count > 0 ? m.sum / m.count : null);
const add = (m: Mean, ms: number) => {
  m.sum += ms;
  m.count++;
};

/** The MON-2 figures (docs/reports.md) in total, as the simulated customers saw them, one customer at a time. */
function seenByCustomers(customers: readonly CustomerOutcome[], hadFirstMessage: (index: number) => boolean) {
  const wait = { sum: 0, count: 0 };
  const firstResponse = { sum: 0, count: 0 };
  const fromCreated = { sum: 0, count: 0 };
  const response = { sum: 0, count: 0 };
  const handle = { sum: 0, count: 0 };
  const byTag: Record<string, number> = {};
  let within = 0;
  let transfers = 0;
  const ratings: number[] = [];
  for (const c of customers) {
    const created = c.startedAt!;
    if (c.assignedAt !== undefined) {
      add(wait, c.assignedAt - created);
      if (Number(waitBucket(c.assignedAt - created)) <= SL_SEC) within++;
    }
    if (c.firstAgentMessageAt !== undefined) {
      if (c.assignedAt !== undefined) add(firstResponse, c.firstAgentMessageAt - c.assignedAt);
      add(fromCreated, c.firstAgentMessageAt - created);
      // The customer writes only their first message, at the start: the first agent message answers it.
      if (hadFirstMessage(c.index)) add(response, c.firstAgentMessageAt - created);
    }
    if (c.endedAt !== undefined && c.end !== 'abandoned' && c.assignedAt !== undefined)
      add(handle, c.endedAt - c.assignedAt);
    for (const x of c.transfers ?? []) {
      transfers++;
      for (const tag of x.tags) byTag[tag] = (byTag[tag] ?? 0) + 1;
    }
    if (c.rating !== undefined) ratings.push(c.rating);
  }
  const assigned = customers.filter((c) => c.assignedAt !== undefined).length;
  const queued = customers.filter((c) => c.queued).length;
  const abandoned = customers.filter((c) => c.end === 'abandoned' && c.queued).length;
  const good = ratings.filter((r) => r >= 4).length;
  return {
    received: customers.filter((c) => c.conversationId !== undefined).length,
    assigned,
    resolved: customers.filter((c) => c.endedAt !== undefined && c.end !== 'abandoned').length,
    queued,
    abandoned,
    abandonRate: queued ? abandoned / queued : null,
    waitMs: mean(wait),
    waitCount: wait.count,
    firstResponseMs: mean(firstResponse),
    firstResponseFromCreatedMs: mean(fromCreated),
    responseMs: mean(response),
    responseCount: response.count,
    handleMs: mean(handle),
    serviceLevel: assigned ? within / assigned : null,
    within,
    transfers: { in: transfers, out: transfers, byTag },
    satisfaction: {
      ratings: ratings.length,
      good,
      goodShare: ratings.length ? good / ratings.length : null,
      mean: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
    },
  };
}

/** Every figure of the reports contract, compared one by one: counts exactly, means to float rounding. */
function sameFigures(t: Test, got: Figures, want: Figures, what: string): void {
  for (const k of ['received', 'assigned', 'resolved', 'queued', 'abandoned'] as const)
    t.equal(got[k], want[k], `${what}: ${k}`);
  for (const k of ['waitMs', 'firstResponseMs', 'firstResponseFromCreatedMs', 'responseMs', 'handleMs'] as const) {
    t.equal(got[k].count, want[k].count, `${what}: ${k} count`);
    t.ok(close(got[k].mean, want[k].mean), `${what}: ${k} mean ${got[k].mean} ≈ ${want[k].mean}`);
  }
  t.ok(close(got.abandonRate, want.abandonRate), `${what}: abandonRate`);
  t.ok(close(got.serviceLevel, want.serviceLevel), `${what}: serviceLevel`);
  t.same(got.transfers, want.transfers, `${what}: transfers`);
  t.equal(got.satisfaction.ratings, want.satisfaction.ratings, `${what}: ratings`);
  t.equal(got.satisfaction.good, want.satisfaction.good, `${what}: good ratings`);
  t.ok(close(got.satisfaction.mean, want.satisfaction.mean), `${what}: satisfaction mean`);
  t.ok(close(got.satisfaction.goodShare, want.satisfaction.goodShare), `${what}: good share`);
}

/** Equal to float rounding (sums of a few hundred times in ms, added in another order). */
function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

const round2 = (x: number) => Math.round(x * 100) / 100;

t.test(
  "MON-2, SIM-1: the simulator's figures equal the live report's on the same run, and the report route's too",
  async (t) => {
    const customers = syntheticCustomers(scenario, START);
    const dataDir = tempDataDir();
    const store = LmdbStore.open(dataDir);
    let copy: ConversationCopy | undefined;
    const run = await simulate(scenario, customers, {
      wrapJournal: (journal) => (copy = conversationCopy(journal, store)).journal,
    });
    await copy!.flushed();
    await store.close();
    const r: Report = report(run, 'run');
    const live = r.reports.total;

    // The scenario does what it is for: a few hundred conversations, some abandoned, transferred, rated, answered.
    t.ok(r.customers >= 250 && r.customers <= 400, `${r.customers} customers`);
    t.ok(live.abandoned >= 10, `${live.abandoned} abandoned`);
    t.ok(live.transfers.out >= 10, `${live.transfers.out} transfers`);
    t.ok(live.satisfaction.ratings >= 50, `${live.satisfaction.ratings} ratings`);
    t.ok(live.responseMs.count >= 10, `${live.responseMs.count} answered customer messages`);
    t.equal(r.leftMessage + r.refused + r.unfinished, 0, 'everyone waited in line and was done by the end');
    t.equal(run.customers.length, customers.length, 'every customer is counted (no warm-up)');

    // 1. What the customers saw equals what the reports computed from the journal, figure by figure.
    const withNeeds = new Set(customers.filter((c) => c.needs !== undefined).map((c) => c.index));
    const seen = seenByCustomers(run.customers, (i) => withNeeds.has(i));
    for (const k of ['received', 'assigned', 'resolved', 'queued', 'abandoned'] as const)
      t.equal(live[k], seen[k], `customers' view = reports: ${k} (${seen[k]})`);
    t.ok(close(live.abandonRate, seen.abandonRate), 'abandonRate');
    t.equal(live.waitMs.count, seen.waitCount, 'waits counted');
    t.ok(close(live.waitMs.mean, seen.waitMs), `wait mean ${live.waitMs.mean} ≈ ${seen.waitMs}`);
    t.ok(close(live.serviceLevel, seen.serviceLevel), `service level ${live.serviceLevel}`);
    t.ok(close(live.firstResponseMs.mean, seen.firstResponseMs), 'first response mean');
    t.ok(close(live.firstResponseFromCreatedMs.mean, seen.firstResponseFromCreatedMs), 'first response from created');
    t.equal(live.responseMs.count, seen.responseCount, 'responses counted');
    t.ok(close(live.responseMs.mean, seen.responseMs), 'response mean');
    t.ok(close(live.handleMs.mean, seen.handleMs), 'handle mean');
    t.same(live.transfers, seen.transfers, 'transfers in, out and by tag');
    t.same(live.satisfaction.ratings, seen.satisfaction.ratings, 'ratings');
    t.same(live.satisfaction.good, seen.satisfaction.good, 'good ratings');
    t.ok(close(live.satisfaction.mean, seen.satisfaction.mean), 'satisfaction mean');
    t.ok(close(live.satisfaction.goodShare, seen.satisfaction.goodShare), 'good share');
    const received = Object.fromEntries(r.reports.departments.map((d) => [d.id, d.figures.received]));
    t.same(
      received,
      {
        support: run.customers.filter((c) => c.department === 'support').length,
        billing: run.customers.filter((c) => c.department === 'billing').length,
      },
      'received per department: where each customer started',
    );

    // 2. The simulator's own headline figures, where they share a definition with the reports, are the same numbers.
    t.equal(r.served, live.assigned, 'served = assigned');
    t.equal(r.abandoned, live.abandoned, 'abandoned');
    t.equal(r.waitSec.mean, round2(live.waitMs.mean! / 1000), 'wait mean (s)');
    // The simulator's service level also counts abandoned customers as missed: same waits within X, another whole.
    const whole = r.served + r.abandoned + r.unfinished;
    t.equal(r.serviceLevel.percent, round2((100 * live.serviceLevel! * live.assigned) / whole), 'service level');
    t.equal(r.abandonmentPercent, round2((100 * live.abandoned) / whole), 'abandonment ÷ all who waited in line');

    // 3. A real server on a copy of the run's conversation events rebuilds its rollups and answers the same.
    const s = await startTestServer(t, { dataDir, clock: new VirtualClock(START + 7 * 24 * 3_600_000) });
    const range = `from=${r.reports.range.from}&to=${r.reports.range.to}`;
    const asked = `/reports/summary?${range}&serviceLevelSec=${SL_SEC}&department=support&department=billing`;
    const answer = await apiAs(s, 'admin')('get', asked);
    t.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 300));
    const body = answer.body as unknown as { total: Figures; departments: { id: string; figures: Figures }[] };
    sameFigures(t, body.total, live, 'route total');
    for (const d of r.reports.departments) {
      const routeDept = body.departments.find((x) => x.id === d.id);
      t.ok(routeDept, `route lists ${d.id}`);
      if (routeDept) sameFigures(t, routeDept.figures, d.figures, `route ${d.id}`);
    }

    // 4. The command line prints the same figures, in its JSON and its table.
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-sim-reports-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'scenario.json');
    writeFileSync(path, JSON.stringify(scenario));
    const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));
    const child = spawnSync(process.execPath, [cli, 'simulate', path, '--json'], { encoding: 'utf8' });
    t.equal(child.status, 0, child.stderr);
    const printed = (JSON.parse(child.stdout) as { runs: Report[] }).runs[0]!;
    t.same(printed.reports.range, r.reports.range, 'printed: the same range');
    sameFigures(t, printed.reports.total, body.total, 'printed total');
    for (const d of printed.reports.departments)
      sameFigures(t, d.figures, body.departments.find((x) => x.id === d.id)!.figures, `printed ${d.id}`);
    const table = formatTable([r]);
    const f = body.total;
    t.match(table, new RegExp(`received / assigned / resolved\\s+${f.received} / ${f.assigned} / ${f.resolved}\\n`));
    t.match(table, new RegExp(`abandoned / queued\\s+${f.abandoned} / ${f.queued} `));
    t.match(table, new RegExp(`transfers out / in\\s+${f.transfers.out} / ${f.transfers.in}\\n`));
    t.match(table, new RegExp(`  wait mean \\(s\\)\\s+${round2(f.waitMs.mean! / 1000)}\\n`), 'the table too');
  },
);
