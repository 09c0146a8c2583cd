/**
 * CLUSTER-2/3 rest on a few JetStream features of the nats-server Debian
 * ships (2.9.10 in Debian 12). This checks them on a real three-server
 * cluster rather than assuming them from the client library's docs: the
 * cluster layer (src/cluster/) is only as sound as these answers.
 */
import t from 'tap';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { startNatsCluster } from './support/nats-cluster.js';
import { isWrongLastSequence } from '../src/cluster/cluster-error.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

t.test('CLUSTER-2/3: the nats-server under test is a JetStream cluster of three', async (t) => {
  const cluster = await startNatsCluster(t, 3);
  const nc = await cluster.connect();
  t.match(nc.info?.version, /^2\.\d+\.\d+/, `nats-server ${nc.info?.version}`);
  t.equal(nc.info?.jetstream, true);
  t.equal(nc.info?.cluster, 'switchboard-test');

  t.test('CLUSTER-2: KV create is a CAS on "no value", update a CAS on the revision', async (t) => {
    const kv = await new Kvm(nc).create('probe-cas', { replicas: 3, history: 1 });
    const r1 = await kv.create('ws', enc('a'));
    await t.rejects(kv.create('ws', enc('b')), { code: 10071 }, 'a second create fails: the key exists');
    const r2 = await kv.update('ws', enc('c'), r1);
    t.ok(r2 > r1, 'an update at the current revision yields a new one');
    const stale = await kv.update('ws', enc('d'), r1).catch((e: unknown) => e);
    t.ok(isWrongLastSequence(stale), 'an update at a stale revision fails with wrong-last-sequence (10071)');
    t.equal(new TextDecoder().decode((await kv.get('ws'))!.value), 'c', 'the refused update wrote nothing');
    await kv.delete('ws', { previousSeq: r2 });
    const r3 = await kv.create('ws', enc('e'));
    t.ok(r3 > r2, 'create succeeds over a delete marker');
  });

  t.test('CLUSTER-3: publish honours Nats-Expected-Last-Subject-Sequence, 0 meaning "no message yet"', async (t) => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'PROBE', subjects: ['probe.*'], num_replicas: 3 });
    const js = jetstream(nc);
    const a1 = await js.publish('probe.a', enc('1'), { expect: { lastSubjectSequence: 0 } });
    await js.publish('probe.b', enc('other subject'), { expect: { lastSubjectSequence: 0 } });
    const a2 = await js.publish('probe.a', enc('2'), { expect: { lastSubjectSequence: a1.seq } });
    const stale = await js.publish('probe.a', enc('3'), { expect: { lastSubjectSequence: a1.seq } }).catch((e) => e);
    t.ok(isWrongLastSequence(stale), 'a stale expectation is refused (10071)');
    const info = await jsm.streams.info('PROBE');
    t.equal(info.state.messages, 3, 'the refused publish stored nothing');
    t.equal(info.config.num_replicas, 3);
    t.equal(info.cluster?.replicas?.length, 2, 'a leader and two replicas');
    // A retry of a write that landed, with the same msg id, inside the duplicate window.
    const d1 = await js.publish('probe.a', enc('4'), { msgID: 'm-4', expect: { lastSubjectSequence: a2.seq } });
    const d2 = await js
      .publish('probe.a', enc('4'), { msgID: 'm-4', expect: { lastSubjectSequence: a2.seq } })
      .then((ack) => ({ duplicate: ack.duplicate, seq: ack.seq }))
      .catch((e: unknown) => ({ error: isWrongLastSequence(e) ? 'wrong-last-sequence' : String(e) }));
    t.comment(`retry of a landed write with the same msg id and expectation answers ${JSON.stringify(d2)}`);
    t.ok(
      ('duplicate' in d2 && d2.duplicate && d2.seq === d1.seq) || ('error' in d2 && d2.error === 'wrong-last-sequence'),
      'either a duplicate ack of the same sequence, or wrong-last-sequence (then the writer reads the msg id back)',
    );
    t.equal((await jsm.streams.info('PROBE')).state.messages, 4, 'the retry stored nothing');
    const last = await jsm.streams.getMessage('PROBE', { last_by_subj: 'probe.a' });
    t.equal(last?.header.get('Nats-Msg-Id'), 'm-4', 'the last message of a subject tells its msg id');
  });

  t.test('2.9 has no per-message TTL: a stream asking for it does not get it', async (t) => {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams
      .add({ name: 'PROBE_TTL', subjects: ['probettl.*'], allow_msg_ttl: true })
      .catch((e: unknown) => e as Error);
    if (info instanceof Error) t.pass(`refused: ${info.message}`);
    else t.not(info.config.allow_msg_ttl, true, 'the server ignores allow_msg_ttl');
  });
});
