/** OPS-4 health probes, the native uWebSockets.js check, and graceful drain. */
import t from 'tap';
import { rmSync } from 'node:fs';
import { startTestServer } from './support/server.js';
import { startServerProcess } from './support/process.js';
import { tempDataDir } from './support/server.js';
import { uwsImplementation } from '../src/server/uws.js';
import { TestClient } from './support/client.js';

t.test('the native uWebSockets.js binary runs, not the pure-JS fallback', async (t) => {
  const impl = uwsImplementation();
  t.equal(impl.native, true, `loaded ${impl.module}`);
  t.match(impl.module, /uws_linux_x64_\d+\.node$/);
});

t.test('OPS-4: the server process logs which uWebSockets.js implementation runs, and exits 0 on SIGTERM', async (t) => {
  const dataDir = tempDataDir();
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const p = await startServerProcess(dataDir);
  t.teardown(() => p.proc.kill('SIGKILL'));
  const line = p.logs.find((l) => typeof l.msg === 'string' && (l.msg as string).startsWith('uWebSockets.js'));
  t.equal(line?.msg, 'uWebSockets.js: native binary');
  p.proc.kill('SIGTERM');
  t.same(await p.exited, { code: 0, signal: null });
});

t.test('OPS-4: /healthz, /readyz, unknown routes, and draining on close', async (t) => {
  const s = await startTestServer(t);
  const base = `http://127.0.0.1:${s.server.port}`;
  // No keep-alive: a pooled connection would outlive the listen socket and hide whether it closed.
  const get = (path: string) => fetch(`${base}${path}`, { headers: { connection: 'close' } });
  const health = await get('/healthz');
  t.equal(health.status, 200);
  t.same(await health.json(), { status: 'ok' });
  const ready = await get('/readyz');
  t.equal(ready.status, 200);
  t.same(await ready.json(), { status: 'ready' });
  const missing = await get('/nope');
  t.equal(missing.status, 404);
  t.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');

  const visitor = await s.visitor();
  await visitor.ok({ type: 'hello' });
  const closed = visitor.waitForClose();
  await s.server.close();
  t.equal(await closed, 1001, 'open connections are closed with 1001 going away');
  await t.rejects(get('/healthz'), 'the listen socket is closed');
});

t.test('OPS-4: a staff upgrade with a bad token is refused with 401; a good one signs in', async (t) => {
  const s = await startTestServer(t);
  await t.rejects(TestClient.connect(`${s.staffUrl}?token=forged`), /401/);
  const bob = await s.staff('bob');
  const status = await bob.ok({ type: 'status', status: 'away' });
  t.same(status, { status: 'away', active: 0, max: 5, conversations: [] });
  const viaHeader = await TestClient.connect(s.staffUrl, {
    headers: { authorization: `Bearer ${s.cred('alice').token}` },
  });
  t.equal(
    (await viaHeader.command({ type: 'signin', token: s.cred('alice').token })).code,
    'conflict',
    'already signed in by the header token',
  );
  await viaHeader.close();
});

t.test('staff sign-in by password over the socket, and by token frame', async (t) => {
  const s = await startTestServer(t);
  const anon = await TestClient.connect(s.staffUrl);
  t.equal((await anon.command({ type: 'status', status: 'online' })).code, 'unauthorized', 'nothing before sign-in');
  t.equal(
    (await anon.command({ type: 'signin', email: s.cred('carol').email, password: 'wrong' })).code,
    'unauthorized',
  );
  t.equal((await anon.command({ type: 'signin', email: 'nobody@example.com', password: 'x' })).code, 'unauthorized');
  const me = await anon.ok({
    type: 'signin',
    email: s.cred('carol').email.toUpperCase(),
    password: s.cred('carol').password,
  });
  t.same(me, {
    id: 'carol',
    name: 'Carol',
    email: 'carol@demo.switchboard.local',
    role: 'supervisor',
    departments: ['pre-sales', 'after-sales'],
    conversations: [],
    // The agent's status and load now, so a second tab shows them at once (WEB-3).
    status: 'offline',
    active: 0,
    max: 5,
  });
  t.same(await anon.ok({ type: 'status', status: 'online' }), {
    status: 'online',
    active: 0,
    max: 5,
    conversations: [],
  });
  const byToken = await TestClient.connect(s.staffUrl, { binary: true });
  t.equal((await byToken.ok({ type: 'signin', token: s.cred('admin').token })).role, 'admin');
  t.same(await byToken.ok({ type: 'ping' }), {});
  await Promise.all([anon.close(), byToken.close()]);
});
