/**
 * ROLE-1…4: the permission matrix, generated from the one permission table
 * (src/auth/permissions.ts). Every staff WebSocket command × every role ×
 * every way of (not) being signed in, asserting the exact allowed set: a
 * role without the command's permission gets `forbidden` naming it, a role
 * with it never does. A command added to the protocol without a permission
 * has no entry in the command table (src/server/commands/table.ts, checked
 * by command-table.test.ts), and one without a sample here does not compile.
 *
 * CLUSTER-1: a server holds several workspaces, and a real token of one is
 * refused by every API route and staff entry of the other with
 * `wrong_workspace`, both ways (last test below).
 */
import t from 'tap';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { startTestServer, tempDataDir } from './support/server.js';
import { TestClient } from './support/client.js';
import { StaffCommands, VisitorCommands } from '../protocol/frames.js';
import { Permissions, ROLES, type Permission } from '../src/auth/permissions.js';
import { StaffCommandPermissions } from '../src/server/commands/table.js';
import { VirtualClock } from '../actors/clock.js';
import { apiAs } from './support/api.js';
import { apiRoutes } from '../src/server/api/routes.js';
import { PUBLIC } from '../src/server/api/route.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { runWorkspace } from '../src/workspace-commands.js';
import { capture } from './support/captured-output.js';

type Gated = keyof typeof StaffCommandPermissions;

/** A schema-valid frame of every gated command, naming things that do not exist (so nothing real changes). */
const samples: Record<Gated, Record<string, unknown>> = {
  status: { status: 'busy' },
  send: { conversationId: 'c-none', clientMsgId: 'm1', text: 'hi' },
  resume: { conversationId: 'c-none', lastSeq: 0 },
  resolve: { conversationId: 'c-none' },
  claim: { conversationId: 'c-none' },
  queue: { department: 'no-such-department' },
  accept: { conversationId: 'c-none' },
  decline: { conversationId: 'c-none', reason: 'busy' },
  explain: { conversationId: 'c-none' },
  typing: { conversationId: 'c-none', typing: true },
  read: { conversationId: 'c-none', seq: 1 },
  customer: { conversationId: 'c-none' },
  edit_customer: { conversationId: 'c-none', changes: { name: 'X' } },
  transfer: { conversationId: 'c-none', to: { agentId: 'nobody' }, note: 'n' },
  transfers: { conversationId: 'c-none' },
  recent_resolved: {},
  transfer_targets: {},
  note: { conversationId: 'c-none', text: 'n' },
  notes: { conversationId: 'c-none' },
  canned_list: {},
  canned_save: { scope: 'personal', title: 'T', text: 'x' },
  canned_delete: { cannedId: 'no-such-reply' },
  join: { conversationId: 'c-none' },
  part: { conversationId: 'c-none' },
  takeover: { conversationId: 'c-none' },
  monitor: { departments: ['no-such-department'] },
  unmonitor: {},
  monitor_departments: { departments: ['no-such-department'] },
  unmonitor_departments: {},
  loan: { agentId: 'nobody', department: 'no-such-department', minutes: 0 },
};

const frameOf = (type: Gated, id: number) => ({ type, id, ...samples[type] });
const commandTypes = Object.keys(StaffCommandPermissions) as Gated[];
const roleGate = (permission: Permission) => new RegExp(`needs ${permission.replace('.', '\\.')}$`);

t.test('ROLE-4: every staff command has a permission and a sample, and every sample is a valid frame', async (t) => {
  const gated = new Set<string>(commandTypes);
  for (const type of Object.keys(StaffCommands)) {
    if (type === 'signin' || type === 'ping') continue;
    t.ok(gated.has(type), `${type} names a permission`);
  }
  for (const type of commandTypes) {
    t.ok(
      Object.hasOwn(Permissions, StaffCommandPermissions[type]),
      `${type}: ${StaffCommandPermissions[type]} is in the table`,
    );
    const check = TypeCompiler.Compile(StaffCommands[type]);
    t.ok(
      check.Check(frameOf(type, 1)),
      `the ${type} sample passes the frame schema, so the matrix tests permissions, not schemas`,
    );
  }
});

t.test('ROLE-1 ROLE-2 ROLE-3: the table grants each role exactly what the spec gives it', async (t) => {
  const held = (role: string) =>
    (Object.keys(Permissions) as Permission[])
      .filter((p) => (Permissions[p].roles as readonly string[]).includes(role))
      .sort();
  const agent: Permission[] = [
    'account.self',
    'canned.use',
    'conversation.note',
    'conversation.serve',
    'conversation.transfer',
    'customer.edit',
    'customer.read',
  ];
  t.same(
    held('agent'),
    agent,
    'ROLE-1: agents chat, see and edit customers, transfer, note, use canned replies; no configuration, no supervision',
  );
  t.same(
    held('supervisor'),
    [
      ...agent,
      'canned.manage',
      'department.configure',
      'department.read',
      'reports.read',
      'staff.read',
      'supervise',
      'workspace.read',
    ].sort(),
    "ROLE-2: supervisors add supervision and their departments' settings",
  );
  t.same(held('admin'), (Object.keys(Permissions) as Permission[]).sort(), 'ROLE-3: admins hold everything');
  for (const p of ['supervise', 'department.configure', 'department.read', 'staff.read', 'reports.read'] as const)
    t.equal(Permissions[p].scope, 'department', `${p} reaches only the departments a supervisor leads`);
});

t.test(
  'ROLE-1 ROLE-2 ROLE-3 ROLE-4: command × role: exactly the roles the table names pass the role gate',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock(), autoMessages: false });
    const byRole = { agent: 'alice', supervisor: 'carol', admin: 'admin' } as const;
    let id = 1;
    for (const role of ROLES) {
      const client = await s.staff(byRole[role]);
      for (const type of commandTypes) {
        const permission = StaffCommandPermissions[type];
        const allowed = (Permissions[permission].roles as readonly string[]).includes(role);
        const answer = await client.commandRaw(frameOf(type, id++));
        const gated =
          answer.type === 'error' && answer.code === 'forbidden' && roleGate(permission).test(String(answer.message));
        t.equal(
          gated,
          !allowed,
          `${role} × ${type} (${permission}): ${allowed ? 'passes the role gate' : 'forbidden by role'}${allowed ? ` → ${String(answer.code ?? answer.type)}` : ''}`,
        );
      }
      await client.close();
    }
  },
);

t.test(
  'ROLE-4: without a valid session nothing but signin and ping is answered: no, forged and expired tokens',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock, sessionTimes: { accessTtlMs: 60_000, refreshTtlMs: 120_000 } });
    const refused = async (url: string) =>
      TestClient.connect(url).then(
        async (c) => (await c.close(), 0),
        (err: unknown) => Number(/upgrade refused: (\d+)/.exec(String(err))?.[1] ?? -1),
      );
    const { token } = await s.server.directory.deps.runtime
      .ask(s.server.directory.workspace, { type: 'findStaff', by: { id: 'alice' } })
      .then(() => s.server.directory.deps.runtime.ask(s.server.directory.sessions, { type: 'open', staffId: 'alice' }));
    t.equal(await refused(`${s.staffUrl}?token=forged-${token.slice(7)}`), 401, 'a forged token');
    await clock.advance(60_000);
    t.equal(await refused(`${s.staffUrl}?token=${encodeURIComponent(token)}`), 401, 'an expired token');

    const anonymous = await TestClient.connect(s.staffUrl);
    let id = 1;
    for (const type of commandTypes) {
      t.match(
        await anonymous.commandRaw(frameOf(type, id++)),
        { type: 'error', code: 'unauthorized' },
        `${type} without a sign-in`,
      );
    }
    t.match(
      await anonymous.command({ type: 'signin', token }),
      { type: 'error', code: 'unauthorized' },
      'signin with the expired token',
    );
    t.match(await anonymous.command({ type: 'ping' }), { type: 'ack' }, 'ping needs no sign-in');
    await anonymous.close();

    // The visitor endpoint knows no staff command at all.
    const visitor = await s.visitor();
    for (const type of commandTypes.filter((c) => !Object.hasOwn(VisitorCommands, c))) {
      t.match(
        await visitor.commandRaw(frameOf(type, id++)),
        { type: 'error', code: 'unknown_type' },
        `${type} on the visitor endpoint`,
      );
    }
    await visitor.close();
  },
);

t.test(
  'ROLE-1 ROLE-2 ROLE-3 MON-2: the report routes × role: agents refused, supervisors and admins pass',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock(), autoMessages: false });
    const reportRoutes = apiRoutes.filter((r) => r.path.startsWith('/reports/'));
    t.equal(reportRoutes.length, 3, 'summary, summary.csv, conversations.csv');
    for (const r of reportRoutes) {
      t.equal(r.permission, 'reports.read', `${r.path} needs reports.read`);
      const path = `${r.path}?from=2026-11-23&to=2026-11-23`;
      t.equal((await apiAs(s, 'alice')('get', path)).status, 403, `${r.path}: an agent is refused`);
      for (const who of ['carol', 'admin']) {
        const res = await fetch(`http://127.0.0.1:${s.server.port}/api/v1${path}`, {
          headers: { authorization: `Bearer ${s.cred(who).token}` },
        });
        await res.arrayBuffer();
        t.equal(res.status, 200, `${r.path}: ${who} passes`);
      }
    }
  },
);

t.test('CLUSTER-1 ROLE-4: every API route and staff entry refuses a real token of the other workspace', async (t) => {
  // A store with the default workspace and acme (with its first admin), served by one server.
  const dataDir = tempDataDir();
  await LmdbStore.open(dataDir).close();
  t.equal(
    await runWorkspace(['create', 'acme', '--data', dataDir, '--admin-email', 'ops@acme.example'], {}, capture()),
    0,
    'acme is created with an admin',
  );
  const s = await startTestServer(t, { dataDir, clock: new VirtualClock(), autoMessages: false });
  const open = async (workspace: string, staffId: string) => {
    const dir = s.server.workspaces.get(workspace)!.directory;
    return (await dir.deps.runtime.ask(dir.sessions, { type: 'open', staffId })).token;
  };
  const tokens = { default: await open('default', 'admin'), acme: await open('acme', 'admin') };
  const base = `http://127.0.0.1:${s.server.port}`;
  const gated = apiRoutes.filter((r) => r.permission !== PUBLIC);
  t.ok(gated.length > 20, `${gated.length} routes need a token`);
  for (const [holder, prefix] of [
    ['acme', ''],
    ['default', '/w/acme'],
  ] as const) {
    const wrong: string[] = [];
    for (const r of gated) {
      const path = `${prefix}/api/v1${r.path.replace(/:\w+/g, 'x')}`;
      const res = await fetch(`${base}${path}`, {
        method: r.method.toUpperCase(),
        headers: {
          authorization: `Bearer ${tokens[holder]}`,
          ...(r.body ? { 'content-type': 'application/json' } : {}),
        },
        ...(r.body ? { body: '{}' } : {}),
      });
      const body = (await res.json()) as { error?: { code?: string } };
      if (res.status !== 403 || body.error?.code !== 'wrong_workspace')
        wrong.push(`${r.method} ${path}: ${res.status}`);
    }
    t.same(
      wrong,
      [],
      `a ${holder} admin token: every one of the ${gated.length} routes under "${prefix || '/'}" answers 403 wrong_workspace`,
    );
    const staffUrl = `ws://127.0.0.1:${s.server.port}${prefix}/v1/staff`;
    const upgrade = await TestClient.connect(`${staffUrl}?token=${encodeURIComponent(tokens[holder])}`).then(
      async (c) => (await c.close(), 0),
      (err: unknown) => Number(/upgrade refused: (\d+)/.exec(String(err))?.[1] ?? -1),
    );
    t.equal(upgrade, 403, `its staff socket upgrade: 403`);
    const anonymous = await TestClient.connect(staffUrl);
    t.match(
      await anonymous.command({ type: 'signin', token: tokens[holder] }),
      { type: 'error', code: 'wrong_workspace', field: 'token' },
      'its signin frame: wrong_workspace',
    );
    await anonymous.close();
  }
  // Each token works where it was issued: the refusals above are about the workspace, not the token.
  for (const [holder, prefix] of [
    ['default', ''],
    ['acme', '/w/acme'],
  ] as const) {
    const res = await fetch(`${base}${prefix}/api/v1/departments`, {
      headers: { authorization: `Bearer ${tokens[holder]}` },
    });
    t.equal(res.status, 200, `the ${holder} token at home: 200`);
  }
});
