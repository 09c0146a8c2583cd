/**
 * CLUSTER-3: the replicated journal stream (src/cluster/journal-stream.ts) on
 * three real nats-servers: a deposed owner's writes are fenced, writes go on
 * while one server of three is stopped or killed (replicas 3, quorum 2), and
 * a new owner reads back exactly the acknowledged batches, in order, once.
 * Lease time runs on each node's virtual clock (see cluster-lease.test.ts);
 * NATS itself runs in real time, so a leader election takes what it takes.
 */
import t from 'tap';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { VirtualClock } from '../actors/clock.js';
import { type JournalBatch, JournalStream } from '../src/cluster/journal-stream.js';
import { ClusterError } from '../src/cluster/cluster-error.js';
import { type Lease, LeaseBucket } from '../src/cluster/lease.js';
import { type NatsCluster, startNatsCluster } from './support/nats-cluster.js';

const TTL = 300;

const batch = (n: number): JournalBatch => ({
  events: [{ stream: 'conv-1', seq: n, event: { type: 'msg', text: `message ${n}` } }],
  records: [{ key: ['conv', 'conv-1'], value: { last: n } }],
});

async function node(nc: NatsConnection, nodeId: string, publishTimeoutMs = 2000) {
  const clock = new VirtualClock();
  const leases = await LeaseBucket.open(nc, { nodeId, clock, ttlMs: TTL, maxAgeMs: 0, bucket: 'journal-leases' });
  const journal = await JournalStream.open(nc, { publishTimeoutMs, retryForMs: 30_000 });
  return { nodeId, clock, leases, journal };
}
type Node = Awaited<ReturnType<typeof node>>;

/** b takes `ws` from a holder that has stopped: b watches the revision stand for the bound, then wins the CAS. */
async function takeOver(b: Node, ws: string): Promise<Lease> {
  // The first look must read the holder's record (lease_held starts the ttl); right after a server is
  // killed the bucket may answer nothing for a moment, and a look that read nothing starts no ttl.
  for (let tries = 1; ; tries++) {
    const refusal = await b.leases.acquire(ws).then(
      () => Promise.reject(new Error('the lease was free')),
      (err: unknown) => err,
    );
    if (refusal instanceof ClusterError && refusal.code === 'lease_held') break;
    if (tries === 50) throw refusal;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await b.clock.advance(TTL);
  return b.leases.acquire(ws);
}

/** Who leads the journal stream and how far behind each replica is, for the log of a failing run. */
async function replicaStates(nc: NatsConnection): Promise<string> {
  try {
    const info = await (await jetstreamManager(nc)).streams.info('SWITCHBOARD_JOURNAL');
    const replicas = (info.cluster?.replicas ?? []).map((r) => `${r.name} current=${r.current} lag=${r.lag ?? 0}`);
    return `leader ${info.cluster?.leader} last_seq ${info.state.last_seq}; ${replicas.join(', ')}`;
  } catch (err) {
    return `no stream info: ${(err as Error).message}`;
  }
}

/**
 * Waits until the journal stream and the lease bucket have a leader and
 * every replica on a live server is current, and answers with the journal
 * stream leader's name. A pause or a kill
 * leaves a replica catching up for a while; a test that then stops the
 * leader would stop two of three replicas at once, not the one it means.
 */
async function settled(cluster: NatsCluster, nc: NatsConnection, paused: string[] = []): Promise<string> {
  const deadline = Date.now() + 60_000;
  let last = 'no answer yet';
  for (;;) {
    try {
      const jsm = await jetstreamManager(nc, { timeout: 2000 });
      const live = new Set(
        cluster.nodes
          .filter((n) => n.proc.exitCode === null && n.proc.signalCode === null && !paused.includes(n.name))
          .map((n) => n.name),
      );
      // The lease bucket is a stream of its own, with a leader of its own: both must be settled.
      const [journal, leases] = await Promise.all(
        ['SWITCHBOARD_JOURNAL', 'KV_journal-leases'].map((name) => jsm.streams.info(name)),
      );
      const behind = [journal!, leases!].flatMap((info) => [
        ...(info.cluster?.leader ? [] : [`${info.config.name} has no leader`]),
        ...(info.cluster?.replicas ?? [])
          .filter((r) => live.has(r.name) && (!r.current || (r.lag ?? 0) > 0))
          .map((r) => `${info.config.name} on ${r.name} behind`),
      ]);
      if (behind.length === 0) return journal!.cluster!.leader!;
      last = behind.join(', ');
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`the streams did not settle in 60 s: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The server leading the journal stream once it has settled (`paused` servers left out), and the others. */
async function leaderOf(cluster: NatsCluster, nc: NatsConnection, paused: string[] = []) {
  const name = await settled(cluster, nc, paused);
  const leader = cluster.nodes.find((n) => n.name === name)!;
  return { leader, others: cluster.nodes.filter((n) => n !== leader) };
}

t.test('CLUSTER-3 journal stream on three nats-servers', async (t) => {
  const cluster = await startNatsCluster(t, 3);
  const nc = await cluster.connect();

  t.test('CLUSTER-2/3: split brain: a paused owner resumes after a takeover and cannot write', async (t) => {
    const a = await node(nc, 'a');
    const b = await node(await cluster.connect(), 'b');
    const leaseA = await a.leases.acquire('ws-split');
    const writerA = await a.journal.claim(leaseA, 'a');
    const acked = [await writerA.append(batch(1)), await writerA.append(batch(2)), await writerA.append(batch(3))];
    // a is paused (its clock stands still, no heartbeat); b takes the lease and claims the journal.
    const leaseB = await takeOver(b, 'ws-split');
    const writerB = await b.journal.claim(leaseB, 'b');
    t.ok(writerB.claimSeq > acked[2]!, "b's claim follows a's last acknowledged batch");
    const rebuilt = await b.journal.batches('ws-split');
    t.same(
      rebuilt.map((r) => r.seq),
      acked,
      'b rebuilds from exactly the three acknowledged batches',
    );
    t.same(
      rebuilt.map((r) => r.batch),
      [batch(1), batch(2), batch(3)],
    );
    // a resumes: its own clock has not moved, so its lease still looks valid to it.
    t.ok(leaseA.valid(), 'the paused owner cannot tell from its clock');
    await t.rejects(writerA.append(batch(4)), { code: 'fenced' }, 'its append is refused by the stream');
    await t.rejects(writerA.append(batch(5)), { code: 'fenced' }, 'and it stays refused');
    await t.rejects(leaseA.renew(), { code: 'lease_lost' }, 'its renewal is refused too: it steps down');
    const seq = await writerB.append(batch(4));
    const all = await b.journal.read('ws-split');
    t.same(
      all.map((r) => (r.entry.kind === 'claim' ? `claim:${r.entry.holder}` : `batch:${r.entry.batch.events[0]!.seq}`)),
      ['claim:a', 'batch:1', 'batch:2', 'batch:3', 'claim:b', 'batch:4'],
      'nothing of the deposed owner landed after the claim',
    );
    t.equal(all.at(-1)!.seq, seq);
    t.same(await b.journal.batches('ws-split', acked[1]), [rebuilt[2], { seq, batch: batch(4) }], 'read from a seq');
  });

  t.test('CLUSTER-3: a writer whose lease has lapsed on its own clock refuses to append', async (t) => {
    const a = await node(nc, 'a');
    const lease = await a.leases.acquire('ws-lapse');
    const writer = await a.journal.claim(lease, 'a');
    await writer.append(batch(1));
    await a.clock.advance(TTL / 3);
    await lease.renew(); // the heartbeat's renewal
    await writer.append(batch(2));
    // Its clock jumps two bounds at once (a stalled event loop): no renewal got through in time.
    await a.clock.advance(TTL * 2);
    t.notOk(lease.valid(), 'past its bound on its own clock');
    await t.rejects(writer.append(batch(3)), { code: 'lease_lost' }, 'the writer checks the lease before the stream');
    t.same(
      (await a.journal.batches('ws-lapse')).map((r) => r.batch),
      [batch(1), batch(2)],
    );
  });

  t.test('CLUSTER-3: with one nats-server of three stopped (SIGSTOP), the stream still takes writes', async (t) => {
    const { leader, others } = await leaderOf(cluster, nc);
    // The client talks to one server that stays up: a client whose own server is stopped hears nothing until
    // its ping interval tells it so, which is another matter than the stream's quorum.
    const ncOthers = await cluster.connect([others[0]!.url]);
    const a = await node(ncOthers, 'a', 500);
    const lease = await a.leases.acquire('ws-pause');
    const writer = await a.journal.claim(lease, 'a');
    await writer.append(batch(1));
    const follower = others[1]!;
    follower.pause();
    const s2 = await writer.append(batch(2));
    t.ok(s2 > 0, `a follower (${follower.name}) stopped: the append is acknowledged by leader + one replica`);
    follower.resume();
    leader.pause();
    const started = Date.now();
    // The leader stopped: the append waits out an election among the two others, retrying with one msg id.
    const s3 = await writer.append(batch(3));
    t.comment(`stream leader ${leader.name} stopped: append acknowledged after ${Date.now() - started} ms`);
    const after = await leaderOf(cluster, ncOthers, [leader.name]);
    t.not(after.leader.name, leader.name, `a new leader (${after.leader.name}) took over`);
    leader.resume();
    await cluster.ready();
    const got = await a.journal.batches('ws-pause');
    t.same(
      got.map((r) => r.batch.events[0]!.seq),
      [1, 2, 3],
      'each batch once, in order',
    );
    t.equal(got.at(-1)!.seq, s3);
  });

  t.test(
    'CLUSTER-3: owner and the stream leader killed mid-stream: the new owner reads every acked batch once, in order',
    // Known failure of Debian's nats-server 2.9.10 (docs/cluster.md, "Open questions"): in some runs the new
    // stream leader lacks batches the killed one acknowledged, or numbers them otherwise. The assertions run and
    // are reported; they do not fail the suite until the server is one where acknowledged writes survive this.
    { todo: 'acknowledged writes lost after a leader kill on nats-server 2.9.10: docs/cluster.md, Open questions' },
    async (t) => {
      const { leader, others } = await leaderOf(cluster, nc);
      const ncA = await cluster.connect(others.map((n) => n.url));
      const ncB = await cluster.connect(others.map((n) => n.url));
      const a = await node(ncA, 'a', 500);
      const b = await node(ncB, 'b', 500);
      const lease = await a.leases.acquire('ws-kill');
      const writer = await a.journal.claim(lease, 'a');
      // 40 batches queued at once; the stream leader is killed while they are in flight.
      const appends = Array.from({ length: 40 }, (_, i) => writer.append(batch(i + 1)));
      await appends[9];
      t.comment(`before the kill: ${await replicaStates(ncA)}`);
      await leader.kill();
      const results = await Promise.allSettled(appends);
      const acked = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ n: i + 1, seq: r.value }] : []));
      const refused = results.find((r) => r.status === 'rejected');
      if (refused)
        t.comment(`first refusal: ${String(refused.reason)} cause ${String((refused.reason as Error).cause)}`);
      t.comment(`after the kill: ${await replicaStates(ncB)} acked ${acked.map((x) => `${x.n}@${x.seq}`).join(' ')}`);
      t.equal(acked.length, 40, 'every append was acknowledged, the ones in flight after the new leader took over');
      // The owner dies too: its connection drops, its heartbeats stop.
      await ncA.close();
      const leaseB = await takeOver(b, 'ws-kill');
      const writerB = await b.journal.claim(leaseB, 'b');
      const rebuilt = await b.journal.batches('ws-kill', 0);
      t.comment(
        `b claimed at ${writerB.claimSeq}; ${await replicaStates(ncB)}; rebuilt ${rebuilt.map((r) => r.seq).join(' ')}`,
      );
      t.same(
        rebuilt.map((r) => r.batch.events[0]!.seq),
        acked.map((x) => x.n),
        '1..40, each once, in the order appended',
      );
      t.same(
        rebuilt.map((r) => r.seq),
        acked.map((x) => x.seq),
        'at the sequences that were acknowledged',
      );
      t.ok(writerB.claimSeq > acked.at(-1)!.seq);
      t.ok((await writerB.append(batch(41))) > writerB.claimSeq, 'the new owner writes on with two servers of three');
    },
  );
});
