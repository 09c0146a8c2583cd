/** A department assigns by its configured policy (ROUTE-2, ROUTE-3), through the real actors. */
import t from 'tap';
import { rmSync } from 'node:fs';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { Runtime } from '../actors/runtime.js';
import { Directory } from '../actors/directory.js';
import { VirtualClock } from '../actors/clock.js';
import { Keys } from '../actors/keyspace.js';
import type { StaffRecord } from '../actors/agent/records.js';
import type { Log } from '../actors/log.js';
import type { PolicyName } from '../actors/routing/decision.js';
import { tempDataDir } from './support/server.js';

async function assignments(
  policy: PolicyName,
  conversations: number,
  extra: { x?: Partial<StaffRecord>; y?: Partial<StaffRecord> } = {},
): Promise<string[]> {
  const dataDir = tempDataDir();
  const store = LmdbStore.open(dataDir);
  const staff = (id: string, maxConcurrent: number) => ({
    id,
    name: id,
    email: `${id}@x`,
    role: 'agent' as const,
    departments: ['d'],
    maxConcurrent,
    passwordHash: '',
  });
  await store.writeRecords([
    { key: Keys.department('d'), value: { id: 'd', name: 'D', defaultMaxConcurrent: 5, order: 1, policy } },
    { key: Keys.staff('x'), value: { ...staff('x', 10), ...extra.x } },
    { key: Keys.staff('y'), value: { ...staff('y', 2), ...extra.y } },
  ]);
  const agents: string[] = [];
  const log: Log = {
    debug: (o, m) => void (m === 'assigned' && agents.push((o as { agentId: string }).agentId)),
    info() {},
    warn() {},
    error() {},
  };
  const runtime = new Runtime(log);
  // Virtual time, so "longest idle" ties are decided by the test, not by the speed of the machine.
  const clock = new VirtualClock();
  const dir = Directory.boot({
    runtime,
    journal: store,
    notifier: { send: () => true, connectionsOf: () => [] },
    clock,
    log,
  });
  for (const a of ['x', 'y']) {
    runtime.tell(dir.agent(a)!, { type: 'connected' });
    await runtime.ask(dir.agent(a)!, { type: 'setStatus', status: 'online' });
  }
  for (let i = 0; i < conversations; i++) {
    // A stored conversation: one never stored gives an assignment's slot back (its create failed).
    void runtime.ask(dir.spawnConversation(`c${i}`, true), {
      type: 'create',
      caller: { role: 'visitor', id: `v${i}`, connectionId: i + 1 },
      department: 'd',
    });
    // One at a time, so each decision sees the previous one's load.
    while (agents.length <= i) await new Promise((r) => setImmediate(r));
    await clock.advance(1000);
  }
  // Let the conversations' assignment writes commit before the store closes.
  await new Promise((r) => setTimeout(r, 50));
  runtime.shutdown();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  return agents;
}

t.test('ROUTE-3: a least-load department fills by load ratio, a round-robin one takes turns', async (t) => {
  // x has 10 slots, y has 2.
  t.same(
    await assignments('least_load', 7),
    ['x', 'y', 'x', 'x', 'x', 'x', 'y'],
    'least load: lowest active/max first; at 5/10 against 1/2, the longest idle',
  );
  t.same(await assignments('round_robin', 4), ['x', 'y', 'x', 'y'], 'round robin: in turn');
});

t.test('ROUTE-4 ROUTE-5: staff weights and tiers reach the department from the agents', async (t) => {
  const big = { maxConcurrent: 100 };
  t.same(
    await assignments('weighted_round_robin', 8, { x: { ...big, weight: 3 }, y: { ...big, weight: 1 } }),
    ['x', 'x', 'y', 'x', 'x', 'x', 'y', 'x'],
    'weight 3 against 1: three of every four, smoothly',
  );
  t.same(
    await assignments('round_robin', 3, { y: { tier: 2 } }),
    ['x', 'x', 'x'],
    'a tier-2 agent gets no first-line conversation',
  );
});
