/** Staff accounts over the admin API (ROLE-3): routing fields reach the running agent actor at once. */
import type { Static } from '@sinclair/typebox';
import { ProtocolError } from '../../../protocol/errors.js';
import type { Directory } from '../../../actors/directory.js';
import { Keys } from '../../../actors/keyspace.js';
import type { StaffRecord } from '../../../actors/agent/records.js';
import type { StaffChanges } from '../../../actors/workspace/messages.js';
import { hashPassword } from '../../auth/passwords.js';
import { route, type StaffCaller } from './route.js';
import { IdParams } from './schemas/common.js';
import { StaffCreate, StaffList, StaffPatch, StaffView } from './schemas/staff.js';

type View = Static<typeof StaffView>;

/** What readers see: no password or token hashes; the live status and load when the agent actor runs. */
async function view(dir: Directory, st: StaffRecord): Promise<View> {
  const { passwordHash: _p, ...rest } = st;
  const agent = dir.agent(st.id);
  if (!agent) return rest;
  const live = await dir.deps.runtime.ask(agent, { type: 'describe' });
  return { ...rest, live: { status: live.status, active: live.active, max: live.max } };
}

/** Supervisors see the staff of the departments they lead (ROLE-2); others are as unknown as missing ones. */
const visible = (caller: StaffCaller, st: StaffRecord): boolean =>
  caller.role === 'admin' || st.departments.some((d) => caller.departments.includes(d));

function find(dir: Directory, caller: StaffCaller, id: string): StaffRecord {
  const st = dir.deps.journal.getRecord<StaffRecord>(Keys.staff(id));
  if (!st || !visible(caller, st)) throw new ProtocolError('not_found', `no staff member "${id}" of yours`, 'path.id');
  return st;
}

export const staffRoutes = [
  route({
    method: 'get',
    path: '/staff',
    permission: 'staff.read',
    summary: 'Staff accounts (supervisors: those of the departments they lead), with live status and load',
    response: StaffList,
    handle: async (_in, { dir, caller }) => {
      const all = [...dir.deps.journal.records<StaffRecord>(Keys.allStaff)]
        .map((r) => r.value)
        .filter((st) => visible(caller, st));
      return { staff: await Promise.all(all.map((st) => view(dir, st))) };
    },
  }),
  route({
    method: 'post',
    path: '/staff',
    permission: 'staff.manage',
    summary: 'Create a staff account with a password (stored as an scrypt hash); it signs in with email and password',
    status: '201 Created',
    body: StaffCreate,
    response: StaffView,
    handle: async ({ body }, { dir, audit }) => {
      const { password, ...fields } = body;
      // The account signs in with its password (POST /auth/signin).
      const staff: StaffRecord = { ...fields, passwordHash: await hashPassword(password) };
      await dir.deps.runtime.ask(dir.workspace, { type: 'createStaff', staff });
      const after = await view(dir, staff);
      await audit({
        action: 'staff.create',
        target: { kind: 'staff', id: staff.id },
        after: { ...after, live: undefined },
      });
      return after;
    },
  }),
  route({
    method: 'get',
    path: '/staff/:id',
    permission: 'staff.read',
    summary: 'One staff account, with live status and load',
    params: IdParams,
    response: StaffView,
    handle: async ({ params }, { dir, caller }) => view(dir, find(dir, caller, params.id)),
  }),
  route({
    method: 'patch',
    path: '/staff/:id',
    permission: 'staff.manage',
    summary:
      'Change a staff account: role, departments, skills, tier, weight, capacity, cross-department transfers, password, status; null removes a setting',
    params: IdParams,
    body: StaffPatch,
    response: StaffView,
    handle: async ({ params, body }, { dir, caller, audit }) => {
      find(dir, caller, params.id);
      const { status, password, ...fields } = body;
      const changes: StaffChanges = {
        ...fields,
        ...(password !== undefined ? { passwordHash: await hashPassword(password) } : {}),
      };
      const { runtime } = dir.deps;
      let before: StaffRecord | undefined;
      if (Object.keys(changes).length)
        before = (await runtime.ask(dir.workspace, { type: 'configureStaff', id: params.id, changes })).before;
      // ROLE-4: a password set by an admin (a reset) ends every session of theirs, open consoles included.
      const revoked =
        password !== undefined
          ? (await runtime.ask(dir.sessions, { type: 'revokeAll', staffId: params.id })).revoked
          : 0;
      const agent = dir.agent(params.id);
      const beforeStatus =
        agent && status !== undefined ? (await runtime.ask(agent, { type: 'describe' })).status : undefined;
      if (agent && status !== undefined) await runtime.ask(agent, { type: 'setStatus', status });
      const after = await view(dir, find(dir, caller, params.id));
      const { passwordHash: _p, ...shownBefore } = before ?? { passwordHash: '' };
      await audit({
        action: 'staff.configure',
        target: { kind: 'staff', id: params.id },
        before: { ...shownBefore, ...(beforeStatus ? { status: beforeStatus } : {}) },
        after: { ...after, live: undefined, ...(status !== undefined ? { status: after.live?.status } : {}) },
        ...(password !== undefined ? { detail: { passwordChanged: true, sessionsRevoked: revoked } } : {}),
      });
      return after;
    },
  }),
];
