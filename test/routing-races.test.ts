/**
 * Races between claims, leaves, failover and the queue, driven through the
 * real actors (no sockets) at many interleavings (ROUTE-11, ROUTE-12,
 * ROUTE-14, QUEUE-3, QUEUE-5). Found by review; each once broke.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { Runtime } from '../actors/runtime.js';
import { Directory } from '../actors/directory.js';
import { VirtualClock } from '../actors/clock.js';
import { Keys } from '../actors/keyspace.js';
import type { Log } from '../actors/log.js';
import type { ServerFrame } from '../protocol/frames.js';
import type { Recipient } from '../actors/notifier.js';
import { tempDataDir } from './support/server.js';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};
const settle = async () => {
  await turns(60);
  await new Promise((r) => setTimeout(r, 100));
  await turns(20);
};

async function boot(agents: string[], max: number) {
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
    { key: Keys.department('d'), value: { id: 'd', name: 'D', defaultMaxConcurrent: max, order: 1 } },
    ...agents.map((a) => ({ key: Keys.staff(a), value: staff(a) })),
  ]);
  const sent: { to: Recipient; e: ServerFrame }[] = [];
  const log: Log = { debug() {}, info() {}, warn() {}, error() {} };
  const runtime = new Runtime(log);
  const dir = Directory.boot({
    runtime,
    journal: store,
    notifier: { send: (to, e) => (sent.push({ to, e }), true), connectionsOf: () => [] },
    clock: new VirtualClock(),
    log,
  });
  let connectionId = 1;
  const visitor = (id: string) => ({ role: 'visitor' as const, id, connectionId: connectionId++ });
  const agent = (id: string) => ({ role: 'agent' as const, id, connectionId: connectionId++, departments: ['d'] });
  return {
    dir,
    runtime,
    async online(a: string) {
      runtime.tell(dir.agent(a)!, { type: 'connected' });
      await runtime.ask(dir.agent(a)!, { type: 'setStatus', status: 'online' });
    },
    describe: (a: string) => runtime.ask(dir.agent(a)!, { type: 'describe' }),
    create: (id: string) =>
      runtime.ask(dir.spawnConversation(id), { type: 'create', caller: visitor(`v${id}`), department: 'd' }),
    claim: (id: string, a: string) =>
      runtime.ask(dir.conversationRef(id), { type: 'claim', caller: agent(a), agent: { id: a, name: a } }),
    status: async (id: string) =>
      (
        await runtime.ask(dir.conversationRef(id), {
          type: 'resume',
          caller: { role: 'admin' as const, id: 'adm', connectionId: connectionId++ },
          lastSeq: 1e9,
        })
      ).status,
    positions: (visitorId: string) =>
      sent
        .filter((s) => s.to.kind === 'visitor' && s.to.id === visitorId && s.e.type === 'queue_position')
        .map((s) => (s.e as { position: number }).position),
    async stop() {
      runtime.shutdown();
      await new Promise((r) => setTimeout(r, 20));
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

t.test(
  'ROUTE-12 QUEUE-3: a conversation claimed before its queue notice leaves no ghost entry that stalls the queue',
  async (t) => {
    const h = await boot(['x'], 2);
    await h.runtime.ask(h.dir.workspace, { type: 'setAutoAssign', enabled: false });
    await h.online('x');
    const created = h.create('B');
    await h.claim('B', 'x'); // right behind the create, before the queue has told B it waits
    await created;
    await h.create('D');
    await settle();
    t.same(h.positions('vD'), [1], 'the newcomer is first in line: no ghost of the claimed conversation ahead of it');
    await h.runtime.ask(h.dir.workspace, { type: 'setAutoAssign', enabled: true });
    await settle();
    t.equal(await h.status('D'), 'assigned', 'switched on, the free slot takes the waiting customer');
    t.same((await h.describe('x')).conversations.sort(), ['B', 'D']);
    await h.stop();
  },
);

t.test(
  'ROUTE-14 ROUTE-11: going offline while an accepted assignment is being stored never leaves the conversation with an offline agent',
  async (t) => {
    for (let k = 0; k <= 6; k++) {
      const h = await boot(['x', 'y'], 1);
      await h.online('x');
      await h.create('A');
      await turns(k);
      await h.runtime.ask(h.dir.agent('x')!, { type: 'setStatus', status: 'offline' });
      await settle();
      const x = await h.describe('x');
      const status = await h.status('A');
      if (x.conversations.length !== 0 || status !== 'queued')
        t.fail(`k=${k}: A ${status}, offline x holds ${JSON.stringify(x.conversations)}`);
      await h.stop();
    }
    t.pass('at every interleaving tried: the offline agent holds nothing and the conversation waits for someone else');
  },
);
