/**
 * Issue 15, the candidate index (ROUTE-2, ROUTE-3, ROUTE-5, ROUTE-6,
 * ROUTE-10, ROUTE-16, ROUTE-19): on random departments driven through random
 * loads, offers, answers and fairness windows, with the department's own
 * state functions (members.ts), every indexed decision equals the linear
 * one over the whole department: same winner, same tie-break, same record.
 */
import t from 'tap';
import fc from 'fast-check';
import { deepStrictEqual } from 'node:assert/strict';
import { decide } from '../actors/routing/decide.js';
import { decideIndexed } from '../actors/routing/decide-indexed.js';
import { CandidateIndex } from '../actors/routing/candidate-index.js';
import { screen } from '../actors/routing/eligibility.js';
import { roundRobin } from '../actors/routing/round-robin.js';
import { leastLoad } from '../actors/routing/least-load.js';
import { defaultLoadIndexWeights, smart, type LoadIndexWeights } from '../actors/routing/load-index.js';
import { MAX_VERDICTS } from '../actors/routing/verdicts.js';
import type { Candidate, Needs, PolicyName } from '../actors/routing/decision.js';
import type { AgentLoad } from '../actors/department/messages.js';
import {
  answered,
  offered,
  ordered,
  rollWindow,
  updateMember,
  type DepartmentState,
} from '../actors/department/members.js';

const statuses = ['online', 'online', 'online', 'away', 'offline'] as const;
const skillSets = [[], ['en'], ['en', 'billing'], ['billing', 'en'], ['fr'], ['en', 'fr', 'billing']];

const load = fc.record({
  status: fc.constantFrom(...statuses),
  active: fc.integer({ min: 0, max: 4 }),
  max: fc.integer({ min: 0, max: 4 }),
  tier: fc.constantFrom(1 as const, 1 as const, 2 as const, 3 as const),
  skills: fc.constantFrom(...skillSets),
  weight: fc.integer({ min: 0, max: 3 }),
  figures: fc.oneof(
    fc.constant({}),
    fc.record({ avgFirstResponseMs: fc.constantFrom(30_000, 60_000), satisfaction: fc.constantFrom(3, 4, 5) }),
  ),
});

type Op =
  | { op: 'load'; agent: number; load: typeof load extends fc.Arbitrary<infer L> ? L : never; reorder: boolean }
  | { op: 'offer' | 'refuse' | 'accept'; agent: number }
  | { op: 'tick'; ms: number }
  | { op: 'decide'; skills: readonly string[]; tier: 1 | 2; vip: boolean; wide: boolean; tried: number[] };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('load' as const),
      agent: fc.integer({ min: 0, max: 200 }),
      load,
      reorder: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constantFrom('offer' as const, 'refuse' as const, 'accept' as const),
      agent: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 40_000 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('decide' as const),
      skills: fc.constantFrom([], [], ['en'], ['billing', 'en'], ['fr']),
      tier: fc.constantFrom(1 as const, 2 as const),
      vip: fc.boolean(),
      wide: fc.boolean(),
      tried: fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 3 }),
    }),
  },
);

function department(): DepartmentState {
  return {
    members: new Map(),
    lastAssigned: undefined,
    wrr: new Map(),
    routing: new Map(),
    queued: 0,
    pulling: 0,
    autoAssign: true,
    stalled: false,
    windowStart: 0,
    ordered: undefined,
    index: new CandidateIndex(),
    windowTimer: undefined,
  };
}

/** Object key order carries no meaning in a record (it is read as JSON): compare `omitted` by its entries. */
const same = (a: unknown, b: unknown): void =>
  deepStrictEqual(JSON.parse(JSON.stringify(a, sortKeys)), JSON.parse(JSON.stringify(b, sortKeys)));
function sortKeys(_k: string, v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
}

interface Setting {
  policy: Exclude<PolicyName, 'weighted_round_robin'>;
  size: number;
  cap: number | undefined;
  weights: LoadIndexWeights;
  /** Varies the department's starting figures. */
  seed: number;
}

const setting: fc.Arbitrary<Setting> = fc.record({
  policy: fc.constantFrom('round_robin' as const, 'least_load' as const, 'smart' as const),
  // Mostly past MAX_VERDICTS, where the index runs; some below, where the scan does.
  size: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 51, max: 160 }) }, fc.integer({ min: 0, max: 50 })),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  cap: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  weights: fc.constantFrom(defaultLoadIndexWeights, { ...defaultLoadIndexWeights, load: 1, satisfaction: 0.3 }),
});

/** Runs `ops` on a department of `size` agents, comparing at each decision; returns how many decisions ran indexed. */
function run(s: Setting, ops: Op[]): number {
  const dept = department();
  let now = 1_000_000;
  let order = 0;
  const ids = Array.from({ length: s.size }, (_, i) => `a${i}`);
  let r = s.seed;
  const pick = (n: number): number => {
    r = (r * 1_103_515_245 + 12_345) % 2 ** 31;
    return r % n;
  };
  const base = (i: number): AgentLoad => ({
    agentId: ids[i]!,
    name: ids[i]!,
    status: statuses[pick(statuses.length)]!,
    active: pick(3),
    max: 1 + pick(3),
    onlineSince: 0,
    // Agents never online share order 0: ties that round robin's stable sort settles.
    onlineOrder: i % 7 === 0 ? 0 : ++order,
    weight: 1,
    tier: ([1, 1, 2, 3] as const)[pick(4)]!,
    skills: skillSets[pick(skillSets.length)]!,
    figures: pick(3) === 0 ? { satisfaction: 1 + pick(5) } : {},
  });
  for (let i = 0; i < s.size; i++) updateMember(dept, base(i));
  const cap = s.cap === undefined ? undefined : { max: s.cap, windowSec: 60 };
  let indexed = 0;
  for (const o of ops) {
    const c = s.size > 0 && 'agent' in o ? dept.members.get(ids[o.agent % s.size]!) : undefined;
    switch (o.op) {
      case 'load':
        if (!c) break;
        updateMember(dept, { ...c, ...o.load, onlineOrder: o.reorder ? ++order : c.onlineOrder });
        break;
      case 'offer':
        if (c) offered(dept, c);
        break;
      case 'refuse':
      case 'accept':
        if (c) answered(dept, c, o.op === 'accept' ? now : undefined);
        break;
      case 'tick':
        now += o.ms;
        break;
      case 'decide': {
        rollWindow(dept, cap, now);
        const members = ordered(dept);
        const needs: Needs = { skills: o.skills, tier: o.tier, vip: o.vip, allowNextTier: o.wide };
        const tried = new Set(o.tried.map((n) => (n % 5 === 4 ? `stranger${n}` : ids[n % Math.max(1, s.size)]!)));
        const options = { tried, ...(s.cap !== undefined ? { fairnessCap: s.cap } : {}) };
        const state = { lastAssigned: dept.lastAssigned, wrr: dept.wrr };
        const want = decide(s.policy, members, needs, options, state, s.weights);
        const got = decideIndexed(s.policy, members, dept.index, needs, options, state, s.weights);
        same(got.decision, want.decision);
        if (members.length > MAX_VERDICTS) indexed++;
        const chosen = want.decision.agentId === undefined ? undefined : dept.members.get(want.decision.agentId);
        if (chosen) {
          dept.lastAssigned = chosen.agentId;
          offered(dept, chosen);
        }
        break;
      }
    }
  }
  return indexed;
}

t.test(
  'ROUTE-2, ROUTE-3, ROUTE-10, ROUTE-16: indexed decisions equal the linear screen on random departments',
  async (t) => {
    let indexed = 0;
    // biome-ignore lint/nursery/noFloatingPromises: a synchronous property; fc.assert returns nothing here
    fc.assert(
      fc.property(setting, fc.array(op, { minLength: 20, maxLength: 80 }), (s, ops) => {
        indexed += run(s, ops);
      }),
      { numRuns: 300 },
    );
    // The comparison means something only if the index ran: most departments drawn are over MAX_VERDICTS.
    t.ok(indexed > 1000, `${indexed} decisions ran on the index`);
  },
);

t.test('ROUTE-2, ROUTE-3, ROUTE-10: the index finds the linear winner in small departments too', async (t) => {
  // biome-ignore lint/nursery/noFloatingPromises: a synchronous property; fc.assert returns nothing here
  fc.assert(
    fc.property(setting, fc.array(op, { maxLength: 40 }), (s, ops) => {
      const dept = department();
      const members = Array.from(
        { length: Math.min(s.size, 12) },
        (_, i): Candidate => ({
          agentId: `b${i}`,
          name: `b${i}`,
          status: 'online',
          active: i % 3,
          pending: 0,
          max: 2,
          onlineSince: 0,
          onlineOrder: i % 4,
          weight: 1,
          tier: 1,
          skills: [],
          lastAssignedAt: (i * 7) % 3,
          assignedInWindow: 0,
          figures: {},
        }),
      );
      for (const m of members) updateMember(dept, m);
      const sorted = ordered(dept);
      dept.index.sync(sorted, undefined);
      const needs: Needs = { skills: [], tier: 1, vip: false, allowNextTier: false };
      const screened = screen(sorted, needs, { tried: new Set() });
      const ok = (c: Candidate): boolean => screened.eligible.includes(c);
      const last = ops.length > 0 && sorted.length > 0 ? sorted[ops.length % sorted.length]!.agentId : undefined;
      t.equal(dept.index.roundRobin(last, ok)?.agentId, roundRobin(sorted, screened, last).agentId);
      t.equal(dept.index.leastLoad(ok)?.agentId, leastLoad(sorted, screened).agentId);
      t.equal(dept.index.smart(s.weights, ok)?.agentId, smart(sorted, screened, s.weights).agentId);
    }),
    { numRuns: 100 },
  );
});
