/**
 * ROUTE-11 and ROUTE-17 as properties of the real agent actor: whatever the
 * interleaving of offers from several departments (automatic and offer
 * mode), claims, answers, expiries, releases and status changes, the agent
 * never holds more conversations than its capacity, and every offer is
 * answered exactly once.
 */
import t from 'tap';
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { Runtime } from '../actors/runtime.js';
import { Directory } from '../actors/directory.js';
import { VirtualClock } from '../actors/clock.js';
import { Keys } from '../actors/keyspace.js';
import type { Log } from '../actors/log.js';
import type { OfferAnswer } from '../actors/department/messages.js';
import { tempDataDir } from './support/server.js';

const MAX = 3;

type Step =
  | { kind: 'offer'; dept: number; conv: number; mode: 'auto' | 'offer' | 'manual' }
  | { kind: 'answer'; conv: number; accept: boolean }
  | { kind: 'release'; conv: number }
  | { kind: 'status'; status: 'online' | 'busy' | 'away' }
  | { kind: 'advance'; ms: number }
  | { kind: 'reconnect' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('offer' as const),
      dept: fc.integer({ min: 0, max: 2 }),
      conv: fc.integer({ min: 0, max: 9 }),
      mode: fc.constantFrom('auto' as const, 'offer' as const, 'manual' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      conv: fc.integer({ min: 0, max: 9 }),
      accept: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), conv: fc.integer({ min: 0, max: 9 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      status: fc.constantFrom('online' as const, 'busy' as const, 'away' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1000, max: 20_000 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reconnect' as const }) },
);

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

t.test(
  'ROUTE-11 ROUTE-17: capacity is never exceeded and every offer is answered once, under random interleavings from three departments',
  async (t) => {
    const dataDir = tempDataDir();
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    const store = LmdbStore.open(dataDir);
    await store.writeRecords([
      ...['d0', 'd1', 'd2'].map((d, i) => ({
        key: Keys.department(d),
        value: { id: d, name: d, defaultMaxConcurrent: MAX, order: i + 1 },
      })),
      {
        key: Keys.staff('x'),
        value: {
          id: 'x',
          name: 'x',
          email: 'x@x',
          role: 'agent',
          departments: ['d0', 'd1', 'd2'],
          maxConcurrent: MAX,
          passwordHash: '',
        },
      },
    ]);
    const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 60 }), async (steps) => {
        runs++;
        const runtime = new Runtime(silent);
        const clock = new VirtualClock();
        const dir = Directory.boot({
          runtime,
          journal: store,
          notifier: { send: () => true, connectionsOf: () => [] },
          clock,
          log: silent,
        });
        // Conversation actors are not part of this property: offers are made to the agent directly.
        const agent = dir.agent('x')!;
        runtime.tell(agent, { type: 'connected' });
        await runtime.ask(agent, { type: 'setStatus', status: 'online' });
        const answers = new Map<string, OfferAnswer[]>();
        const held = new Set<string>();
        let offers = 0;
        try {
          for (const s of steps) {
            const conv = `c${'conv' in s ? s.conv : 0}`;
            switch (s.kind) {
              case 'offer': {
                const key = `${conv}#${offers++}`;
                answers.set(key, []);
                runtime.tell(agent, {
                  type: 'offer',
                  conversationId: conv,
                  departmentId: `d${s.dept}`,
                  ...(s.mode === 'manual' ? { manual: true } : {}),
                  ...(s.mode === 'offer' ? { acceptWithinMs: 10_000, missesBeforeAway: 2 } : {}),
                  reply: (a) => {
                    answers.get(key)!.push(a);
                    if (a === 'accepted') held.add(conv);
                  },
                });
                break;
              }
              case 'answer':
                await runtime
                  .ask(agent, { type: 'answerOffer', conversationId: conv, accept: s.accept })
                  .catch(() => undefined);
                break;
              case 'release':
                held.delete(conv);
                runtime.tell(agent, { type: 'release', conversationId: conv });
                break;
              case 'status':
                await runtime.ask(agent, { type: 'setStatus', status: s.status }).catch(() => undefined);
                break;
              case 'advance':
                await clock.advance(s.ms);
                break;
              case 'reconnect':
                runtime.tell(agent, { type: 'disconnected' });
                runtime.tell(agent, { type: 'connected' });
                break;
            }
            await turns(2);
            const now = await runtime.ask(agent, { type: 'describe' });
            if (now.active > MAX) return false;
            if (now.conversations.length !== new Set(now.conversations).size) return false;
          }
          // Let every held offer run out, then check each offer got exactly one answer.
          await clock.advance(60_000);
          await turns(5);
          return [...answers.values()].every((a) => a.length === 1);
        } finally {
          runtime.shutdown();
        }
      }),
      { numRuns: 150, seed: 20261123 },
    );
    await store.close();
    t.pass(`${runs} random interleavings: never above capacity, every offer answered exactly once`);
  },
);
