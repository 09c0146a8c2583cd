/** Routing policies as pure functions: table tests and properties (ROUTE-2…6, ROUTE-10, ROUTE-16, ROUTE-19). */
import t from 'tap';
import fc from 'fast-check';
import { roundRobin } from '../actors/routing/round-robin.js';
import { leastLoad } from '../actors/routing/least-load.js';
import { weightedRoundRobin, type WrrState } from '../actors/routing/weighted-round-robin.js';
import { loadIndex, smart, defaultLoadIndexWeights } from '../actors/routing/load-index.js';
import { screen } from '../actors/routing/eligibility.js';
import { defaultNeeds, loadRatio, type Candidate, type Needs } from '../actors/routing/decision.js';
import { agent } from './support/candidates.js';

const none = new Set<string>();
const all = (cs: Candidate[], needs: Needs = defaultNeeds, tried: ReadonlySet<string> = none, fairnessCap?: number) =>
  screen(cs, needs, { tried, ...(fairnessCap !== undefined ? { fairnessCap } : {}) });

t.test('ROUTE-2: round robin table', async (t) => {
  const rows: {
    name: string;
    candidates: Candidate[];
    last?: string;
    tried?: Set<string>;
    want: string | undefined;
  }[] = [
    { name: 'first in online order when nobody was assigned', candidates: [agent('b', 2), agent('a', 1)], want: 'a' },
    {
      name: 'the next after the last assigned',
      candidates: [agent('a', 1), agent('b', 2), agent('c', 3)],
      last: 'a',
      want: 'b',
    },
    { name: 'wraps around', candidates: [agent('a', 1), agent('b', 2)], last: 'b', want: 'a' },
    {
      name: 'skips busy',
      candidates: [agent('a', 1), agent('b', 2, { status: 'busy' }), agent('c', 3)],
      last: 'a',
      want: 'c',
    },
    {
      name: 'skips away and offline',
      candidates: [agent('a', 1, { status: 'away' }), agent('b', 2, { status: 'offline' })],
      want: undefined,
    },
    { name: 'skips full', candidates: [agent('a', 1, { active: 2 }), agent('b', 2)], want: 'b' },
    {
      name: 'counts offers in flight as load',
      candidates: [agent('a', 1, { active: 1, pending: 1 }), agent('b', 2)],
      want: 'b',
    },
    {
      name: 'never the same agent twice for one conversation',
      candidates: [agent('a', 1), agent('b', 2)],
      tried: new Set(['a', 'b']),
      want: undefined,
    },
    {
      name: 'last assigned agent gone: start from the first',
      candidates: [agent('a', 1), agent('b', 2)],
      last: 'zed',
      want: 'a',
    },
    { name: 'nobody', candidates: [], want: undefined },
  ];
  for (const r of rows) {
    const d = roundRobin(r.candidates, all(r.candidates, defaultNeeds, r.tried ?? none), r.last);
    t.equal(d.agentId, r.want, r.name);
    t.equal(d.policy, 'round_robin');
  }
});

t.test('ROUTE-16: a decision explains why each candidate was passed over', async (t) => {
  const cs = [
    agent('a', 1, { status: 'busy' }),
    agent('b', 2, { active: 2 }),
    agent('c', 3),
    agent('d', 4, { skills: ['billing'] }),
    agent('e', 5, { tier: 2 }),
  ];
  const d = roundRobin(cs, all(cs, { ...defaultNeeds, skills: [] }, new Set(['c'])), undefined);
  t.equal(d.agentId, 'd');
  t.same(d.candidates, [
    { agentId: 'a', active: 0, max: 2, skipped: 'not_online' },
    { agentId: 'b', active: 2, max: 2, skipped: 'full' },
    { agentId: 'c', active: 0, max: 2, skipped: 'already_tried' },
    { agentId: 'd', active: 0, max: 2 },
    { agentId: 'e', active: 0, max: 2, skipped: 'tier' },
  ]);
  const scored = leastLoad(cs, all(cs));
  t.same(
    scored.candidates.find((v) => v.agentId === 'c'),
    { agentId: 'c', active: 0, max: 2, score: 0 },
    'eligible candidates carry the policy figure',
  );
});

t.test('ROUTE-2 ROUTE-19: equal agents that stay eligible get assignment counts within one of each other', async () => {
  // biome-ignore lint/nursery/noFloatingPromises: a synchronous property; fc.assert returns nothing here
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 200 }), (agents, conversations) => {
      const cs = Array.from({ length: agents }, (_, i) => agent(`a${i}`, i + 1, { max: 1000 }));
      const counts = new Map<string, number>();
      let last: string | undefined;
      for (let i = 0; i < conversations; i++) {
        last = roundRobin(cs, all(cs), last).agentId!;
        counts.set(last, (counts.get(last) ?? 0) + 1);
      }
      const values = cs.map((c) => counts.get(c.agentId) ?? 0);
      return Math.max(...values) - Math.min(...values) <= 1;
    }),
  );
});

t.test('ROUTE-19: an agent at the fairness cap of the window is passed over', async (t) => {
  const cs = [agent('a', 1, { assignedInWindow: 100 }), agent('b', 2, { assignedInWindow: 99 })];
  const d = roundRobin(cs, all(cs, defaultNeeds, none, 100), undefined);
  t.equal(d.agentId, 'b');
  t.equal(d.candidates[0]!.skipped, 'fairness_cap');
  t.equal(roundRobin(cs, all(cs), undefined).agentId, 'a', 'no cap, no limit');
});

t.test('ROUTE-3: least load table', async (t) => {
  const rows: { name: string; candidates: Candidate[]; want: string | undefined }[] = [
    {
      name: 'lowest active/max wins',
      candidates: [agent('a', 1, { active: 1, max: 2 }), agent('b', 2, { active: 1, max: 4 })],
      want: 'b',
    },
    {
      name: 'ratio, not count',
      candidates: [agent('a', 1, { active: 2, max: 10 }), agent('b', 2, { active: 1, max: 2 })],
      want: 'a',
    },
    {
      name: 'offers in flight count',
      candidates: [agent('a', 1, { active: 0, pending: 2, max: 4 }), agent('b', 2, { active: 1, max: 4 })],
      want: 'b',
    },
    {
      name: 'tie: longest wait since last assignment',
      candidates: [agent('a', 1, { lastAssignedAt: 500 }), agent('b', 2, { lastAssignedAt: 100 })],
      want: 'b',
    },
    { name: 'tie and never assigned: online order', candidates: [agent('b', 2), agent('a', 1)], want: 'a' },
    {
      name: 'full and busy agents are not candidates',
      candidates: [agent('a', 1, { active: 2 }), agent('b', 2, { status: 'busy' })],
      want: undefined,
    },
  ];
  for (const r of rows) t.equal(leastLoad(r.candidates, all(r.candidates)).agentId, r.want, r.name);
});

const arbCandidates = fc.array(
  fc.record({
    active: fc.integer({ min: 0, max: 6 }),
    pending: fc.integer({ min: 0, max: 2 }),
    max: fc.integer({ min: 1, max: 8 }),
    status: fc.constantFrom('online' as const, 'online' as const, 'busy' as const, 'away' as const),
    lastAssignedAt: fc.integer({ min: 0, max: 1000 }),
  }),
  { maxLength: 12 },
);

t.test('ROUTE-3 ROUTE-11: least load never picks a full agent and always picks a minimum ratio', async () => {
  // biome-ignore lint/nursery/noFloatingPromises: a synchronous property; fc.assert returns nothing here
  fc.assert(
    fc.property(arbCandidates, (specs) => {
      const cs = specs.map((s, i) => agent(`a${i}`, i + 1, s));
      const d = leastLoad(cs, all(cs));
      const eligible = cs.filter((c) => c.status === 'online' && c.active + c.pending < c.max);
      if (eligible.length === 0) return d.agentId === undefined;
      const chosen = cs.find((c) => c.agentId === d.agentId)!;
      return eligible.includes(chosen) && eligible.every((c) => loadRatio(chosen) <= loadRatio(c));
    }),
  );
});

t.test('ROUTE-4: smooth weighted round robin gives the nginx sequence, never bursts', async (t) => {
  const cs = [
    agent('a', 1, { weight: 5, max: 100 }),
    agent('b', 2, { weight: 1, max: 100 }),
    agent('c', 3, { weight: 1, max: 100 }),
  ];
  let state: WrrState = new Map();
  const picks: string[] = [];
  for (let i = 0; i < 7; i++) {
    const r = weightedRoundRobin(cs, all(cs), state);
    state = r.state;
    picks.push(r.decision.agentId!);
  }
  t.same(picks, ['a', 'a', 'b', 'a', 'c', 'a', 'a']);
});

t.test('ROUTE-4: over every full cycle each agent gets exactly its weight; a full agent is skipped', async (t) => {
  // biome-ignore lint/nursery/noFloatingPromises: a synchronous property; fc.assert returns nothing here
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 5 }),
      (weights, cycles) => {
        const cs = weights.map((w, i) => agent(`a${i}`, i + 1, { weight: w, max: 10_000 }));
        const total = weights.reduce((a, b) => a + b, 0);
        let state: WrrState = new Map();
        const counts = new Map<string, number>();
        for (let i = 0; i < total * cycles; i++) {
          const r = weightedRoundRobin(cs, all(cs), state);
          state = r.state;
          counts.set(r.decision.agentId!, (counts.get(r.decision.agentId!) ?? 0) + 1);
        }
        return cs.every((c) => counts.get(c.agentId) === c.weight * cycles);
      },
    ),
  );
  const cs = [agent('a', 1, { weight: 5, active: 2 }), agent('b', 2, { weight: 1 })];
  t.equal(weightedRoundRobin(cs, all(cs), new Map()).decision.agentId, 'b', 'capacity still rules');
});

t.test(
  'ROUTE-5: tiers — tier 1 first, tier 2 for specialists, tier 3 only for VIPs when lower tiers are full',
  async (t) => {
    const t1 = agent('t1', 1, { tier: 1 });
    const t1full = agent('t1', 1, { tier: 1, active: 2 });
    const t2 = agent('t2', 2, { tier: 2 });
    const t2full = agent('t2', 2, { tier: 2, active: 2 });
    const t3 = agent('t3', 3, { tier: 3 });
    const pick = (cs: Candidate[], needs: Partial<Needs>) =>
      leastLoad(cs, all(cs, { ...defaultNeeds, ...needs })).agentId;
    t.equal(pick([t1, t2, t3], {}), 't1', 'new conversations go to tier 1');
    t.equal(
      pick([t1full, t2, t3], {}),
      undefined,
      'tier 1 full: a normal customer waits rather than reach tier 2 or 3',
    );
    t.equal(pick([t1, t2, t3], { tier: 2 }), 't2', 'a specialist conversation goes to tier 2');
    t.equal(pick([t1full, t2, t3], { vip: true }), 't3', 'a VIP reaches tier 3 when tier 1 is full');
    t.equal(pick([t1, t2, t3], { vip: true }), 't1', 'a VIP still goes to tier 1 first');
    t.equal(pick([t1full, t2, t3], { allowNextTier: true }), 't2', 'widening allows the next tier');
    t.equal(
      pick([t1full, t2full, t3], { allowNextTier: true, vip: true }),
      't3',
      'VIP beyond widened tiers that are full',
    );
    t.equal(
      pick([t1full, t2, t3], { allowNextTier: true, vip: true }),
      't2',
      'tier 3 only when every allowed lower tier is full',
    );
  },
);

t.test('ROUTE-6: skills — only agents holding every required tag', async (t) => {
  const cs = [
    agent('a', 1, { skills: ['billing'] }),
    agent('b', 2, { skills: ['billing', 'english', 'refunds'] }),
    agent('c', 3),
  ];
  const d = roundRobin(cs, all(cs, { ...defaultNeeds, skills: ['billing', 'refunds'] }), undefined);
  t.equal(d.agentId, 'b');
  t.same(
    d.candidates.map((v) => v.skipped),
    ['missing_skills', undefined, 'missing_skills'],
  );
  t.equal(roundRobin(cs, all(cs), undefined).agentId, 'a', 'no required skills: everyone');
});

t.test('ROUTE-10: load index formula and the smart policy', async (t) => {
  const w = defaultLoadIndexWeights;
  const neutral = agent('n', 1, { max: 4 });
  t.equal(
    loadIndex(neutral),
    w.firstResponse + w.response + w.handle + w.satisfaction * 0.5,
    'idle agent without figures: the neutral references',
  );
  const busy = agent('b', 2, { active: 2, max: 4 });
  t.ok(Math.abs(loadIndex(busy) - loadIndex(neutral) - w.load * 0.5) < 1e-12, 'load term is weight × active/max');
  const fast = agent('f', 3, {
    figures: { avgFirstResponseMs: 30_000, avgResponseMs: 30_000, avgHandleMs: 300_000, satisfaction: 5 },
  });
  t.ok(loadIndex(fast) < loadIndex(neutral), 'faster and better rated is better');
  const slowIdle = agent('s', 4, { figures: { avgFirstResponseMs: 120_000 } });
  const fastBusy = agent('q', 5, { active: 3, max: 4, figures: { avgFirstResponseMs: 10_000 } });
  const d = smart([slowIdle, fastBusy], all([slowIdle, fastBusy]));
  t.equal(d.policy, 'smart');
  t.equal(d.agentId, 's', 'idle beats fast-but-busy with default weights');
  t.equal(d.candidates[0]!.score, Math.round(loadIndex(slowIdle) * 1000) / 1000, 'the index is recorded');
  const speedFirst = { ...w, load: 0.1, firstResponse: 1 };
  t.equal(smart([slowIdle, fastBusy], all([slowIdle, fastBusy]), speedFirst).agentId, 'q', 'weights are configurable');
  const tie = [agent('x', 1, { lastAssignedAt: 900 }), agent('y', 2, { lastAssignedAt: 100 })];
  t.equal(smart(tie, all(tie)).agentId, 'y', 'equal index: longest waiting');
});
