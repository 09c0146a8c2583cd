/**
 * The admin HTTP API's shared rules (ROLE-4): every route names a permission
 * of the one table, the OpenAPI document lists every route, and bad input is
 * refused the same way on every route. The route-by-route checks are made
 * from the route table itself, so a new route is covered by them at once.
 */
import t from 'tap';
import { Validator } from '@seriousme/openapi-schema-validator';
import { apiRoutes } from '../src/server/api/routes.js';
import { PUBLIC, type Route } from '../src/server/api/route.js';
import { MAX_API_BODY_BYTES } from '../src/server/api/router.js';
import { Permissions, holds } from '../src/auth/permissions.js';
import { startTestServer } from './support/server.js';
import { api, apiAs } from './support/api.js';
import { VirtualClock } from '../actors/clock.js';

/** A concrete path for a route: parameters filled with ids that exist in the demo workspace (or are made up). */
const concrete = (r: Route, id = 'pre-sales'): string =>
  r.path.replace(/:id/, r.path.startsWith('/staff') ? 'alice' : r.path.startsWith('/canned') ? 'cr-none' : id);
const label = (r: Route): string => `${r.method.toUpperCase()} ${r.path}`;

t.test(
  'ROLE-4: every API route names a permission from the one table; department-scoped routes with an id say which department',
  async (t) => {
    t.ok(apiRoutes.length >= 15, 'the table holds the routes');
    const seen = new Set<string>();
    for (const r of apiRoutes) {
      t.ok(
        r.permission === PUBLIC || Object.hasOwn(Permissions, r.permission),
        `${label(r)}: ${r.permission} is in the permission table`,
      );
      t.notOk(seen.has(label(r)), `${label(r)} is declared once`);
      seen.add(label(r));
      if (
        r.permission !== PUBLIC &&
        Permissions[r.permission].scope === 'department' &&
        r.path.startsWith('/departments/:id')
      ) {
        t.equal(r.department?.({ id: 'x' }), 'x', `${label(r)} passes its department to the scope check`);
      }
    }
    t.same(
      apiRoutes
        .filter((r) => r.permission === PUBLIC)
        .map(label)
        .sort(),
      ['GET /openapi.json', 'POST /auth/refresh', 'POST /auth/signin'],
      'only the OpenAPI document and the ways to get a token are public',
    );
  },
);

t.test(
  'ROLE-4: the OpenAPI document is valid OpenAPI 3.1, public, and lists every route with its permission',
  async (t) => {
    const s = await startTestServer(t);
    const doc = await api(s, undefined, 'GET', '/openapi.json');
    t.equal(doc.status, 200);
    const result = await new Validator().validate(doc.body as Parameters<Validator['validate']>[0]);
    t.ok(result.valid, `valid: ${JSON.stringify(result.errors ?? '').slice(0, 500)}`);
    const paths = doc.body.paths as Record<string, Record<string, { 'x-permission'?: string }>>;
    for (const r of apiRoutes) {
      const op = paths[`/api/v1${r.path.replace(/:([a-z]+)/g, '{$1}')}`]?.[r.method];
      t.ok(op, `${label(r)} is documented`);
      if (r.permission !== PUBLIC) t.equal(op?.['x-permission'], r.permission, `${label(r)} names ${r.permission}`);
    }
  },
);

t.test(
  'ROLE-4: without a token, with a bad, expired or visitor one every protected route is 401; roles without the permission get 403',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, sessionTimes: { accessTtlMs: 3600_000, refreshTtlMs: 7200_000 } });
    for (const r of apiRoutes.filter((x) => x.permission !== PUBLIC)) {
      const body = r.body ? {} : undefined;
      const none = await api(s, undefined, r.method, concrete(r), body);
      t.match(none, { status: 401, body: { error: { code: 'unauthorized' } } }, `${label(r)} without a token`);
      const bad = await api(s, 'not-a-token', r.method, concrete(r), body);
      t.match(bad, { status: 401, body: { error: { code: 'unauthorized' } } }, `${label(r)} with a bad token`);
      const visitor = await api(s, undefined, r.method, concrete(r), body, { authorization: 'Visitor v-1' });
      t.equal(visitor.status, 401, `${label(r)} with a visitor id`);
      const perm = r.permission as keyof typeof Permissions;
      for (const who of ['alice', 'carol'] as const) {
        const role = s.cred(who).role;
        if (holds({ role }, perm)) continue;
        const refused = await api(s, s.cred(who).token, r.method, concrete(r), body);
        t.match(refused, { status: 403, body: { error: { code: 'forbidden' } } }, `${label(r)}: ${role} lacks ${perm}`);
      }
    }
    // The admin holds every permission: once the token has expired, not even she gets past authentication.
    const adminToken = s.cred('admin').token;
    await clock.advance(3600_000);
    for (const r of apiRoutes.filter((x) => x.permission !== PUBLIC)) {
      const expired = await api(s, adminToken, r.method, concrete(r), r.body ? {} : undefined);
      t.match(expired, { status: 401, body: { error: { code: 'unauthorized' } } }, `${label(r)} with an expired token`);
    }
  },
);

t.test(
  'ROLE-4: bad input on every route with a body: invalid JSON, wrong types, missing and unknown fields, oversized bodies, other media types',
  async (t) => {
    const s = await startTestServer(t);
    const token = s.cred('admin').token;
    for (const r of apiRoutes.filter((x) => x.body)) {
      const path = concrete(r);
      t.match(
        await api(s, token, r.method, path, '{"unclosed'),
        { status: 400, body: { error: { code: 'bad_frame', field: 'body' } } },
        `${label(r)}: invalid JSON`,
      );
      t.match(
        await api(s, token, r.method, path, '[1,2]'),
        { status: 400, body: { error: { code: 'invalid_field' } } },
        `${label(r)}: an array, not an object`,
      );
      t.match(
        await api(s, token, r.method, path, {}),
        { status: 400, body: { error: { code: 'invalid_field' } } },
        `${label(r)}: nothing in it (a required field missing)`,
      );
      const unknown = await api(s, token, r.method, path, { surelyNotAField: 1 });
      t.match(unknown, { status: 400, body: { error: { code: 'invalid_field' } } }, `${label(r)}: an unknown field`);
      const big = await api(s, token, r.method, path, JSON.stringify({ x: 'a'.repeat(MAX_API_BODY_BYTES) }));
      t.match(
        big,
        { status: 413, body: { error: { code: 'limit_exceeded' } } },
        `${label(r)}: a body over ${MAX_API_BODY_BYTES} bytes`,
      );
      const xml = await api(s, token, r.method, path, '<a/>', { 'content-type': 'application/xml' });
      t.match(
        xml,
        { status: 415, body: { error: { code: 'unsupported_media_type' } } },
        `${label(r)}: not JSON by its type`,
      );
    }
    const admin = apiAs(s, 'admin');
    // Wrong types name the field as a dotted path, nested ones too.
    t.match(
      await admin('PATCH', '/departments/pre-sales', { policy: 'fastest' }),
      { status: 400, body: { error: { code: 'invalid_field', field: 'policy' } } },
      'an unknown policy',
    );
    t.match(
      await admin('PATCH', '/departments/pre-sales', { widening: { overflowTo: 5 } }),
      { status: 400, body: { error: { code: 'invalid_field', field: 'widening.overflowTo' } } },
      'a nested wrong type is named by its dotted path',
    );
    t.match(
      await admin('PATCH', '/departments/pre-sales', { maxQueueLength: 'ten' }),
      { status: 400, body: { error: { field: 'maxQueueLength' } } },
      'a string for a number',
    );
    t.match(
      await admin('PATCH', '/departments/pre-sales', { widening: { overflowTo: 'pre-sales', overflowAfterSec: 60 } }),
      { status: 400, body: { error: { field: 'widening.overflowTo' } } },
      'overflow to itself: refused by the workspace actor',
    );
    t.match(
      await admin('PATCH', '/departments/pre-sales', { parent: 'pre-sales' }),
      { status: 400, body: { error: { field: 'parent' } } },
      'a department under itself',
    );
    t.match(
      await admin('PATCH', '/staff/alice', { tier: 4 }),
      { status: 400, body: { error: { code: 'invalid_field', field: 'tier' } } },
      'a tier that does not exist',
    );
    t.match(
      await admin('PATCH', '/staff/alice', { skills: ['a', 7] }),
      { status: 400, body: { error: { field: 'skills.1' } } },
      'an array item is named by its index',
    );
    t.match(
      await admin('PATCH', '/workspace', { verification: { secret: 'short', required: true } }),
      { status: 400, body: { error: { field: 'verification.secret' } } },
      'a short secret',
    );
    t.match(
      await admin('PATCH', '/staff/alice', { departments: ['nowhere'] }),
      { status: 404, body: { error: { code: 'not_found', field: 'departments' } } },
      'an unknown department',
    );
    t.match(
      await admin('PATCH', '/staff/alice', { email: 'bob@demo.switchboard.local' }),
      { status: 409, body: { error: { code: 'conflict', field: 'email' } } },
      "another account's email",
    );
    t.match(
      await admin('POST', '/departments', { id: 'pre-sales', name: 'Again', defaultMaxConcurrent: 3 }),
      { status: 409, body: { error: { code: 'conflict' } } },
      'an existing department id',
    );
    // Paths and queries.
    t.match(
      await admin('GET', '/departments/no%20such'),
      { status: 400, body: { error: { code: 'invalid_field', field: 'path.id' } } },
      'a malformed id in the path',
    );
    t.match(
      await admin('GET', '/departments/nowhere'),
      { status: 404, body: { error: { code: 'not_found' } } },
      'an unknown department',
    );
    t.match(
      await admin('GET', '/staff/nobody'),
      { status: 404, body: { error: { code: 'not_found' } } },
      'an unknown staff member',
    );
    t.match(
      await admin('DELETE', '/canned-replies/cr-none'),
      { status: 404, body: { error: { code: 'not_found' } } },
      'an unknown canned reply',
    );
    t.match(
      await admin('GET', '/audit?limit=many'),
      { status: 400, body: { error: { code: 'invalid_field', field: 'query.limit' } } },
      'a query parameter of the wrong type',
    );
    t.match(
      await admin('GET', '/audit?colour=red'),
      { status: 400, body: { error: { code: 'invalid_field', field: 'query.colour' } } },
      'an unknown query parameter',
    );
    t.match(
      await admin('GET', '/no-such-route'),
      { status: 404, body: { error: { code: 'not_found' } } },
      'an unknown route',
    );
    t.match(
      await admin('DELETE', '/workspace'),
      { status: 404, body: { error: { code: 'not_found' } } },
      'a known path with a method it does not take',
    );
  },
);

t.test(
  'ROLE-2 ROLE-3: supervisors read and configure only the departments they lead; admins everything; agents nothing',
  async (t) => {
    const s = await startTestServer(t);
    const admin = apiAs(s, 'admin');
    const carol = apiAs(s, 'carol');
    t.match(
      await admin('POST', '/departments', {
        id: 'vip',
        name: 'VIP desk',
        defaultMaxConcurrent: 2,
        parent: 'after-sales',
      }),
      { status: 201, body: { id: 'vip', parent: 'after-sales', supervisors: [] } },
    );
    t.match(
      await admin('POST', '/staff', {
        id: 'vera',
        name: 'Vera',
        email: 'vera@x.io',
        role: 'agent',
        departments: ['vip'],
        password: 'long enough',
      }),
      { status: 201, body: { id: 'vera' } },
    );
    t.same(
      ((await admin('GET', '/departments')).body.departments as { id: string }[]).map((d) => d.id),
      ['pre-sales', 'after-sales', 'vip'],
      'admins list every department',
    );
    t.same(
      ((await carol('GET', '/departments')).body.departments as { id: string }[]).map((d) => d.id),
      ['pre-sales', 'after-sales'],
      'carol lists those she leads',
    );
    t.match(
      await carol('GET', '/departments/vip'),
      { status: 403, body: { error: { code: 'forbidden' } } },
      'carol may not read vip',
    );
    t.match(await carol('PATCH', '/departments/vip', { policy: 'least_load' }), { status: 403 }, 'nor configure it');
    t.match(
      await carol('PATCH', '/departments/pre-sales', { policy: 'least_load', maxQueueLength: 20 }),
      { status: 200, body: { policy: 'least_load', maxQueueLength: 20 } },
      'she configures pre-sales',
    );
    t.match(
      await carol('PATCH', '/departments/pre-sales', { supervisors: [] }),
      { status: 403 },
      'but who leads it is for admins',
    );
    t.match(
      await carol('PATCH', '/departments/pre-sales', { parent: 'after-sales' }),
      { status: 403 },
      'and so is the tree',
    );
    const staff = ((await carol('GET', '/staff')).body.staff as { id: string }[]).map((x) => x.id);
    t.notOk(staff.includes('vera'), 'carol does not see staff of vip');
    t.ok(staff.includes('alice'), "she sees her departments' staff");
    t.match(await carol('GET', '/staff/vera'), { status: 404 }, 'vera is as unknown to her as a missing account');
    t.match(await carol('PATCH', '/staff/alice', { tier: 2 }), { status: 403 }, 'managing staff is for admins');
    // Supervisors set by an admin lead at once: carol now leads vip too.
    t.match(await admin('PATCH', '/departments/vip', { supervisors: ['carol'] }), {
      status: 200,
      body: { supervisors: ['carol'] },
    });
    t.match(
      await carol('GET', '/departments/vip'),
      { status: 200, body: { id: 'vip' } },
      'carol reads vip once she leads it',
    );
    t.match(
      await admin('PATCH', '/departments/vip', { supervisors: ['alice'] }),
      { status: 400, body: { error: { field: 'supervisors.0' } } },
      'an agent cannot lead a department',
    );
    t.match(await apiAs(s, 'alice')('GET', '/departments'), { status: 403 }, 'agents are refused');
  },
);
