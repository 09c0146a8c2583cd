/**
 * QUEUE-1 QUEUE-3: a newcomer never overtakes a customer already waiting,
 * whatever the interleaving of capacity freeing up and arrivals. Drives the
 * real actors (no sockets) through many interleavings.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { Runtime } from '../actors/runtime.js';
import { Directory } from '../actors/directory.js';
import { RealClock } from '../actors/clock.js';
import { Keys } from '../actors/keyspace.js';
import type { Log } from '../actors/log.js';
import { tempDataDir } from './support/server.js';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** A visitor opens conversation `id` in department d, as the workspace does on `start`. */
function open(
  dir: Directory,
  runtime: Runtime,
  id: string,
  needs?: { skills: string[]; tier: 1 | 2; vip: boolean; priority: number },
): void {
  runtime.tell(dir.conversationRef(id), {
    type: 'create',
    caller: { role: 'visitor', id: `v${id}`, connectionId: 0 },
    department: 'd',
    ...(needs ? { routing: { department: 'd', matches: [], needs } } : {}),
    reply: () => undefined,
  });
}

async function run(k1: number, k2: number, k3: number): Promise<string[]> {
  const dataDir = tempDataDir();
  const store = LmdbStore.open(dataDir);
  const staff = (id: string) => ({
    id,
    name: id,
    email: `${id}@x`,
    role: 'agent' as const,
    departments: ['d'],
    passwordHash: '',
  });
  await store.writeRecords([
    { key: Keys.department('d'), value: { id: 'd', name: 'D', defaultMaxConcurrent: 1, order: 1 } },
    { key: Keys.staff('x'), value: staff('x') },
    { key: Keys.staff('y'), value: staff('y') },
    // x and y each serve one conversation.
    {
      key: Keys.open('P'),
      value: { id: 'P', visitorId: 'vp', department: 'd', status: 'assigned', agentId: 'x', createdAt: 1 },
    },
    {
      key: Keys.open('Q'),
      value: { id: 'Q', visitorId: 'vq', department: 'd', status: 'assigned', agentId: 'y', createdAt: 2 },
    },
  ]);
  const order: string[] = [];
  const log: Log = {
    debug: (o, m) => void (m === 'assigned' && order.push((o as { conversationId: string }).conversationId)),
    info() {},
    warn() {},
    error() {},
  };
  const runtime = new Runtime(log);
  const dir = Directory.boot({
    runtime,
    journal: store,
    notifier: { send: () => true, connectionsOf: () => [] },
    clock: new RealClock(),
    log,
  });
  for (const a of ['x', 'y']) {
    runtime.tell(dir.agent(a)!, { type: 'connected' });
    await runtime.ask(dir.agent(a)!, { type: 'setStatus', status: 'online' });
  }
  // A opens while nobody is free and waits (a conversation must be stored to be served).
  open(dir, runtime, 'A');
  for (let i = 0; i < 400 && store.getRecord<{ status: string }>(Keys.open('A'))?.status !== 'queued'; i++)
    await new Promise((r) => setTimeout(r, 5));
  await turns(10);
  runtime.tell(dir.agent('x')!, { type: 'release', conversationId: 'P' });
  await turns(k1);
  open(dir, runtime, 'B');
  await turns(k2);
  runtime.tell(dir.agent('y')!, { type: 'release', conversationId: 'Q' });
  await turns(k3);
  open(dir, runtime, 'C');
  // Opening a conversation commits to disk before it routes: wait for both slots to be used, then a little more.
  for (let i = 0; i < 400 && order.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
  await turns(40);
  runtime.shutdown();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  return order;
}

t.test('QUEUE-1 QUEUE-3: waiting customers are served in arrival order under every interleaving tried', async (t) => {
  let runs = 0;
  for (let k1 = 0; k1 <= 3; k1++) {
    for (let k2 = 0; k2 <= 3; k2++) {
      for (let k3 = 0; k3 <= 3; k3++) {
        const order = await run(k1, k2, k3);
        runs++;
        // Two slots free up for A, B, C: A and B, in that order; C waits.
        if (order.join() !== 'A,B') t.fail(`k=(${k1},${k2},${k3}): assigned ${order.join(',')}, expected A,B`);
      }
    }
  }
  t.pass(`${runs} interleavings: A then B every time, C never first`);
});

t.test(
  'QUEUE-2: through the real actors, a higher priority is served first, and the order survives a restart',
  async (t) => {
    const dataDir = tempDataDir();
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    const staff = {
      id: 'x',
      name: 'x',
      email: 'x@x',
      role: 'agent' as const,
      departments: ['d'],
      maxConcurrent: 1,
      passwordHash: '',
    };
    let store = LmdbStore.open(dataDir);
    await store.writeRecords([
      { key: Keys.department('d'), value: { id: 'd', name: 'D', defaultMaxConcurrent: 1, order: 1 } },
      { key: Keys.staff('x'), value: staff },
    ]);
    const { VirtualClock } = await import('../actors/clock.js');
    const clock = new VirtualClock();
    const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };
    let runtime = new Runtime(silent);
    let dir = Directory.boot({
      runtime,
      journal: store,
      notifier: { send: () => true, connectionsOf: () => [] },
      clock,
      log: silent,
    });
    // Nobody online: three ordinary arrivals, a second apart, queue up.
    for (const id of ['A', 'B', 'C']) {
      open(dir, runtime, id);
      await clock.advance(1000);
    }
    await clock.advance(100);
    runtime.shutdown();
    await new Promise((r) => setTimeout(r, 30));
    await store.close();

    // Restart from the store: the queue comes back in order; then a VIP arrives and goes first.
    store = LmdbStore.open(dataDir);
    const order: string[] = [];
    const log: Log = {
      ...silent,
      debug: (o, m) => void (m === 'assigned' && order.push((o as { conversationId: string }).conversationId)),
    };
    runtime = new Runtime(log);
    dir = Directory.boot({
      runtime,
      journal: store,
      notifier: { send: () => true, connectionsOf: () => [] },
      clock,
      log,
    });
    open(dir, runtime, 'VIP', { skills: [], tier: 1, vip: true, priority: 5 });
    for (let i = 0; i < 400 && store.getRecord<{ status: string }>(Keys.open('VIP'))?.status !== 'queued'; i++)
      await new Promise((r) => setTimeout(r, 5));
    await clock.advance(1000);
    runtime.tell(dir.agent('x')!, { type: 'connected' });
    await runtime.ask(dir.agent('x')!, { type: 'setStatus', status: 'online' });
    for (const next of ['VIP', 'A', 'B', 'C']) {
      for (let i = 0; i < 200 && !order.includes(next); i++) await new Promise((r) => setImmediate(r));
      // Free the single slot for the next one.
      runtime.tell(dir.agent('x')!, { type: 'release', conversationId: next });
    }
    await new Promise((r) => setTimeout(r, 30));
    runtime.shutdown();
    await store.close();
    t.same(
      order,
      ['VIP', 'A', 'B', 'C'],
      'the VIP overtakes arrivals of the last minute; the rest keep their arrival order across the restart',
    );
  },
);
