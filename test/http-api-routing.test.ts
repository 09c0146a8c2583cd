/**
 * Configuration changed over the admin HTTP API changes routing at once,
 * through the same actors the protocol uses, and survives a restart
 * (ROUTE-1, ROUTE-3, ROLE-3).
 */
import t from 'tap';
import { startTestServer, tempDataDir, type TestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { TestClient, type Frame } from './support/client.js';
import { agentOf } from './support/routing.js';
import { api, apiAs } from './support/api.js';

/** Creates an agent in `lab` over the API and signs them in with their password, online. */
async function labAgent(s: TestServer, id: string, extra: Record<string, unknown> = {}): Promise<TestClient> {
  const created = await apiAs(s, 'admin')('POST', '/staff', {
    id,
    name: id,
    email: `${id}@lab.test`,
    role: 'agent',
    departments: ['lab'],
    password: `${id} password`,
    ...extra,
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created));
  const c = await TestClient.connect(s.staffUrl);
  await c.ok({ type: 'signin', email: `${id}@lab.test`, password: `${id} password` });
  await c.ok({ type: 'status', status: 'online' });
  return c;
}

const assigned = (e: Frame) => e.type === 'assigned';

t.test(
  'ROUTE-3 ROLE-3: switching a department to least load over HTTP changes the next assignment; a capacity raised over HTTP takes a waiting customer at once',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const admin = apiAs(s, 'admin');
    t.equal((await admin('POST', '/departments', { id: 'lab', name: 'Lab', defaultMaxConcurrent: 2 })).status, 201);
    const x = await labAgent(s, 'x', { maxConcurrent: 10 });
    await labAgent(s, 'y');
    const first = await openConversation(s, { department: 'lab', text: 'one' });
    t.equal(agentOf(await first.v.waitFor(assigned)), 'x', 'round robin: x came online first');
    const second = await openConversation(s, { department: 'lab', text: 'two' });
    t.equal(agentOf(await second.v.waitFor(assigned)), 'y', 'round robin: then y');
    t.match(await admin('PATCH', '/departments/lab', { policy: 'least_load' }), {
      status: 200,
      body: { policy: 'least_load' },
    });
    const third = await openConversation(s, { department: 'lab', text: 'three' });
    t.equal(agentOf(await third.v.waitFor(assigned)), 'x', 'least load: x at 1/10 before y at 1/2');
    const fourth = await openConversation(s, { department: 'lab', text: 'four' });
    t.equal(
      agentOf(await fourth.v.waitFor(assigned)),
      'x',
      'least load again x (2/10), where round robin would have given y its turn',
    );

    // x goes away; y is full at 2 of 2 once it takes one more, so the next customer waits.
    await x.ok({ type: 'status', status: 'away' });
    const fifth = await openConversation(s, { department: 'lab', text: 'five' });
    t.equal(agentOf(await fifth.v.waitFor(assigned)), 'y', 'y takes its second');
    const sixth = await openConversation(s, { department: 'lab', text: 'six' });
    await sixth.v.waitFor((e) => e.type === 'queued');
    t.match(
      await admin('PATCH', '/staff/y', { maxConcurrent: 3 }),
      { status: 200, body: { maxConcurrent: 3, live: { max: 3 } } },
      'the live agent has the new capacity',
    );
    t.equal(agentOf(await sixth.v.waitFor(assigned)), 'y', 'the waiting customer goes to y at once, without a restart');
  },
);

t.test(
  'ROUTE-1: automatic assignment switched off over HTTP queues the next conversation for a claim; switched on it is assigned at once; settings survive a restart',
  async (t) => {
    const dataDir = tempDataDir();
    let s = await startTestServer(t, { dataDir, keepData: true, autoMessages: false });
    const admin = apiAs(s, 'admin');
    t.equal((await admin('POST', '/departments', { id: 'lab', name: 'Lab', defaultMaxConcurrent: 2 })).status, 201);
    await labAgent(s, 'x');
    t.match(await admin('PATCH', '/workspace', { autoAssign: false }), { status: 200, body: { autoAssign: false } });
    const first = await openConversation(s, { department: 'lab', text: 'hello' });
    t.match(
      await first.v.waitFor((e) => e.type === 'queued'),
      { department: 'lab' },
      'with an agent online and free, the conversation waits',
    );
    t.match(await admin('PATCH', '/workspace', { autoAssign: true }), { status: 200, body: { autoAssign: true } });
    t.equal(agentOf(await first.v.waitFor(assigned)), 'x', 'switched on: the waiting conversation is assigned at once');
    t.match(await admin('PATCH', '/departments/lab', { policy: 'least_load', maxQueueLength: 7 }), { status: 200 });
    t.match(await admin('PATCH', '/workspace', { autoAssign: false }), { status: 200 });
    const adminToken = s.cred('admin').token;
    await s.stop();

    s = await startTestServer(t, { dataDir, autoMessages: false });
    // Demo credentials are shown only by the start that created them: the token is kept from the first.
    const again = (method: string, path: string) => api(s, adminToken, method, path);
    t.match(
      await again('GET', '/workspace'),
      { status: 200, body: { autoAssign: false } },
      'automatic assignment is still off',
    );
    t.match(
      await again('GET', '/departments/lab'),
      { status: 200, body: { policy: 'least_load', maxQueueLength: 7 } },
      'the department settings are kept',
    );
    t.match(
      await again('GET', '/staff/x'),
      { status: 200, body: { id: 'x', departments: ['lab'] } },
      'and the account',
    );
    const c = await TestClient.connect(s.staffUrl);
    await c.ok({ type: 'signin', email: 'x@lab.test', password: 'x password' });
    await c.ok({ type: 'status', status: 'online' });
    const second = await openConversation(s, { department: 'lab', text: 'after the restart' });
    t.match(
      await second.v.waitFor((e) => e.type === 'queued'),
      { department: 'lab' },
      'routing after the restart follows the stored setting',
    );
    await c.close();
  },
);
