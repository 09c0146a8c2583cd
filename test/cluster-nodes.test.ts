/**
 * CLUSTER-2/3 with real processes: three nats-servers and three
 * Switchboard nodes on loopback. A visitor on node A and an agent on node
 * B chat through the workspace node C owns; HTTP is forwarded too. Then
 * the owner is killed (-9) under traffic, a live node takes the workspace
 * over from the replicated journal, and the reconnecting clients find
 * every acknowledged message exactly once. Then a split-brain attempt: the
 * owner is paused (SIGSTOP) past its lease, another node takes over, and
 * the resumed owner steps down without writing.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { startNatsCluster } from './support/nats-cluster.js';
import { startServerProcess, type ServerProcess, type Credential } from './support/process.js';
import { tempDataDir } from './support/server.js';
import { TestClient, type Frame } from './support/client.js';
import { httpRequest } from './support/http.js';
import { rankNodes } from '../src/cluster/cluster-node.js';

const LEASE_MS = 1200;

interface Node {
  id: string;
  proc: ServerProcess;
  dataDir: string;
}

const wsUrl = (n: Node, path: string) => `ws://127.0.0.1:${n.proc.port}${path}`;
const staffUrl = (n: Node, c: Credential) => `${wsUrl(n, '/v1/staff')}?token=${encodeURIComponent(c.token)}`;

interface ClusterView {
  node: string;
  live: string[];
  owners: Record<string, string | null>;
}

async function clusterz(n: Node): Promise<ClusterView> {
  const r = await httpRequest(n.proc.port, '/clusterz');
  return JSON.parse(r.body.toString()) as ClusterView;
}

async function owners(n: Node): Promise<Record<string, string | null>> {
  return (await clusterz(n)).owners;
}

/** The node ranking first for `workspace` among `nodes`. */
const preferred = (workspace: string, nodes: readonly string[]): string => rankNodes(workspace, nodes)[0]!;

/** Polls (100 ms) until `check` holds, up to `ms`; these waits are for other processes' real timers. */
async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The visitor reconnecting through `n` as a client does: again after a refused upgrade (503 while a workspace moves). */
async function returning(n: Node, visitorId: string, binary: boolean): Promise<TestClient> {
  let client: TestClient | undefined;
  await until(`the visitor back through ${n.id}`, async () => {
    client?.ws.terminate();
    client = await TestClient.connect(wsUrl(n, '/v1/visitor'), { binary });
    return (await client.command({ type: 'hello', visitorId }, 5000)).type === 'ack';
  });
  return client!;
}

t.test('CLUSTER-2 CLUSTER-3: three nodes on three nats-servers', async (t) => {
  const nats = await startNatsCluster(t, 3);
  const nodes: Node[] = [];
  const start = async (id: string, dataDir = tempDataDir()): Promise<Node> => {
    const proc = await startServerProcess(dataDir, [
      '--nats',
      nats.urls.join(','),
      '--node-id',
      id,
      '--lease-ms',
      String(LEASE_MS),
    ]);
    const node = { id, proc, dataDir };
    nodes.push(node);
    return node;
  };
  t.teardown(() => {
    for (const n of nodes) {
      n.proc.proc.kill('SIGCONT');
      n.proc.proc.kill('SIGKILL');
    }
    for (const n of nodes) rmSync(n.dataDir, { recursive: true, force: true });
  });
  // The first node starts alone, so it takes the default workspace and seeds the demo into its journal.
  const first = await start('n1');
  const creds = first.proc.credentials;
  t.equal(creds.size, 4, 'the first owner seeded the demo workspace');
  t.equal((await owners(first)).default, 'n1', 'alone, it owns the default workspace');
  await start('n2');
  await start('n3');
  // Then the workspace moves to the node that ranks first for it, which every node sees as its owner.
  const want = preferred('default', ['n1', 'n2', 'n3']);
  await until(
    `every node seeing ${want} own the workspace, and every node live`,
    async () => {
      for (const n of nodes) {
        const view = await clusterz(n);
        if (view.owners.default !== want || view.live.join() !== 'n1,n2,n3') return false;
      }
      return true;
    },
    60_000,
  ).catch(async (err: unknown) => {
    // What each node saw and said, for a run that fails here.
    for (const n of nodes) {
      const said = n.proc.logs.filter((l) => String(l.msg).startsWith('cluster') || (l.level as number) >= 40);
      t.comment(
        `${n.id}: ${JSON.stringify(await clusterz(n).catch(() => 'no answer'))} ${JSON.stringify(said).slice(0, 3000)}`,
      );
    }
    throw err;
  });
  t.pass('every node is live in the node bucket, as every node sees it');
  t.pass(`the default workspace was handed over to ${want}, the node ranking first for it`);
  const c = nodes.find((n) => n.id === want)!;
  const [a, b] = nodes.filter((n) => n !== c) as [Node, Node];

  let visitor: TestClient;
  let conversationId: string;
  let visitorId: string;
  let alice: TestClient;
  await t.test(
    'CLUSTER-2: a visitor on one node and an agent on another chat through the workspace a third owns',
    async (t) => {
      alice = await TestClient.connect(staffUrl(b, creds.get('alice')!));
      await alice.ok({ type: 'status', status: 'online' });
      visitor = await TestClient.connect(wsUrl(a, '/v1/visitor'), { binary: true });
      visitorId = ((await visitor.ok({ type: 'hello' })) as { visitorId: string }).visitorId;
      conversationId = ((await visitor.ok({ type: 'start', department: 'pre-sales' })) as { conversationId: string })
        .conversationId;
      await visitor.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
      await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
      await visitor.ok({ type: 'send', conversationId, clientMsgId: 'v1', text: 'hello from node a' });
      const seen = await alice.waitFor((e) => e.type === 'message' && e.clientMsgId === 'v1');
      t.equal(seen.text, 'hello from node a', 'the agent on B got the visitor message sent on A');
      await alice.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: 'hello from node b' });
      const back = await visitor.waitFor((e) => e.type === 'message' && e.clientMsgId === 'a1');
      t.equal(back.text, 'hello from node b', 'the visitor on A got the agent reply sent on B');

      const admin = creds.get('admin')!;
      const viaA = await httpRequest(a.proc.port, '/api/v1/departments', {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      const onC = await httpRequest(c.proc.port, '/api/v1/departments', {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      t.equal(
        viaA.status,
        200,
        `the admin API answers through a forwarding node: ${viaA.body.toString().slice(0, 200)}`,
      );
      t.same(JSON.parse(viaA.body.toString()), JSON.parse(onC.body.toString()), 'the same answer as the owner gives');
      const bad = await httpRequest(b.proc.port, '/api/v1/departments', { headers: { authorization: 'Bearer nope' } });
      t.equal(bad.status, 401, 'a bad token is refused through a forwarding node as by the owner');
      const refused = await httpRequest(b.proc.port, '/v1/staff?token=nope', {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      t.equal(refused.status, 401, 'a forwarded socket upgrade with a bad token is refused with 401');

      // A POST with a body through a forwarding node: a staff sign-in.
      const signin = await httpRequest(a.proc.port, '/api/v1/auth/signin', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ email: admin.email, password: admin.password })),
      });
      t.equal(signin.status, 200, 'a staff member signs in through a forwarding node');
      t.type((JSON.parse(signin.body.toString()) as { token?: unknown }).token, 'string');

      // A file up through one forwarding node and down through the other, byte for byte.
      const text = Buffer.from('x'.repeat(300 * 1024));
      const up = await httpRequest(a.proc.port, `/v1/files?conversationId=${conversationId}&name=notes.txt`, {
        method: 'POST',
        headers: { authorization: `Visitor ${visitorId}`, 'content-type': 'text/plain' },
        body: text,
      });
      t.equal(up.status, 201, `a file uploads through a forwarding node: ${up.body.toString().slice(0, 200)}`);
      const fileId = (JSON.parse(up.body.toString()) as { file: { id: string } }).file.id;
      const down = await httpRequest(b.proc.port, `/v1/files/${fileId}`, {
        headers: { authorization: `Bearer ${creds.get('alice')!.token}` },
      });
      t.equal(down.status, 200);
      t.ok(down.body.equals(text), 'and downloads through the other, unchanged');
      const big = await httpRequest(a.proc.port, `/v1/files?conversationId=${conversationId}&name=big.txt`, {
        method: 'POST',
        headers: { authorization: `Visitor ${visitorId}`, 'content-type': 'text/plain' },
        body: Buffer.from('y'.repeat(600 * 1024)),
      });
      t.equal(big.status, 413, "a file over the cluster's upload limit is refused (413)");
    },
  );

  await t.test(
    'CLUSTER-3: the owner killed under traffic; a live node takes over, nothing acked is lost',
    async (t) => {
      const acked = new Map<string, number>();
      const answers: Promise<void>[] = [];
      let killed = false;
      let killedAt = 0;
      for (let i = 0; i < 400 && !killed; i++) {
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
        const clientMsgId = `m${i}`;
        answers.push(
          visitor.command({ type: 'send', conversationId, clientMsgId, text: `message ${i}` }, 20_000).then(
            (f) => {
              if (f.type !== 'ack') return;
              acked.set(clientMsgId, (f.result as { seq: number }).seq);
              if (acked.size === 50 && !killed) {
                killed = true;
                killedAt = Date.now();
                c.proc.proc.kill('SIGKILL');
              }
            },
            () => undefined,
          ),
        );
      }
      await c.proc.exited;
      await Promise.all(answers);
      t.ok(acked.size >= 50, `${acked.size} of ${answers.length} sends acked before and around the kill`);
      await until('a live node owning the workspace', async () => {
        const o = (await owners(a)).default;
        return o === a.id || o === b.id;
      });
      const took = Date.now() - killedAt;
      const owner = (await owners(a)).default!;
      t.ok(took < 6 * LEASE_MS + 5000, `taken over by ${owner} in ${took} ms (lease ${LEASE_MS} ms)`);
      // The visitor's forwarded socket was closed as the workspace moved; it reconnects and resumes.
      const v2 = await returning(a, visitorId, true);
      const resumed = await v2.resumeAll(conversationId, 0);
      const events = v2.conversationEvents(conversationId);
      t.same(
        events.map((e) => e.seq),
        Array.from({ length: resumed.lastSeq as number }, (_, i) => i + 1),
        'seq is gap-free from 1',
      );
      const messages = events.filter((e) => e.type === 'message') as Frame[];
      let missing = 0;
      for (const [clientMsgId, seq] of acked) {
        const found = messages.filter((m) => m.clientMsgId === clientMsgId);
        if (found.length !== 1 || found[0]!.seq !== seq) missing++;
      }
      t.equal(missing, 0, `all ${acked.size} acked messages present exactly once at their acked seq`);
      t.ok(
        messages.some((m) => m.clientMsgId === 'v1') && messages.some((m) => m.clientMsgId === 'a1'),
        'the chat before the kill is there',
      );
      // Retried sends are recognised, not stored twice.
      const retry = await v2.ok({ type: 'send', conversationId, clientMsgId: 'm0', text: 'message 0' });
      t.equal(retry.duplicate, true, 'a retried acked send is recognised on the new owner');
      const alice2 = await TestClient.connect(staffUrl(b, creds.get('alice')!));
      const aliceResume = await alice2.resumeAll(conversationId, 0);
      t.equal(aliceResume.status, 'assigned', 'the assignment survived the takeover');
      visitor = v2;
      alice = alice2;
    },
  );

  await t.test('CLUSTER-3: an owner paused past its lease steps down without writing', async (t) => {
    const ownerId = (await owners(a)).default!;
    const paused = nodes.find((n) => n.id === ownerId)!;
    const other = [a, b].find((n) => n.id !== ownerId)!;
    // A client connected straight to the owner, whose sends reach it only after it resumes.
    const direct = await TestClient.connect(wsUrl(paused, '/v1/visitor'));
    await direct.ok({ type: 'hello', visitorId });
    paused.proc.proc.kill('SIGSTOP');
    const pausedAt = Date.now();
    await until('another node owning the workspace', async () => {
      const o = (await owners(other)).default;
      return o !== null && o !== undefined && o !== ownerId;
    });
    t.pass(`taken over from the paused ${ownerId} in ${Date.now() - pausedAt} ms`);
    const late = direct.command(
      { type: 'send', conversationId, clientMsgId: 'late', text: 'sent to the paused owner' },
      20_000,
    );
    await new Promise((r) => setTimeout(r, 200));
    paused.proc.proc.kill('SIGCONT');
    const answer = await late.catch((err: unknown) => ({ type: 'lost', err }) as unknown as Frame);
    t.not(answer.type, 'ack', `the resumed owner acknowledged nothing (${answer.type}: ${String(answer.code ?? '')})`);
    await until('the resumed node seeing the new owner', async () => (await owners(paused)).default !== ownerId);
    const v3 = await returning(other, visitorId, false);
    await v3.resumeAll(conversationId, 0);
    const late3 = v3.conversationEvents(conversationId).filter((e) => e.clientMsgId === 'late');
    t.equal(late3.length, 0, 'the deposed owner wrote nothing to the journal');
    const ok = await v3.ok({ type: 'send', conversationId, clientMsgId: 'after', text: 'on the new owner' });
    t.type(ok.seq, 'number', 'the new owner takes writes');
  });
});
