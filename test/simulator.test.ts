/**
 * SIM-1: the routing simulator's parts and behaviours beyond the textbook
 * case: the in-memory journal, the scenario format, shifts, abandonment,
 * left messages, offer mode, skills and VIP through the real routing,
 * reports and the `simulate` command.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MemoryJournal } from '../src/sim/memory-journal.js';
import { Random, sampleMs, meanSec } from '../src/sim/random.js';
import { applySettings, parseScenario, ScenarioError, type Scenario } from '../src/sim/scenario.js';
import { simulate } from '../src/sim/simulator.js';
import { shiftIntervals } from '../src/sim/shifts.js';
import { syntheticCustomers } from '../src/sim/customers.js';
import { formatTable, quantile, report } from '../src/sim/report.js';
import { simulateCommand } from '../src/sim/command.js';
import { readRecording } from '../src/sim/recording.js';
import { SimClock } from '../src/sim/sim-clock.js';

const START = Date.UTC(2026, 0, 5);
const run = async (s: Scenario) => report(await simulate(s, syntheticCustomers(s, START)), 'run');

t.test('SIM-1: the in-memory journal keeps events, snapshots and records like the store', async (t) => {
  const j = new MemoryJournal();
  await j.append('s', 1, { n: 1 }, [{ key: ['r', 'b', 2], value: 'b2' }]);
  await j.append('s', 3, { n: 3 });
  await j.append('s', 2, { n: 2 });
  await j.append('s', 2, { n: 22 });
  t.same(
    [...j.read('s', 1)].map((e) => e.event),
    [{ n: 1 }, { n: 22 }, { n: 3 }],
    'in seq order, one event per seq',
  );
  t.same(
    [...j.read('s', 2, 2)].map((e) => e.seq),
    [2],
  );
  t.equal(j.lastSeq('s'), 3);
  t.equal(j.lastSeq('none'), 0);
  await j.writeRecords([
    { key: ['r', 'a'], value: 'a' },
    { key: ['r', 'b', 1], value: 'b1' },
    { key: ['r', 10], value: 'ten' },
    { key: ['r', 9], value: 'nine' },
    { key: ['r'], value: 'root' },
  ]);
  t.same(
    [...j.records(['r'])].map((r) => r.value),
    ['root', 'nine', 'ten', 'a', 'b1', 'b2'],
    'key order: numbers before strings',
  );
  t.same(
    [...j.records(['r', 'b'])].map((r) => r.key),
    [
      ['r', 'b', 1],
      ['r', 'b', 2],
    ],
  );
  t.equal(j.getRecord(['r', 'a']), 'a');
  t.equal(j.getRecord(['r', 'b']), undefined, 'a prefix is not a record');
  t.equal(j.getRecord(['x']), undefined);
  await j.writeRecords([
    { key: ['r', 'b', 1], value: undefined },
    { key: ['r', 'zz'], value: undefined },
  ]);
  t.same(
    [...j.records(['r', 'b'])].map((r) => r.value),
    ['b2'],
  );
  await j.writeRecords([{ key: ['r', 'b', 2], value: undefined }]);
  t.same([...j.records(['r', 'b'])], [], 'emptied branches are pruned');
  await j.saveSnapshot('s', 2, { at: 2 });
  t.same(j.loadSnapshot('s'), { seq: 2, state: { at: 2 } });
  j.forget('s', [['r'], ['nothing', 'here']]);
  t.equal(j.lastSeq('s'), 0);
  t.equal(j.loadSnapshot('s'), undefined);
  t.same([...j.records(['r'])], []);
  t.equal(j.streamCount, 0);
});

t.test('SIM-1: seeded draws are repeatable and have the asked means', async (t) => {
  const a = new Random(7, 'x');
  const b = new Random(7, 'x');
  const c = new Random(7, 'y');
  const xs = Array.from({ length: 5 }, () => a.next());
  t.same(
    xs,
    Array.from({ length: 5 }, () => b.next()),
    'same seed and stream, same numbers',
  );
  t.not(xs[0], c.next(), 'another stream, other numbers');
  const r = new Random(1);
  const n = 20_000;
  const avg = (d: Parameters<typeof sampleMs>[0]) =>
    Array.from({ length: n }, () => sampleMs(d, r)).reduce((x, y) => x + y, 0) / n / 1000;
  t.ok(Math.abs(avg({ dist: 'exponential', meanSec: 100 }) - 100) < 3);
  t.ok(Math.abs(avg({ dist: 'lognormal', meanSec: 100, sdSec: 50 }) - 100) < 3);
  t.equal(avg({ dist: 'fixed', sec: 42 }), 42);
  t.equal(meanSec({ dist: 'fixed', sec: 3 }), 3);
  t.equal(meanSec({ dist: 'lognormal', meanSec: 5, sdSec: 1 }), 5);
});

const base: Scenario = parseScenario({
  seed: 3,
  durationHours: 2,
  drainHours: 1,
  departments: [{ id: 'support', defaultMaxConcurrent: 1 }],
  agents: [{ id: 'a', departments: ['support'], count: 2 }],
  arrivals: [{ ratePerHour: 60 }],
  handleTime: { dist: 'exponential', meanSec: 60 },
});

t.test('SIM-1: scenarios are checked, and what-if settings merge by id', async (t) => {
  const bad = (v: unknown, msg: RegExp) => t.throws(() => parseScenario(v), { name: 'ScenarioError', message: msg });
  bad({}, /durationHours|departments|handleTime/);
  bad({ ...base, departments: [{ id: 'x' }, { id: 'x' }] }, /unique/);
  bad({ ...base, agents: [{ id: 'a', departments: ['nope'] }] }, /no department "nope"/);
  bad({ ...base, arrivals: [{ department: 'nope', ratePerHour: 1 }] }, /no department "nope"/);
  bad({ ...base, arrivals: [{ ratePerHour: 1, byHour: Array(24).fill(1) }] }, /ratePerHour or byHour/);
  bad({ ...base, arrivals: [] }, /arrivals or a recording/);
  bad({ ...base, start: 'yesterday' }, /start/);
  bad({ ...base, handleTime: { dist: 'gamma' } }, /handleTime/);
  t.ok(new ScenarioError('x') instanceof Error);

  const what = applySettings(base, {
    departments: [{ id: 'support', policy: 'least_load' }, { id: 'extra' }],
    agents: [
      { id: 'a', count: 4 },
      { id: 'b', departments: ['extra'] },
    ],
    workspace: { autoMessages: true },
    seed: 9,
  });
  t.match(what.departments, [{ id: 'support', policy: 'least_load', defaultMaxConcurrent: 1 }, { id: 'extra' }]);
  t.match(what.agents, [{ id: 'a', count: 4, departments: ['support'] }, { id: 'b' }]);
  t.equal(what.seed, 9);
  t.same(what.workspace, { autoMessages: true });
  const fewer = applySettings(what, {
    agents: [
      { id: 'b', remove: true },
      { id: 'zz', remove: true },
    ],
    departments: [{ id: 'extra', remove: true }],
  });
  t.same(
    fewer.agents.map((a) => a.id),
    ['a'],
  );
  t.same(
    fewer.departments.map((d) => d.id),
    ['support'],
  );
});

t.test('SIM-1: shifts repeat daily in UTC, over midnight too', async (t) => {
  t.same(shiftIntervals(undefined, START, 10), [[0, Infinity]]);
  const h = 3_600_000;
  t.same(shiftIntervals([{ from: '08:00', to: '17:00' }], START, 33 * h), [
    [8 * h, 17 * h],
    [32 * h, 41 * h],
  ]);
  t.same(
    shiftIntervals([{ from: '22:00', to: '06:00' }], START, 24 * h),
    [
      [0, 6 * h],
      [22 * h, 30 * h],
    ],
    'the shift that began the night before is on at the start',
  );
});

t.test('SIM-1: impatient customers abandon, and are counted as missed', async (t) => {
  const r = await run({ ...base, arrivals: [{ ratePerHour: 300 }], patience: { dist: 'exponential', meanSec: 30 } });
  t.ok(r.abandoned > 0, `${r.abandoned} abandoned`);
  t.equal(r.served + r.abandoned + r.unfinished, r.customers);
  t.ok(r.abandonmentPercent > 10 && r.abandonmentPercent < 100);
  t.ok(r.occupancyPercent > 80, `agents are kept busy (${r.occupancyPercent}%)`);
  t.notOk(r.erlangC, 'not the textbook case');
});

t.test(
  'SIM-1: a full queue offers a message instead (QUEUE-4), served later; nobody online means the same',
  async (t) => {
    const r = await run({
      ...base,
      departments: [{ id: 'support', defaultMaxConcurrent: 1, maxQueueLength: 2 }],
      arrivals: [{ ratePerHour: 600 }],
    });
    t.ok(r.leftMessage > 0, `${r.leftMessage} left a message`);
    t.equal(r.unfinished, 0, 'left messages are answered once agents are free');
    const night = await run({
      ...base,
      durationHours: 1,
      drainHours: 2,
      agents: [{ id: 'a', departments: ['support'], count: 2, shifts: [{ from: '02:00', to: '03:00' }] }],
    });
    t.ok(night.leftMessage > 0, 'customers before the shift leave messages');
    t.ok(
      night.agents.every((a) => a.assignments > 0),
      'the shift answers them',
    );
  },
);

t.test('SIM-1: agents end their shift by finishing what they have, then go offline', async (t) => {
  const r = await run({
    ...base,
    durationHours: 4,
    drainHours: 0,
    agents: [
      { id: 'day', departments: ['support'], count: 2, shifts: [{ from: '00:00', to: '02:00' }] },
      { id: 'late', departments: ['support'], count: 2, shifts: [{ from: '02:00', to: '04:00' }] },
    ],
  });
  t.ok(
    r.agents.every((a) => a.assignments > 0),
    'both shifts take conversations',
  );
  t.ok(r.occupancyPercent > 0 && r.occupancyPercent <= 100);
  t.equal(r.refused, 0);
});

t.test('SIM-1: offer mode, skills, tiers, VIP and priority go through the real routing', async (t) => {
  const s = parseScenario({
    seed: 5,
    durationHours: 1,
    drainHours: 2,
    serviceLevelSec: 30,
    departments: [
      {
        id: 'support',
        defaultMaxConcurrent: 2,
        offerMode: 'offer',
        offerTimeoutSec: 30,
        policy: 'weighted_round_robin',
      },
      { id: 'billing', defaultMaxConcurrent: 2, policy: 'smart' },
    ],
    agents: [
      { id: 'generalist', departments: ['support'], count: 2, weight: 2 },
      { id: 'german', departments: ['support'], skills: ['de'] },
      { id: 'specialist', departments: ['billing'], tier: 2 },
      { id: 'clerk', departments: ['billing'], count: 2 },
    ],
    arrivals: [
      { department: 'support', ratePerHour: 60 },
      { department: 'support', ratePerHour: 10, needs: { skills: ['de'] } },
      { department: 'billing', ratePerHour: 10, needs: { tier: 2, priority: 3 } },
      { department: 'billing', ratePerHour: 20, needs: { vip: true } },
    ],
    handleTime: { dist: 'lognormal', meanSec: 120, sdSec: 60 },
    firstReply: { dist: 'fixed', sec: 5 },
    acceptDelay: { dist: 'fixed', sec: 3 },
  });
  const result = await simulate(s, syntheticCustomers(s, START));
  const r = report(result, 'features');
  t.equal(r.served, r.customers, 'everyone is served');
  const by = new Map(r.agents.map((a) => [a.id, a.assignments]));
  t.ok(by.get('german')! >= 10 * 0.5, 'German speakers go to the one agent with the skill');
  t.ok(by.get('specialist')! > 0, 'tier-2 needs reach the specialist');
  t.ok(r.waitSec.p50 >= 3, 'offers are accepted after the accept delay, so every wait includes it');
  t.ok(r.departments && r.departments.length === 2, 'per-department figures with several departments');
  const table = formatTable([r, { ...r, label: 'again' }]);
  t.match(table, /\[support\] SL \/ wait mean \/ abandoned/);
  t.match(table, /^\s+features\s+again$/m);
});

t.test('SIM-1: a response timeout re-routes conversations whose agent never writes', async (t) => {
  const s = parseScenario({
    ...base,
    departments: [{ id: 'support', defaultMaxConcurrent: 2, responseTimeoutSec: 20 }],
    arrivals: [{ ratePerHour: 20 }],
  });
  const r = report(await simulate(s, syntheticCustomers(s, START)), 'no replies');
  t.ok(r.served > 0);
  const withReplies: Scenario = { ...s, firstReply: { dist: 'fixed', sec: 2 } };
  const replying = report(await simulate(withReplies, syntheticCustomers(withReplies, START)), 'replies');
  t.equal(
    replying.agents.reduce((a, b) => a + b.assignments, 0),
    replying.customers,
    'agents who reply in time keep theirs: one assignment each',
  );
  t.ok(replying.served > 0);
  const total = (x: typeof r) => x.agents.reduce((a, b) => a + b.assignments, 0);
  t.ok(
    total(r) > total(replying),
    `without replies conversations change hands (${total(r)} > ${total(replying)} assignments)`,
  );
});

t.test('SIM-1: report helpers', async (t) => {
  t.equal(quantile([], 0.5), 0);
  t.equal(quantile([1, 2, 3, 4], 0.5), 2);
  t.equal(quantile([1, 2, 3, 4], 0.9), 4);
  const clock = new SimClock(0, { inFlight: 0 });
  const fired: number[] = [];
  clock.setTimer(20, () => fired.push(20));
  clock.setTimer(10, () => fired.push(10)).cancel();
  clock.setTimer(5, () => fired.push(5));
  await clock.run({ until: 15 });
  t.same(fired, [5], 'timers fire in time order up to the limit; cancelled ones never');
  await clock.run();
  t.same(fired, [5, 20]);
  t.equal(clock.now(), 20);
});

t.test('SIM-1: `switchboard simulate` prints a table, or JSON, and refuses bad input with exit code 2', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-sim-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 's.json');
  writeFileSync(
    path,
    JSON.stringify({ ...base, departments: [{ id: 'support', defaultMaxConcurrent: 1, policy: 'round_robin' }] }),
  );
  const call = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await simulateCommand(
      args,
      (x) => (out += x),
      (x) => (err += x),
    );
    return { code, out, err };
  };
  const table = await call(path);
  t.equal(table.code, 0);
  t.match(table.out, /service level\s+[\d.]+% within 20s/);
  t.match(table.out, /^\s+Erlang C\s+[\d.]+%$/m, 'the textbook case prints Erlang C beside the simulated figures');
  const json = await call(path, '--json', '--seed', '11');
  t.equal(json.code, 0);
  t.match(JSON.parse(json.out), { runs: [{ label: 'run', erlangC: { agents: 2 } }] });

  t.equal((await call()).code, 2, 'no scenario');
  t.equal((await call(path, '--bogus')).code, 2, 'unknown flag');
  t.match(await call(join(dir, 'missing.json')), { code: 2, err: /cannot read scenario/ });
  writeFileSync(join(dir, 'bad.json'), '{');
  t.match(await call(join(dir, 'bad.json')), { code: 2, err: /not JSON/ });
  t.match(await call(path, '--seed', 'x'), { code: 2, err: /--seed/ });
  writeFileSync(
    join(dir, 'policy.json'),
    JSON.stringify({ ...base, departments: [{ id: 'support', policy: 'fastest' }] }),
  );
  t.match(
    await call(join(dir, 'policy.json')),
    { code: 2, err: /scenario refused: policy is one of .* \(policy\) \[invalid_field\]/ },
    'the workspace refuses what the server would',
  );
  writeFileSync(join(dir, 'torn.jsonl'), '{"e":"recording","v":1,"t":0}\n{"t":1,"c":"c-1","e":"crea');
  t.match(await call(path, '--replay', join(dir, 'torn.jsonl')), { code: 2, err: /not a JSON line/ });
  writeFileSync(join(dir, 'v9.jsonl'), '{"e":"recording","v":9,"t":0}\n');
  t.throws(() => readRecording(join(dir, 'v9.jsonl')), { code: 'recording_invalid', message: /format 9/ });
  writeFileSync(join(dir, 'empty.jsonl'), '{"e":"recording","v":1,"t":0}\n');
  t.throws(() => readRecording(join(dir, 'empty.jsonl')), { message: /no recorded traffic/ });

  // The real command line.
  const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));
  const child = spawnSync(process.execPath, [cli, 'simulate', path, '--json'], { encoding: 'utf8' });
  t.equal(child.status, 0, child.stderr);
  t.match(JSON.parse(child.stdout), { runs: [{ customers: Number }] });
  const usage = spawnSync(process.execPath, [cli, 'help'], { encoding: 'utf8' });
  t.match(usage.stderr, /switchboard simulate <scenario.json>/);
});
