/**
 * What the admin API answers when a newcomer tries it: department answers
 * carry the policy in force even where none was set (ROUTE-2: round robin
 * by default), and a staff route's 401 asks for what staff routes take, a
 * Bearer token, never a visitor credential (ROLE-4).
 */
import t from 'tap';
import { apiRoutes } from '../src/server/api/routes.js';
import { PUBLIC } from '../src/server/api/route.js';
import { startTestServer } from './support/server.js';
import { api, apiAs } from './support/api.js';

t.test(
  'ROLE-3 ROUTE-2: every department answer names its effective policy, round_robin when none was set',
  async (t) => {
    const s = await startTestServer(t);
    const admin = apiAs(s, 'admin');
    const list = await admin('GET', '/departments');
    t.equal(list.status, 200);
    const departments = list.body.departments as { id: string; policy?: string }[];
    t.ok(departments.length >= 2, 'the demo departments are listed');
    for (const d of departments) t.equal(d.policy, 'round_robin', `${d.id} in the list: round_robin by default`);
    t.equal(
      (await admin('GET', '/departments/pre-sales')).body.policy,
      'round_robin',
      'one department: round_robin by default',
    );
    const created = await admin('POST', '/departments', { id: 'billing', name: 'Billing', defaultMaxConcurrent: 3 });
    t.equal(created.status, 201);
    t.equal(created.body.policy, 'round_robin', 'a department created without a policy answers round_robin');
    const changed = await admin('PATCH', '/departments/billing', { policy: 'least_load' });
    t.equal(changed.body.policy, 'least_load', 'a set policy is answered');
    const removed = await admin('PATCH', '/departments/billing', { policy: null });
    t.equal(removed.body.policy, 'round_robin', 'a removed policy falls back to round_robin, and says so');
  },
);

t.test(
  'ROLE-4: a staff route without a usable credential says a Bearer token is needed, not a visitor id',
  async (t) => {
    const s = await startTestServer(t);
    const staffRoutes = apiRoutes.filter((r) => r.permission !== PUBLIC);
    for (const r of staffRoutes) {
      const path = r.path.replace(/:id/, r.path.startsWith('/staff') ? 'alice' : 'pre-sales');
      for (const [label, headers] of [
        ['no Authorization', {}],
        ['a Visitor credential', { authorization: 'Visitor v-1' }],
        ['a malformed header', { authorization: 'Basic abc' }],
      ] as const) {
        const answer = await api(s, undefined, r.method, path, r.body ? {} : undefined, headers);
        t.equal(answer.status, 401, `${r.method.toUpperCase()} ${r.path} with ${label}: 401`);
        const message = answer.body.error?.message ?? '';
        t.match(message, /Bearer/, `${r.method.toUpperCase()} ${r.path} with ${label}: asks for a Bearer token`);
        t.notMatch(
          message,
          /visitor/i,
          `${r.method.toUpperCase()} ${r.path} with ${label}: offers no visitor credential`,
        );
      }
    }
  },
);
