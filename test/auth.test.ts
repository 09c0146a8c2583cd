/**
 * ROLE-4: staff sign in with a password (scrypt) over HTTP and use expiring,
 * refreshable, revocable bearer tokens for the staff WebSocket and the HTTP
 * API; failed sign-ins are rate limited per account and per address;
 * password change and admin reset revoke sessions. Time runs on the virtual
 * clock.
 */
import t from 'tap';
import { startTestServer, type TestOwner, type TestServer } from './support/server.js';
import { httpRequest, type HttpAnswer } from './support/http.js';
import { TestClient } from './support/client.js';
import { VirtualClock } from '../actors/clock.js';
import { CloseCodes } from '../protocol/close-codes.js';
import { sessionOfToken } from '../actors/sessions.js';
import { SignInLimiter } from '../src/auth/signin-limiter.js';

type Json = Record<string, unknown> & { error?: { code: string; message: string; field?: string } };
const body = (a: HttpAnswer): Json => JSON.parse(a.body.toString('utf8')) as Json;

const post = (
  s: TestServer,
  path: string,
  payload: unknown,
  token?: string,
  raw?: Buffer,
  method = 'POST',
): Promise<HttpAnswer> =>
  httpRequest(s.server.port, path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw ?? Buffer.from(JSON.stringify(payload)),
  });

const signIn = (s: TestServer, email: string, password: string) => post(s, '/api/v1/auth/signin', { email, password });

/** Upgrades to the staff WebSocket with a token; resolves with the HTTP status of a refused upgrade, or the open client. */
async function connectWith(s: TestServer, token: string): Promise<TestClient | number> {
  try {
    return await TestClient.connect(`${s.staffUrl}?token=${encodeURIComponent(token)}`);
  } catch (err) {
    const m = /upgrade refused: (\d+)/.exec(String(err));
    if (m) return Number(m[1]);
    throw err;
  }
}

const HOUR = 3600_000;

t.test(
  'ROLE-4: the demo accounts sign in with their real passwords; the token opens the staff WebSocket and signs HTTP requests',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    for (const id of ['alice', 'bob', 'carol', 'admin']) {
      const cred = s.cred(id);
      const answer = await signIn(s, cred.email, cred.password);
      t.equal(answer.status, 200, `${id} signs in`);
      const signedIn = body(answer);
      t.match(signedIn, {
        token: String,
        refreshToken: String,
        expiresAt: Number,
        refreshExpiresAt: Number,
        staff: { id, role: cred.role },
      });
      t.equal(answer.headers['cache-control'], 'no-store', 'tokens are not cached');
      const client = await connectWith(s, signedIn.token as string);
      t.type(client, TestClient, `${id}'s token opens the staff WebSocket`);
      if (client instanceof TestClient) {
        t.match(await client.ok({ type: 'status', status: 'online' }), { status: 'online' });
        await client.close();
      }
    }
    const wrong = await signIn(s, s.cred('alice').email, 'not her password');
    t.equal(wrong.status, 401, 'a wrong password');
    const unknown = await signIn(s, 'nobody@demo.switchboard.local', 'whatever-password');
    t.equal(unknown.status, 401, 'an unknown email');
    t.same(body(unknown), body(wrong), 'the answers do not tell which accounts exist');
    t.equal(await connectWith(s, 'made-up-token'), 401, 'a forged token is refused at upgrade');
  },
);

/** Alice signed in over HTTP on a server whose access tokens live an hour and refresh tokens a day. */
async function aliceSignedIn(t: TestOwner) {
  const clock = new VirtualClock();
  const s = await startTestServer(t, { clock, sessionTimes: { accessTtlMs: HOUR, refreshTtlMs: 24 * HOUR } });
  const cred = s.cred('alice');
  const first = body(await signIn(s, cred.email, cred.password));
  return { clock, s, first };
}

t.test('ROLE-4: an access token expires', async (t) => {
  const { clock, s, first } = await aliceSignedIn(t);
  t.equal(first.expiresAt, clock.now() + HOUR, 'the access token lives an hour');
  await clock.advance(HOUR - 1);
  const before = await connectWith(s, first.token as string);
  t.type(before, TestClient, 'valid just before it expires');
  if (before instanceof TestClient) await before.close();
  await clock.advance(1);
  t.equal(await connectWith(s, first.token as string), 401, 'refused once expired');
  t.equal((await post(s, '/api/v1/auth/signout', {}, first.token as string)).status, 401, 'by the HTTP API too');
});

t.test('ROLE-4: a refresh token gives a new access token and refresh token, once', async (t) => {
  const { clock, s, first } = await aliceSignedIn(t);
  await clock.advance(HOUR);
  const refreshed = await post(s, '/api/v1/auth/refresh', { refreshToken: first.refreshToken });
  t.equal(refreshed.status, 200);
  const second = body(refreshed);
  t.not(second.token, first.token, 'a new access token');
  t.not(second.refreshToken, first.refreshToken, 'and a new refresh token');
  t.match(second, { staff: { id: 'alice' } });
  const after = await connectWith(s, second.token as string);
  t.type(after, TestClient, 'the new token works');
  if (after instanceof TestClient) await after.close();
  const replay = await post(s, '/api/v1/auth/refresh', { refreshToken: first.refreshToken });
  t.equal(replay.status, 401, 'a refresh token works once');
  t.equal(await connectWith(s, first.token as string), 401, 'the old access token stays dead');
});

t.test('ROLE-4: a refresh token expires too', async (t) => {
  const { clock, s, first } = await aliceSignedIn(t);
  await clock.advance(24 * HOUR);
  t.equal(
    (await post(s, '/api/v1/auth/refresh', { refreshToken: first.refreshToken })).status,
    401,
    'refused after a day',
  );
});

t.test(
  'ROLE-4: sign-out revokes the session: its open connections close (4001) and its token is refused',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const cred = s.cred('bob');
    const a = body(await signIn(s, cred.email, cred.password));
    const b = body(await signIn(s, cred.email, cred.password));
    const onA = await connectWith(s, a.token as string);
    const onB = await connectWith(s, b.token as string);
    if (!(onA instanceof TestClient) || !(onB instanceof TestClient)) return t.fail('both sessions connect');
    const out = await post(s, '/api/v1/auth/signout', {}, a.token as string);
    t.equal(out.status, 200);
    t.same(body(out), { revoked: 1 });
    t.equal(await onA.waitForClose(), CloseCodes.sessionRevoked.code, "the signed-out session's connection is closed");
    t.equal(await connectWith(s, a.token as string), 401, 'its token is refused');
    t.match(await onB.ok({ type: 'status', status: 'online' }), { status: 'online' }, 'the other session carries on');
    t.equal(
      (await post(s, '/api/v1/auth/signout', {}, a.token as string)).status,
      401,
      'signing out twice: the token is gone',
    );
    t.equal((await post(s, '/api/v1/auth/signout', {})).status, 401, 'no token');
    await onB.close();
  },
);

t.test(
  'ROLE-4: failed sign-ins are limited per account (5 in 15 min) and per address (20): then even the right password waits',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const alice = s.cred('alice');
    for (let i = 0; i < 5; i++) t.equal((await signIn(s, alice.email, `wrong-${i}`)).status, 401);
    const limited = await signIn(s, alice.email, alice.password);
    t.equal(limited.status, 429, 'the sixth attempt is refused, right password or not');
    t.match(body(limited), { error: { code: 'rate_limited' } });
    t.equal(limited.headers['retry-after'], String(15 * 60), 'Retry-After says when');
    t.equal(
      (await signIn(s, s.cred('bob').email, s.cred('bob').password)).status,
      200,
      'another account from the same address still signs in',
    );
    await clock.advance(15 * 60_000);
    t.equal((await signIn(s, alice.email, alice.password)).status, 200, 'after the window the right password works');

    // Per address: 20 failures spread over many accounts.
    for (let i = 0; i < 20; i++) await signIn(s, `guess-${i}@example.com`, 'password-guess');
    const byAddress = await signIn(s, s.cred('carol').email, s.cred('carol').password);
    t.equal(byAddress.status, 429, 'the address is limited whatever account it tries');
  },
);

t.test(
  'ROLE-4: a password change needs the current password and revokes every other session; an admin reset revokes all',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = s.cred('alice');
    const mine = body(await signIn(s, alice.email, alice.password));
    const other = body(await signIn(s, alice.email, alice.password));
    const otherClient = await connectWith(s, other.token as string);
    if (!(otherClient instanceof TestClient)) return t.fail('connects');

    const wrong = await post(
      s,
      '/api/v1/auth/password',
      { currentPassword: 'nope', newPassword: 'a-new-long-password' },
      mine.token as string,
    );
    t.equal(wrong.status, 403);
    t.match(body(wrong), { error: { code: 'forbidden', field: 'currentPassword' } });
    const short = await post(
      s,
      '/api/v1/auth/password',
      { currentPassword: alice.password, newPassword: 'short' },
      mine.token as string,
    );
    t.match(body(short), { error: { code: 'invalid_field', field: 'newPassword' } }, 'at least 10 characters');
    const changed = await post(
      s,
      '/api/v1/auth/password',
      { currentPassword: alice.password, newPassword: 'a-new-long-password' },
      mine.token as string,
    );
    t.equal(changed.status, 200);
    t.same(
      body(changed),
      { changed: true, otherSessionsRevoked: 2 },
      'the other sign-in and the session the demo seed opened',
    );
    t.equal(await otherClient.waitForClose(), CloseCodes.sessionRevoked.code, "the other session's console is closed");
    const stillMine = await connectWith(s, mine.token as string);
    t.type(stillMine, TestClient, 'the session that changed it stays');
    if (stillMine instanceof TestClient) await stillMine.close();
    t.equal((await signIn(s, alice.email, alice.password)).status, 401, 'the old password no longer works');
    t.equal((await signIn(s, alice.email, 'a-new-long-password')).status, 200, 'the new one does');

    // Admin reset (ROLE-3: PATCH /staff/:id with a password), refused to anyone else.
    const patch = (id: string, payload: unknown, token: string) =>
      post(s, `/api/v1/staff/${id}`, payload, token, undefined, 'PATCH');
    const bob = body(await signIn(s, s.cred('bob').email, s.cred('bob').password));
    const carol = body(await signIn(s, s.cred('carol').email, s.cred('carol').password));
    const refused = await patch('alice', { password: 'reset-by-bob-123' }, bob.token as string);
    t.equal(refused.status, 403, 'an agent cannot reset passwords');
    t.equal(
      (await patch('alice', { password: 'reset-by-carol-1' }, carol.token as string)).status,
      403,
      'nor a supervisor',
    );
    const admin = body(await signIn(s, s.cred('admin').email, s.cred('admin').password));
    const reset = await patch('alice', { password: 'reset-by-admin-1' }, admin.token as string);
    t.equal(reset.status, 200);
    t.notOk('passwordHash' in body(reset), 'no hash in the answer');
    t.equal(await connectWith(s, mine.token as string), 401, 'every session of hers is revoked');
    t.equal((await signIn(s, alice.email, 'reset-by-admin-1')).status, 200, 'she signs in with the new password');
    const none = await patch('nobody', { password: 'reset-by-admin-1' }, admin.token as string);
    t.equal(none.status, 404, 'an unknown staff member');
  },
);

t.test('ROLE-4: bad input to the sign-in routes gets a 4xx with a stable code and the field', async (t) => {
  const s = await startTestServer(t, { clock: new VirtualClock() });
  const cases: [string, HttpAnswer, number, Partial<{ code: string; field: string }>][] = [
    [
      'invalid JSON',
      await post(s, '/api/v1/auth/signin', undefined, undefined, Buffer.from('{"email":')),
      400,
      { code: 'bad_frame' },
    ],
    [
      'a missing field',
      await post(s, '/api/v1/auth/signin', { email: 'a@b.c' }),
      400,
      { code: 'invalid_field', field: 'password' },
    ],
    [
      'a wrong type',
      await post(s, '/api/v1/auth/signin', { email: 'a@b.c', password: 42 }),
      400,
      { code: 'invalid_field', field: 'password' },
    ],
    [
      'an unknown field',
      await post(s, '/api/v1/auth/signin', { email: 'a@b.c', password: 'x', admin: true }),
      400,
      { code: 'invalid_field' },
    ],
    ['not an object', await post(s, '/api/v1/auth/refresh', ['token']), 400, { code: 'invalid_field' }],
    [
      'an oversized body',
      await post(s, '/api/v1/auth/signin', undefined, undefined, Buffer.alloc(65 * 1024, 0x20)),
      413,
      { code: 'limit_exceeded', field: 'body' },
    ],
  ];
  for (const [what, answer, status, error] of cases) {
    t.equal(answer.status, status, what);
    t.match(body(answer), { error }, what);
  }
});

t.test(
  "ROLE-2 ROLE-4: a changed role or department closes the staff member's open connections (4002); they reconnect with the new rights only",
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const admin = body(await signIn(s, s.cred('admin').email, s.cred('admin').password));
    const carol = body(await signIn(s, s.cred('carol').email, s.cred('carol').password));
    const carolConsole = await connectWith(s, carol.token as string);
    if (!(carolConsole instanceof TestClient)) return t.fail('carol connects');
    t.match(
      await carolConsole.ok({ type: 'monitor' }),
      { conversations: Array },
      'as supervisor she has the live view',
    );
    const demoted = await post(s, '/api/v1/staff/carol', { role: 'agent' }, admin.token as string, undefined, 'PATCH');
    t.equal(demoted.status, 200);
    t.equal(await carolConsole.waitForClose(), CloseCodes.identityChanged.code, 'her open console is closed');
    const again = await connectWith(s, carol.token as string);
    if (!(again instanceof TestClient)) return t.fail('her token still works');
    t.match(
      await again.command({ type: 'monitor' }),
      { type: 'error', code: 'forbidden' },
      "and now she has an agent's rights",
    );
    await again.close();
    const bob = await connectWith(
      s,
      body(await signIn(s, s.cred('bob').email, s.cred('bob').password)).token as string,
    );
    if (!(bob instanceof TestClient)) return t.fail('bob connects');
    await post(s, '/api/v1/staff/bob', { skills: ['billing'] }, admin.token as string, undefined, 'PATCH');
    t.match(
      await bob.ok({ type: 'status', status: 'online' }),
      { status: 'online' },
      'a change of skills leaves connections open',
    );
    await bob.close();
  },
);

t.test(
  'ROLE-4: a refresh racing a revocation never brings the session back; two refreshes of one token: only one wins',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const { runtime, journal, clock } = s.server.directory.deps;
    const sessions = s.server.directory.sessions;
    const first = await runtime.ask(sessions, { type: 'open', staffId: 'alice' });
    // Both asked in the same turn: the refresh arrives while the revocation is still committing.
    const [revoked, refreshed] = await Promise.allSettled([
      runtime.ask(sessions, { type: 'revoke', sessionId: first.sessionId }),
      runtime.ask(sessions, { type: 'refresh', refreshToken: first.refreshToken }),
    ]);
    t.match(revoked, { status: 'fulfilled', value: { revoked: 1 } });
    t.match(refreshed, { status: 'rejected', reason: { code: 'unauthorized' } }, 'the refresh is refused');
    t.notOk(sessionOfToken(journal, first.token, 'access', clock.now()), 'the session stays revoked');

    const second = await runtime.ask(sessions, { type: 'open', staffId: 'alice' });
    const results = await Promise.allSettled([
      runtime.ask(sessions, { type: 'refresh', refreshToken: second.refreshToken }),
      runtime.ask(sessions, { type: 'refresh', refreshToken: second.refreshToken }),
    ]);
    t.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'one refresh wins');
    t.equal(results.filter((r) => r.status === 'rejected').length, 1, 'the other is refused');
    // A revocation of a session whose refresh is still committing takes the new tokens with it.
    const third = await runtime.ask(sessions, { type: 'open', staffId: 'alice' });
    const [renewed] = await Promise.all([
      runtime.ask(sessions, { type: 'refresh', refreshToken: third.refreshToken }),
      runtime.ask(sessions, { type: 'revoke', sessionId: third.sessionId }),
    ]);
    t.notOk(
      sessionOfToken(journal, renewed.token, 'access', clock.now()),
      'the tokens of a refresh revoked mid-commit do not work',
    );
  },
);

t.test(
  'ROLE-4: attempts count when they start (parallel guesses cannot slip past); one address cannot lock an account out for everyone',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const alice = s.cred('alice');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(s, alice.email, `parallel-guess-${i}`)),
    );
    t.equal(answers.filter((a) => a.status === 401).length, 5, 'five parallel guesses are checked');
    t.equal(answers.filter((a) => a.status === 429).length, 7, 'the rest are refused before any password work');

    const limiter = new SignInLimiter(clock);
    for (let i = 0; i < 5; i++) limiter.attempt('bob@x', '10.0.0.66');
    t.throws(() => limiter.attempt('bob@x', '10.0.0.66'), { code: 'rate_limited' }, 'the guessing address is stopped');
    t.doesNotThrow(() => limiter.attempt('bob@x', '10.0.0.7').succeeded(), 'bob himself, elsewhere, still signs in');
    for (let i = 0; i < 50; i++) limiter.attempt('carol@x', `10.1.${i}.1`);
    t.throws(
      () => limiter.attempt('carol@x', '10.2.0.1'),
      { code: 'rate_limited' },
      'fifty failures from many addresses lock the account',
    );
    // An office behind one address: 19 failures across accounts, then a success that must not count against it.
    for (let i = 0; i < 19; i++) limiter.attempt(`user${i}@x`, '10.3.0.1');
    limiter.attempt('dave@x', '10.3.0.1').succeeded();
    t.doesNotThrow(
      () => limiter.attempt('erin@x', '10.3.0.1'),
      'a success takes its own attempt back: the twentieth is still allowed',
    );
    t.throws(() => limiter.attempt('frank@x', '10.3.0.1'), { code: 'rate_limited' }, 'the twenty-first is not');
  },
);

t.test(
  "ROLE-4: a console signed in with a password over the WebSocket is closed by an admin's reset (4001)",
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = s.cred('alice');
    const consoleByPassword = await TestClient.connect(s.staffUrl);
    t.match(await consoleByPassword.ok({ type: 'signin', email: alice.email, password: alice.password }), {
      id: 'alice',
    });
    const admin = body(await signIn(s, s.cred('admin').email, s.cred('admin').password));
    t.equal(
      (
        await post(
          s,
          '/api/v1/staff/alice',
          { password: 'a-fresh-password-1' },
          admin.token as string,
          undefined,
          'PATCH',
        )
      ).status,
      200,
    );
    t.equal(
      await consoleByPassword.waitForClose(),
      CloseCodes.sessionRevoked.code,
      'the password console is closed too',
    );
  },
);

t.test("ROLE-2: a supervisor may not send a department's overflow into a department she does not lead", async (t) => {
  const s = await startTestServer(t, { clock: new VirtualClock() });
  const dir = s.server.directory;
  await dir.deps.runtime.ask(dir.workspace, {
    type: 'createDepartment',
    department: { id: 'billing', name: 'Billing', defaultMaxConcurrent: 5 },
  });
  const carol = body(await signIn(s, s.cred('carol').email, s.cred('carol').password));
  const patch = (widening: unknown) =>
    post(s, '/api/v1/departments/pre-sales', { widening }, carol.token as string, undefined, 'PATCH');
  const refused = await patch({ overflowAfterSec: 60, overflowTo: 'billing' });
  t.equal(refused.status, 403, 'billing is not hers');
  t.match(body(refused), { error: { code: 'forbidden', field: 'department' } });
  t.equal(
    (await patch({ overflowAfterSec: 60, overflowTo: 'after-sales' })).status,
    200,
    'after-sales, which she leads, is fine',
  );
});
