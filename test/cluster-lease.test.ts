/**
 * CLUSTER-2: the workspace lease (src/cluster/lease.ts) on three real
 * nats-servers. Each contender node has its own virtual clock, so a node
 * whose clock is not advanced plays a process that is stopped: its timers
 * (heartbeats) do not fire and it does not notice time passing. The KV
 * bucket's max age is off here (it runs on the server's real clock); the
 * real-time test at the end checks it with a short lease.
 */
import t from 'tap';
import type { NatsConnection } from '@nats-io/transport-node';
import { RealClock, VirtualClock } from '../actors/clock.js';
import { ClusterError } from '../src/cluster/cluster-error.js';
import { type Lease, LeaseBucket } from '../src/cluster/lease.js';
import { startNatsCluster } from './support/nats-cluster.js';

const TTL = 300;

async function node(nc: NatsConnection, nodeId: string, bucket: string, clock = new VirtualClock()) {
  const leases = await LeaseBucket.open(nc, { nodeId, clock, ttlMs: TTL, maxAgeMs: 0, bucket });
  return { clock, leases };
}

/** Acquire once; the lease, or the ClusterError code it was refused with. */
const attempt = (leases: LeaseBucket, ws: string): Promise<Lease | string> =>
  leases.acquire(ws).catch((e: unknown) => {
    if (e instanceof ClusterError) return e.code;
    throw e;
  });

t.test('CLUSTER-2 lease on three nats-servers', async (t) => {
  const cluster = await startNatsCluster(t, 3);
  const [nc1, nc2] = [await cluster.connect([cluster.urls[0]!]), await cluster.connect([cluster.urls[1]!])];

  t.test('CLUSTER-2: of two contenders racing for a free lease, exactly one owns it', async (t) => {
    for (let round = 0; round < 5; round++) {
      const a = await node(nc1, 'a', 'race');
      const b = await node(nc2, 'b', 'race');
      const ws = `race-${round}`;
      const [ra, rb] = await Promise.all([attempt(a.leases, ws), attempt(b.leases, ws)]);
      const won = [ra, rb].filter((r) => typeof r !== 'string') as Lease[];
      t.equal(
        won.length,
        1,
        `round ${round}: one winner (${typeof ra === 'string' ? ra : 'a'}, ${typeof rb === 'string' ? rb : 'b'})`,
      );
      t.same(
        [ra, rb].filter((r) => typeof r === 'string'),
        ['lease_held'],
      );
      const state = await a.leases.inspect(ws);
      t.equal(state?.revision, won[0]!.revision, 'the winner holds the revision in the bucket: its fencing token');
      t.equal(state?.record.holder, ra === won[0] ? 'a' : 'b');
      await won[0]!.release();
      t.equal(await a.leases.inspect(ws), undefined, 'a released lease leaves the key free');
    }
  });

  t.test('CLUSTER-2: heartbeats keep the lease; a contender watching for many bounds never gets it', async (t) => {
    const a = await node(nc1, 'a', 'renew');
    const b = await node(nc2, 'b', 'renew');
    const lease = (await a.leases.acquire('ws')) as Lease;
    const first = lease.revision;
    for (let step = 0; step < 10; step++) {
      await a.clock.advance(TTL / 3);
      await lease.renew(); // the heartbeat's renewal has settled
      await b.clock.advance(TTL / 3);
      t.equal(await attempt(b.leases, 'ws'), 'lease_held');
    }
    t.ok(lease.revision > first, `renewals moved the revision ${first} -> ${lease.revision}`);
    t.ok(lease.valid(), 'still valid on its own clock');
    t.equal((await b.leases.inspect('ws'))?.record.holder, 'a');
    await lease.release();
  });

  t.test('CLUSTER-2: a stopped holder loses the lease after the bound; its renewal is then refused', async (t) => {
    const a = await node(nc1, 'a', 'expiry');
    const b = await node(nc2, 'b', 'expiry');
    const held = (await a.leases.acquire('ws')) as Lease;
    const lost: string[] = [];
    held.onLost((e) => lost.push(e.code));
    // a is stopped from here: its clock stands still. b watches the same revision stand.
    t.equal(await attempt(b.leases, 'ws'), 'lease_held', "first sight of the revision starts b's count");
    await b.clock.advance(TTL - 1);
    t.equal(await attempt(b.leases, 'ws'), 'lease_held', 'one millisecond short of the bound: still held');
    await b.clock.advance(1);
    const taken = await attempt(b.leases, 'ws');
    t.type(taken, 'object', 'at the bound b takes it over');
    const lease = taken as Lease;
    t.ok(lease.revision > held.revision, 'the new fencing token is above the old one');
    t.equal((await a.leases.inspect('ws'))?.record.holder, 'b');
    // a resumes: on its own clock its lease still looks valid until its first renewal says otherwise.
    t.ok(held.valid(), 'a paused holder cannot tell by its clock alone');
    await t.rejects(held.renew(), { code: 'lease_lost' }, 'its renewal (a CAS on the old revision) is refused');
    t.notOk(held.valid());
    t.same(lost, ['lease_lost'], 'onLost fired once');
    t.throws(() => held.assertValid(), { code: 'lease_lost' });
    t.equal((await a.leases.inspect('ws'))?.revision, lease.revision, 'the refused renewal wrote nothing');
    await held.release();
    t.equal((await a.leases.inspect('ws'))?.record.holder, 'b', "a's release does not delete b's lease");
    await lease.release();
  });

  t.test('CLUSTER-2: a holder whose renewals cannot get through lapses by its own clock', async (t) => {
    const ncGone = await cluster.connect([cluster.urls[2]!]);
    const a = await node(ncGone, 'a', 'lapse');
    const lease = (await a.leases.acquire('ws')) as Lease;
    const lost: string[] = [];
    lease.onLost((e) => lost.push(e.message));
    await ncGone.close(); // every renewal from here fails without an answer
    await a.clock.advance(TTL / 3);
    await lease.renew().catch(() => undefined);
    t.ok(lease.valid(), 'one failed renewal inside the bound keeps the lease');
    await a.clock.advance(TTL);
    await lease.renew().catch(() => undefined);
    t.notOk(lease.valid(), 'past the bound it is gone');
    t.match(lost, [/lapsed/]);
  });

  t.test('CLUSTER-2: the bucket max age frees a lease nobody watched (real time, 300 ms)', async (t) => {
    const clock = new RealClock();
    // a takes the lease and never renews it (a heartbeat far beyond the bound), as a node killed at once.
    const a = await LeaseBucket.open(nc1, { clock, ttlMs: TTL, renewEveryMs: 60_000, bucket: 'maxage', nodeId: 'a' });
    const b = await LeaseBucket.open(nc2, { clock, ttlMs: TTL, bucket: 'maxage', nodeId: 'b' });
    const held = await a.acquire('ws');
    const started = Date.now();
    // b only reads: the key goes by the server's max age, not by b's revision check.
    while ((await b.inspect('ws')) !== undefined && Date.now() - started < 5000)
      await new Promise((r) => setTimeout(r, 20));
    const gone = Date.now() - started;
    t.equal(await b.inspect('ws'), undefined, `the key expired ${gone} ms after it was written (max age ${TTL} ms)`);
    t.ok(gone >= TTL - 50, 'not before the max age');
    const taken = await b.acquire('ws');
    t.ok(taken.revision > held.revision, 'b creates it anew, with a higher fencing token');
    await t.rejects(held.renew(), { code: 'lease_lost' }, "a's late renewal is refused");
    await taken.release();
  });
});
