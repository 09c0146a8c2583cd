/**
 * CLUSTER-1: one server process serves every workspace of its store, each
 * under its own route prefix (`/w/<id>`; the default workspace keeps the
 * unprefixed routes) with its own actors and connections. A workspace's
 * tokens, visitor ids and file ids name it, and every other workspace
 * refuses them with `wrong_workspace`, over HTTP and WebSocket alike. A
 * workspace made by `switchboard workspace create --admin-email` is set up
 * by its own admin through the API and serves a conversation end to end,
 * which the default workspace's agents never see.
 */
import t from 'tap';
import { runWorkspace } from '../src/workspace-commands.js';
import { capture } from './support/captured-output.js';
import { startTestServer, tempDataDir, type TestServer } from './support/server.js';
import { TestClient } from './support/client.js';
import { httpRequest } from './support/http.js';

async function createWorkspace(dataDir: string, id: string, email: string): Promise<string> {
  const io = capture();
  const code = await runWorkspace(['create', id, '--data', dataDir, '--admin-email', email], {}, io);
  if (code !== 0) throw new Error(`workspace create failed: ${io.errors.join('\n')}`);
  const password = /password (\S+) \(shown only this once\)/.exec(io.lines.join('\n'))?.[1];
  if (!password) throw new Error(`no password printed: ${io.lines.join('\n')}`);
  return password;
}

interface Answer {
  status: number;
  body: { error?: { code: string; field?: string } } & Record<string, unknown>;
}

async function call(s: TestServer, token: string | undefined, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${s.server.port}${path}`, {
    method,
    headers: {
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} } as Answer;
}

/** A session token of a staff member of the default workspace, opened by its actors. */
async function defaultToken(s: TestServer, staffId: string): Promise<string> {
  const dir = s.server.directory;
  return (await dir.deps.runtime.ask(dir.sessions, { type: 'open', staffId })).token;
}

t.test('CLUSTER-1: two workspaces in one process, each refusing the other one’s ids', async (t) => {
  const dataDir = tempDataDir();
  // The first start makes the default (demo) workspace; the operator then adds acme beside it.
  const first = await startTestServer({ dataDir, keepData: true });
  await first.stop();
  const password = await createWorkspace(dataDir, 'acme', 'ops@acme.example');
  const s = await startTestServer(t, { dataDir });
  const base = `ws://127.0.0.1:${s.server.port}`;
  t.same([...s.server.workspaces.keys()].sort(), ['acme', 'default'], 'both workspaces are served');
  t.equal(s.server.workspaces.get('acme')?.routePrefix, '/w/acme', 'acme lives under /w/acme');

  // The acme admin signs in on acme's API with the password the create printed.
  const signin = await call(s, undefined, 'POST', '/w/acme/api/v1/auth/signin', {
    email: 'ops@acme.example',
    password,
  });
  t.equal(signin.status, 200, 'the first admin signs in');
  const acmeToken = signin.body.token as string;
  const acmeRefresh = signin.body.refreshToken as string;
  t.match(acmeToken, /^acme:/, "acme's token names acme");
  t.match(acmeRefresh, /^acme:/, 'so does its refresh token');
  const homeToken = await defaultToken(s, 'admin');
  t.notMatch(homeToken, /:/, "the default workspace's token keeps the unprefixed form");

  // The two APIs hold two different configurations.
  const homeDepartments = await call(s, homeToken, 'GET', '/api/v1/departments');
  t.ok(
    (homeDepartments.body.departments as { id: string }[]).some((d) => d.id === 'pre-sales'),
    'default has the demo departments',
  );
  const acmeDepartments = await call(s, acmeToken, 'GET', '/w/acme/api/v1/departments');
  t.same(acmeDepartments.body.departments, [], 'acme starts with none');

  // Foreign tokens are refused by name, both ways, on the API and on the staff socket.
  for (const [token, path, issuer] of [
    [homeToken, '/w/acme/api/v1/departments', 'default'],
    [acmeToken, '/api/v1/departments', 'acme'],
  ] as const) {
    const refused = await call(s, token, 'GET', path);
    t.equal(refused.status, 403, `a ${issuer} token on ${path}: 403`);
    t.equal(refused.body.error?.code, 'wrong_workspace', 'wrong_workspace');
  }
  const refresh = await call(s, undefined, 'POST', '/api/v1/auth/refresh', { refreshToken: acmeRefresh });
  t.equal(refresh.body.error?.code, 'wrong_workspace', "acme's refresh token is refused by the default workspace");
  const upgrade = await httpRequest(s.server.port, `/w/acme/v1/staff?token=${encodeURIComponent(homeToken)}`, {
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    },
  });
  t.equal(upgrade.status, 403, "a default token cannot open acme's staff socket");
  t.match(upgrade.body, /wrong_workspace/, 'and is told why');
  const staffSocket = await TestClient.connect(`${base}/w/acme/v1/staff`);
  t.teardown(() => staffSocket.close());
  const signinFrame = await staffSocket.command({ type: 'signin', token: homeToken });
  t.equal(signinFrame.code, 'wrong_workspace', 'nor sign in on it with a signin frame');

  // The default workspace answers under /w/default too, so every workspace can be addressed alike.
  const alias = await call(s, homeToken, 'GET', '/w/default/api/v1/departments');
  t.equal(alias.status, 200, 'the default workspace under /w/default');
  t.equal((await call(s, acmeToken, 'GET', '/w/default/api/v1/departments')).body.error?.code, 'wrong_workspace');
  const aliasVisitor = await TestClient.connect(`${base}/w/default/v1/visitor`);
  t.teardown(() => aliasVisitor.close());
  t.notMatch(String((await aliasVisitor.ok({ type: 'hello' })).visitorId), /:/, 'a default visitor id there');

  // An unknown workspace is a 404 that names it.
  const unknown = await call(s, acmeToken, 'GET', '/w/nope/api/v1/departments');
  t.equal(unknown.status, 404, 'an unknown workspace: 404');
  t.match(String(unknown.body.error && (unknown.body.error as { message?: string }).message), /nope/);

  // Acme's admin sets acme up through its API: a department and an agent.
  const dep = await call(s, acmeToken, 'POST', '/w/acme/api/v1/departments', {
    id: 'support',
    name: 'Support',
    defaultMaxConcurrent: 3,
  });
  t.equal(dep.status, 201, 'a department is created in acme');
  const agentPassword = 'acme-agent-password-1';
  const agent = await call(s, acmeToken, 'POST', '/w/acme/api/v1/staff', {
    id: 'alice',
    name: 'Alice of Acme',
    email: 'alice@acme.example',
    role: 'agent',
    departments: ['support'],
    password: agentPassword,
  });
  t.equal(agent.status, 201, 'an agent is created in acme, with an id the default workspace uses too');
  const agentSignin = await call(s, undefined, 'POST', '/w/acme/api/v1/auth/signin', {
    email: 'alice@acme.example',
    password: agentPassword,
  });
  const acmeAlice = await TestClient.connect(
    `${base}/w/acme/v1/staff?token=${encodeURIComponent(agentSignin.body.token as string)}`,
  );
  t.teardown(() => acmeAlice.close());
  await acmeAlice.ok({ type: 'status', status: 'online' });
  const homeAlice = await TestClient.connect(
    `${base}/v1/staff?token=${encodeURIComponent(await defaultToken(s, 'alice'))}`,
  );
  t.teardown(() => homeAlice.close());
  await homeAlice.ok({ type: 'status', status: 'online' });

  // A visitor of acme is served by acme's Alice.
  const visitor = await TestClient.connect(`${base}/w/acme/v1/visitor`);
  t.teardown(() => visitor.close());
  const hello = await visitor.ok({ type: 'hello' });
  const visitorId = hello.visitorId as string;
  t.match(visitorId, /^acme:v-/, "acme's visitor id names acme");
  const started = await visitor.ok({ type: 'start', text: 'hello acme' });
  const conversationId = started.conversationId as string;
  const assigned = await acmeAlice.waitFor((f) => f.type === 'assigned' && f.conversationId === conversationId);
  t.equal(assigned.type, 'assigned', "acme's agent is assigned the conversation");
  await acmeAlice.ok({ type: 'send', conversationId, clientMsgId: 'r1', text: 'Acme here, how can I help?' });
  const reply = await visitor.waitFor((f) => f.type === 'message' && f.text === 'Acme here, how can I help?');
  t.equal(reply.conversationId, conversationId, 'the reply reaches the visitor');
  t.notOk(
    homeAlice.events.some((f) => f.conversationId === conversationId),
    "the default workspace's Alice sees nothing of it",
  );
  const homeView = await homeAlice.command({ type: 'resume', conversationId, lastSeq: 0 });
  t.equal(homeView.type, 'error', 'nor can she read it by id');

  // OPS-4: /metrics tells the workspaces apart.
  const metrics = await (await fetch(`http://127.0.0.1:${s.server.port}/metrics`)).text();
  t.match(
    metrics,
    /switchboard_assignments_total\{workspace="acme",department="support",policy="[a-z_]+"\} 1\n/,
    "acme's assignment is counted under acme",
  );
  t.match(metrics, /switchboard_connections\{workspace="acme",kind="staff"\} [1-9]/, "acme's staff connections");
  t.notMatch(metrics, /switchboard_assignments_total\{workspace="default",department="support"/, 'not under default');

  // The visitor id works only where it was issued.
  const stranger = await TestClient.connect(`${base}/v1/visitor`);
  t.teardown(() => stranger.close());
  const foreignHello = await stranger.command({ type: 'hello', visitorId });
  t.equal(foreignHello.code, 'wrong_workspace', "acme's visitor id is refused by the default workspace");
  t.equal(foreignHello.field, 'visitorId', 'naming the field');
  const homeVisitor = await stranger.ok({ type: 'hello' });
  const back = await TestClient.connect(`${base}/w/acme/v1/visitor`);
  t.teardown(() => back.close());
  const homeIdAtAcme = await back.command({ type: 'hello', visitorId: homeVisitor.visitorId as string });
  t.equal(homeIdAtAcme.code, 'wrong_workspace', 'a default visitor id is refused by acme');

  // A file uploaded in acme has an acme id; the default workspace refuses it by name.
  const upload = await fetch(
    `http://127.0.0.1:${s.server.port}/w/acme/v1/files?conversationId=${encodeURIComponent(conversationId)}&name=note.txt`,
    {
      method: 'POST',
      headers: { authorization: `Visitor ${visitorId}`, 'content-type': 'text/plain' },
      body: 'order 42',
    },
  );
  t.equal(upload.status, 201, 'the visitor uploads a file to acme');
  const file = ((await upload.json()) as { file: { id: string } }).file;
  t.match(file.id, /^acme:f-/, 'the file id names acme');
  t.match(upload.headers.get('location') ?? '', /^\/w\/acme\/v1\/files\//, 'its location is under /w/acme');
  const own = await fetch(`http://127.0.0.1:${s.server.port}/w/acme/v1/files/${encodeURIComponent(file.id)}`, {
    headers: { authorization: `Visitor ${visitorId}` },
  });
  t.equal(await own.text(), 'order 42', 'acme serves it to its visitor');
  const foreign = await fetch(`http://127.0.0.1:${s.server.port}/v1/files/${encodeURIComponent(file.id)}`, {
    headers: { authorization: `Bearer ${homeToken}` },
  });
  t.equal(foreign.status, 403, 'the default workspace refuses the acme file id');
  t.match(await foreign.text(), /wrong_workspace/);
});
