/**
 * CLUSTER-3: the Journal port of a cluster node (src/cluster/replicated-journal.ts)
 * and a new owner's catch-up (src/cluster/catch-up.ts), on three real
 * nats-servers and real LMDB stores: a write resolves only once the stream
 * and the local store hold it; one turn's writes are one stream message; a
 * write over the servers' message limit fails alone; a fenced owner fails
 * every later write and steps down; and a store is brought level with the
 * subject by uploading, rebuilding or applying the tail.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { VirtualClock } from '../actors/clock.js';
import { JournalStream } from '../src/cluster/journal-stream.js';
import { LeaseBucket } from '../src/cluster/lease.js';
import { APPLIED_KEY, ReplicatedJournal } from '../src/cluster/replicated-journal.js';
import { catchUp } from '../src/cluster/catch-up.js';
import { ClusterError } from '../src/cluster/cluster-error.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { startNatsCluster } from './support/nats-cluster.js';
import { tempDataDir } from './support/server.js';

t.test('CLUSTER-3: the replicated journal and catch-up on three nats-servers', async (t) => {
  const nats = await startNatsCluster(t, 3);
  const nc = await nats.connect();
  // Each node has its own clock: a's never moves, so a's lease stays valid on a's clock while b takes over.
  const clock = new VirtualClock();
  const clockB = new VirtualClock();
  const leases = await LeaseBucket.open(nc, { nodeId: 'a', clock, ttlMs: 60_000, maxAgeMs: 0, bucket: 'rj-leases' });
  const rivals = await LeaseBucket.open(nc, {
    nodeId: 'b',
    clock: clockB,
    ttlMs: 60_000,
    maxAgeMs: 0,
    bucket: 'rj-leases',
  });
  const stream = await JournalStream.open(nc, { retryForMs: 30_000 });
  const stores: LmdbStore[] = [];
  const openStore = (): LmdbStore => {
    const dir = tempDataDir();
    const store = LmdbStore.open(dir);
    stores.push(store);
    t.teardown(async () => {
      await store.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    });
    return store;
  };

  const storeA = openStore();
  // A store that served `acme` alone before it joined a cluster.
  await storeA.createWorkspace('acme');
  const viewA = storeA.workspace('acme');
  await viewA.append('conv-1', 1, { type: 'created' }, [{ key: ['conv', 'conv-1'], value: { open: true } }]);
  await viewA.saveSnapshot('conv-1', 1, { seq: 1 });
  const lease = await leases.acquire('acme');
  const writer = await stream.claim(lease, 'a');
  const up = await catchUp(stream, writer, storeA, 'acme');
  t.equal(up.mode, 'uploaded', 'an empty subject gets the store as its first batch');
  t.equal(viewA.getRecord(APPLIED_KEY), up.seq, 'the store records the sequence it holds');

  const failures: ClusterError[] = [];
  const journal = new ReplicatedJournal(viewA, writer, (err) => failures.push(err));

  await t.test('a turn of writes is one stream message, acked when both hold it', async (t) => {
    const before = await stream.lastSeq('acme');
    const writes = [
      journal.append('conv-1', 2, { type: 'message', text: 'hello' }),
      journal.writeRecords([{ key: ['conv', 'conv-1'], value: { open: true, last: 2 } }]),
      journal.append('conv-1', 3, { type: 'message', text: 'again' }),
      journal.writeRecords([{ key: ['gone'], value: undefined }]),
    ];
    t.equal(journal.lastSeq('conv-1'), 1, 'nothing is readable before it is acknowledged');
    await Promise.all(writes);
    t.equal(await stream.lastSeq('acme'), before + 1, 'the four writes of one turn made one stream message');
    t.equal(journal.streamSeq, before + 1);
    t.same(
      [...journal.read('conv-1', 1)].map((e) => e.seq),
      [1, 2, 3],
    );
    t.same(journal.getRecord(['conv', 'conv-1']), { open: true, last: 2 });
    t.equal(viewA.getRecord(APPLIED_KEY), before + 1);
    const [last] = (await stream.batches('acme', before)).map((b) => b.batch);
    t.same(
      last?.events.map((e) => e.seq),
      [2, 3],
      'the stream holds the events',
    );
    t.ok(
      last?.records.some((r) => r.key[0] === 'gone' && r.value === undefined),
      'a delete travels as a delete',
    );
  });

  await t.test('a write over the message limit fails alone; the writer goes on', async (t) => {
    const big = new Uint8Array(stream.maxPayload + 1);
    const small = journal.writeRecords([{ key: ['small'], value: 1 }]);
    const huge = journal.writeRecords([{ key: ['file'], value: big }]);
    const other = journal.writeRecords([{ key: ['small2'], value: 2 }]);
    const [s, h, o] = await Promise.allSettled([small, huge, other]);
    t.equal(s.status, 'fulfilled');
    t.equal(o.status, 'fulfilled', 'the writes beside it are split off and stored');
    t.equal(h.status, 'rejected');
    t.equal(((h as PromiseRejectedResult).reason as ClusterError).code, 'too_large');
    t.equal(journal.getRecord(['file']), undefined, 'nothing of it stored');
    t.same(failures, [], 'a refused size is no reason to step down');
    await journal.writeRecords([{ key: ['after'], value: true }]);
    t.equal(journal.getRecord(['after']), true);
  });

  await t.test('a fresh store is rebuilt from the subject, a known one applies the tail', async (t) => {
    const storeB = openStore();
    // What the fresh store held of acme (a boot's own writes) is replaced by the journal.
    await storeB.workspace('acme').writeRecords([{ key: ['stale'], value: 'from before' }]);
    const leaseB = await rivals.acquire('acme').catch(() => undefined);
    t.equal(leaseB, undefined, "the rival cannot take a's lease while it is held");
    // a stops renewing (a paused process): b sees the revision stand for a whole lease and takes over.
    await clockB.advance(60_000);
    const taken = await rivals.acquire('acme');
    t.ok(lease.valid(), "a's lease is still valid on a's own clock");
    const writerB = await stream.claim(taken, 'b');
    const rebuilt = await catchUp(stream, writerB, storeB, 'acme');
    t.equal(rebuilt.mode, 'rebuilt');
    const viewB = storeB.workspace('acme');
    t.equal(viewB.getRecord(['stale']), undefined, 'the stale record is gone');
    t.same(
      [...viewB.read('conv-1', 1)].map((e) => e.seq),
      [1, 2, 3],
      'events rebuilt',
    );
    t.same(viewB.loadSnapshot('conv-1'), { seq: 1, state: { seq: 1 } }, 'snapshots rebuilt');
    t.equal(viewB.getRecord(['after']), true);

    await t.test('the deposed owner is fenced and steps down', async (t) => {
      // a's lease is valid on its clock, so only the stream can refuse it: b's claim moved the subject on.
      const refused = await journal.writeRecords([{ key: ['late'], value: 1 }]).catch((err: unknown) => err);
      t.type(refused, ClusterError);
      t.equal((refused as ClusterError).code, 'fenced');
      t.equal(failures.length, 1, 'the node is told to step down');
      const again = await journal.writeRecords([{ key: ['later'], value: 1 }]).catch((err: unknown) => err);
      t.equal(again, failures[0], 'every later write fails at once');
    });

    const journalB = new ReplicatedJournal(viewB, writerB, () => undefined);
    await journalB.append('conv-1', 4, { type: 'message', text: 'from b' });
    await taken.release();
    lease.release().catch(() => undefined);
    // a takes acme back: its store applied up to its own last write, so it applies only the tail.
    const back = await leases.acquire('acme');
    const writerA2 = await stream.claim(back, 'a');
    const tail = await catchUp(stream, writerA2, storeA, 'acme');
    t.equal(tail.mode, 'tail');
    t.equal(tail.batches, 1, "only b's batch is applied");
    t.same(
      [...viewA.read('conv-1', 1)].map((e) => e.seq),
      [1, 2, 3, 4],
    );
    t.equal(viewA.getRecord(['late']), undefined, "the deposed owner's refused write is nowhere");
    await back.release();
  });
});
