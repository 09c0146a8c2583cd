import t from 'tap';
import fc from 'fast-check';
import { roundRobin } from '../actors/routing/round-robin.js';
import type { Candidate } from '../actors/routing/decision.js';

const agent = (id: string, order: number, over: Partial<Candidate> = {}): Candidate => ({
  agentId: id,
  name: id,
  status: 'online',
  active: 0,
  pending: 0,
  max: 2,
  onlineSince: order * 1000,
  onlineOrder: order,
  ...over,
});

t.test('ROUTE-2: round robin table', async (t) => {
  const none = new Set<string>();
  const rows: { name: string; candidates: Candidate[]; last?: string; tried?: Set<string>; want: string | undefined }[] = [
    { name: 'first in online order when nobody was assigned', candidates: [agent('b', 2), agent('a', 1)], want: 'a' },
    { name: 'the next after the last assigned', candidates: [agent('a', 1), agent('b', 2), agent('c', 3)], last: 'a', want: 'b' },
    { name: 'wraps around', candidates: [agent('a', 1), agent('b', 2)], last: 'b', want: 'a' },
    { name: 'skips busy', candidates: [agent('a', 1), agent('b', 2, { status: 'busy' }), agent('c', 3)], last: 'a', want: 'c' },
    { name: 'skips away and offline', candidates: [agent('a', 1, { status: 'away' }), agent('b', 2, { status: 'offline' })], want: undefined },
    { name: 'skips full', candidates: [agent('a', 1, { active: 2 }), agent('b', 2)], want: 'b' },
    { name: 'counts offers in flight as load', candidates: [agent('a', 1, { active: 1, pending: 1 }), agent('b', 2)], want: 'b' },
    { name: 'never the same agent twice for one conversation', candidates: [agent('a', 1), agent('b', 2)], tried: new Set(['a', 'b']), want: undefined },
    { name: 'last assigned agent gone: start from the first', candidates: [agent('a', 1), agent('b', 2)], last: 'zed', want: 'a' },
    { name: 'nobody', candidates: [], want: undefined },
  ];
  for (const r of rows) {
    const d = roundRobin(r.candidates, r.last, r.tried ?? none);
    t.equal(d.agentId, r.want, r.name);
    t.equal(d.policy, 'round_robin');
  }
});

t.test('ROUTE-16 (slice): the decision explains why each candidate was passed over', async (t) => {
  const d = roundRobin([agent('a', 1, { status: 'busy' }), agent('b', 2, { active: 2 }), agent('c', 3), agent('d', 4)], undefined, new Set());
  t.same(d.candidates, [
    { agentId: 'a', active: 0, max: 2, skipped: 'not_online' },
    { agentId: 'b', active: 2, max: 2, skipped: 'full' },
    { agentId: 'c', active: 0, max: 2 },
    { agentId: 'd', active: 0, max: 2 },
  ]);
});

t.test('ROUTE-2 ROUTE-19: equal agents that stay eligible get assignment counts within one of each other', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 200 }), (agents, conversations) => {
      const candidates = Array.from({ length: agents }, (_, i) => agent(`a${i}`, i + 1, { max: 1000 }));
      const counts = new Map<string, number>();
      let last: string | undefined;
      for (let i = 0; i < conversations; i++) {
        const d = roundRobin(candidates, last, new Set());
        last = d.agentId!;
        counts.set(last, (counts.get(last) ?? 0) + 1);
      }
      const values = candidates.map((c) => counts.get(c.agentId) ?? 0);
      return Math.max(...values) - Math.min(...values) <= 1;
    }),
  );
});
