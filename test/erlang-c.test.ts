/**
 * SIM-1: for the textbook case (Poisson arrivals, exponential handle times,
 * c agents of capacity 1, round robin, nobody abandons) the simulator, which
 * runs the real actors and routing, agrees with the Erlang C formula.
 *
 * Tolerance: each case runs R independent replications (fixed seeds, so the
 * test is deterministic), each starting with an empty queue whose first
 * customers are dropped as warm-up (a few relaxation times of the queue, so
 * the start-up bias is small next to the noise). Waits in a loaded queue are
 * strongly autocorrelated, so the error comes from independent replications,
 * not from the spread of single waits. To get a useful interval in seconds
 * of test time, the estimate uses a control variate (Lavenberg & Welch): the
 * load each replication actually offered (its drawn handle times of the
 * measured arrivals ÷ c × window), whose expectation ρ is known exactly and
 * which explains most of the replication-to-replication spread of waits.
 * The regression-adjusted mean ± t(R−2, 0.995) × its standard error is a 99%
 * confidence interval, and the Erlang C value must lie in it. A small floor
 * (2% of the value) covers the remaining warm-up bias when replications
 * agree very closely.
 *
 * The check can fail: each case also asserts that Erlang C with one agent
 * more lies outside the interval of the mean wait or of the service level,
 * i.e. a simulator (or formula) off by one agent would be caught.
 */
import t from 'tap';
import { erlangC, serviceLevel, UnstableQueue } from '../src/sim/erlang-c.js';
import { simulate } from '../src/sim/simulator.js';
import { syntheticCustomers } from '../src/sim/customers.js';
import { parseScenario } from '../src/sim/scenario.js';
import { report, textbookCase } from '../src/sim/report.js';

const HANDLE_SEC = 180;
const SL_SEC = 20;
const R = 8;
/** Two-sided 99% Student t quantile with R − 2 = 6 degrees of freedom (one more is spent on the control's slope). */
const T_99_DF6 = 3.707;

interface Case {
  c: number;
  rho: number;
  /** Measured customers per replication. */
  n: number;
  /** Warm-up customers per replication. */
  warmup: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Control-variate estimate of E[Y] from replications (y_r, x_r) where E[X] = 0:
 * ȳ − β·x̄ with β fitted by least squares, and its standard error.
 */
function controlled(ys: readonly number[], xs: readonly number[]): { estimate: number; se: number } {
  const my = mean(ys);
  const mx = mean(xs);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < ys.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const beta = sxx > 0 ? sxy / sxx : 0;
  let sse = 0;
  for (let i = 0; i < ys.length; i++) sse += (ys[i]! - my - beta * (xs[i]! - mx)) ** 2;
  const s2 = sse / (ys.length - 2);
  return { estimate: my - beta * mx, se: Math.sqrt(s2 * (1 / ys.length + (sxx > 0 ? (mx * mx) / sxx : 0))) };
}

function scenario(k: Case, seed: number) {
  const lambdaPerHour = (k.rho * k.c * 3600) / HANDLE_SEC;
  return parseScenario({
    name: `M/M/${k.c} at ρ=${k.rho}`,
    seed,
    durationHours: (k.n + k.warmup) / lambdaPerHour,
    drainHours: 2,
    warmupHours: k.warmup / lambdaPerHour,
    serviceLevelSec: SL_SEC,
    departments: [{ id: 'support', defaultMaxConcurrent: 1, policy: 'round_robin' }],
    agents: [{ id: 'agent', departments: ['support'], count: k.c }],
    arrivals: [{ ratePerHour: lambdaPerHour }],
    handleTime: { dist: 'exponential', meanSec: HANDLE_SEC },
  });
}

const cases: Case[] = [
  { c: 5, rho: 0.5, n: 800, warmup: 150 },
  { c: 5, rho: 0.7, n: 1000, warmup: 250 },
  { c: 5, rho: 0.85, n: 1500, warmup: 350 },
  { c: 20, rho: 0.9, n: 1600, warmup: 400 },
];

t.test('SIM-1: the Erlang C module gives the textbook figures', async (t) => {
  // Known values: M/M/2 with a = 1 erlang: C = 1/3; Wq = C / (cμ − λ).
  const e = erlangC(2, 1, 1);
  t.equal(Math.round(e.probWait * 1e6) / 1e6, 0.333333);
  t.equal(Math.round(e.meanWaitSec * 1e6) / 1e6, 0.333333);
  t.equal(Math.round(serviceLevel(e, 0) * 1e6) / 1e6, 0.666667);
  // M/M/1: C = ρ.
  t.equal(Math.round(erlangC(1, 0.8, 1).probWait * 1e9) / 1e9, 0.8);
  t.throws(() => erlangC(5, 5, 1), { code: 'unstable_queue' });
  t.ok(new UnstableQueue('x') instanceof Error);
  t.throws(() => erlangC(0, 1, 1), { name: 'RangeError' });
});

for (const k of cases) {
  t.test(
    `SIM-1: simulated M/M/${k.c} at ρ=${k.rho} agrees with Erlang C (mean wait and service level within ${SL_SEC} s)`,
    async (t) => {
      const ec = erlangC(k.c, (k.rho * k.c) / HANDLE_SEC, 1 / HANDLE_SEC);
      const waits: number[] = [];
      const levels: number[] = [];
      const loads: number[] = [];
      for (let r = 0; r < R; r++) {
        const s = scenario(k, 1000 + r);
        const customers = syntheticCustomers(s, Date.UTC(2026, 0, 5));
        const from = (s.warmupHours ?? 0) * 3_600_000;
        const to = s.durationHours * 3_600_000;
        const work = customers.filter((c) => c.at >= from && c.at < to).reduce((a, c) => a + c.handleMs, 0);
        loads.push(work / (k.c * (to - from)) - k.rho);
        const rep = report(await simulate(s, customers), `rep ${r}`);
        t.equal(rep.served, rep.customers, 'everyone is served (no abandonment, the queue drains)');
        t.equal(rep.fairness.agents, k.c);
        // Round robin over equals skips busy agents, so counts spread like a binomial around n/c (CV about √(c/n)), not wider.
        t.ok(rep.fairness.cv < 3 * Math.sqrt(k.c / k.n), `assignments spread evenly (CV ${rep.fairness.cv})`);
        t.ok(rep.erlangC, 'the report recognises the textbook case and prints Erlang C beside it');
        waits.push(rep.waitSec.mean);
        levels.push(rep.serviceLevel.percent / 100);
      }
      const w = controlled(waits, loads);
      const l = controlled(levels, loads);
      const wait = { sim: w.estimate, half: Math.max(T_99_DF6 * w.se, 0.02 * ec.meanWaitSec) };
      const level = { sim: l.estimate, half: Math.max(T_99_DF6 * l.se, 0.005) };
      const theoryLevel = serviceLevel(ec, SL_SEC);
      t.comment(
        `M/M/${k.c} ρ=${k.rho}: mean wait sim ${wait.sim.toFixed(2)} ± ${wait.half.toFixed(2)} s vs Erlang C ${ec.meanWaitSec.toFixed(2)} s; ` +
          `SL(${SL_SEC}s) sim ${(100 * level.sim).toFixed(2)} ± ${(100 * level.half).toFixed(2)}% vs Erlang C ${(100 * theoryLevel).toFixed(2)}%`,
      );
      t.ok(
        Math.abs(wait.sim - ec.meanWaitSec) <= wait.half,
        `mean wait ${wait.sim.toFixed(2)} s within ±${wait.half.toFixed(2)} of ${ec.meanWaitSec.toFixed(2)} s`,
      );
      t.ok(
        Math.abs(level.sim - theoryLevel) <= level.half,
        `service level ${(100 * level.sim).toFixed(2)}% within ±${(100 * level.half).toFixed(2)} of ${(100 * theoryLevel).toFixed(2)}%`,
      );

      // Power: with one agent more, Erlang C says something the simulation clearly contradicts.
      const wrong = erlangC(k.c + 1, ec.arrivalRate, ec.serviceRate);
      const wrongLevel = serviceLevel(wrong, SL_SEC);
      t.ok(
        Math.abs(wait.sim - wrong.meanWaitSec) > wait.half || Math.abs(level.sim - wrongLevel) > level.half,
        `Erlang C with c=${k.c + 1} (${wrong.meanWaitSec.toFixed(2)} s, ${(100 * wrongLevel).toFixed(2)}%) is rejected`,
      );
    },
  );
}

t.test('SIM-1: only the textbook case gets Erlang C figures', async (t) => {
  const base = scenario(cases[0]!, 1);
  t.ok(textbookCase(base));
  t.notOk(textbookCase({ ...base, patience: { dist: 'exponential', meanSec: 60 } }), 'abandonment');
  t.notOk(textbookCase({ ...base, handleTime: { dist: 'fixed', sec: 60 } }), 'not exponential');
  t.notOk(textbookCase({ ...base, departments: [{ id: 'support', defaultMaxConcurrent: 2 }] }), 'capacity 2');
  t.notOk(
    textbookCase({ ...base, departments: [{ id: 'support', defaultMaxConcurrent: 1, policy: 'least_load' }] }),
    'another policy',
  );
  t.notOk(
    textbookCase({
      ...base,
      agents: [{ id: 'a', departments: ['support'], count: 5, shifts: [{ from: '08:00', to: '17:00' }] }],
    }),
    'shifts',
  );
  t.notOk(textbookCase({ ...base, arrivals: [{ ratePerHour: 200 * 3600 }] }), 'overloaded: no steady state');
});
