/** Departments over the admin API: the tree, routing settings, queue limits, hours, widening, supervisors (ROLE-2, ROLE-3). */
import type { Static } from '@sinclair/typebox';
import { ProtocolError } from '../../../protocol/errors.js';
import type { Directory } from '../../../actors/directory.js';
import { Keys } from '../../../actors/keyspace.js';
import type { DepartmentRecord } from '../../../actors/department/records.js';
import type { StaffRecord } from '../../../actors/agent/records.js';
import { supervisorsOf } from '../../../actors/workspace/configuration.js';
import type { DepartmentSettings } from '../../../actors/workspace/messages.js';
import { authorize } from '../../auth/permissions.js';
import { DEFAULT_POLICY } from '../../../actors/routing/decision.js';
import { route } from './route.js';
import { IdParams } from './schemas/common.js';
import { DepartmentCreate, DepartmentList, DepartmentPatch, DepartmentView } from './schemas/department.js';

type View = Static<typeof DepartmentView>;

const staffRecords = (dir: Directory): StaffRecord[] =>
  [...dir.deps.journal.records<StaffRecord>(Keys.allStaff)].map((r) => r.value);

/** The settings as stored, plus what is in force where nothing is stored and a client needs to see it: the policy. */
function view(dir: Directory, d: DepartmentRecord): View {
  return { ...(d as View), policy: d.policy ?? DEFAULT_POLICY, supervisors: supervisorsOf(staffRecords(dir), d.id) };
}

function find(dir: Directory, id: string): DepartmentRecord {
  const d = dir.departmentConfig(id);
  if (!d) throw new ProtocolError('not_found', `no department "${id}"`, 'path.id');
  return d;
}

export const departmentRoutes = [
  route({
    method: 'get',
    path: '/departments',
    permission: 'department.read',
    summary: 'Departments (supervisors: those they lead), in creation order; `parent` makes the tree',
    response: DepartmentList,
    handle: async (_in, { dir, caller }) => {
      const all = [...dir.deps.journal.records<DepartmentRecord>(Keys.departments)]
        .map((r) => r.value)
        .sort((a, b) => a.order - b.order);
      const mine = caller.role === 'admin' ? all : all.filter((d) => caller.departments.includes(d.id));
      return { departments: mine.map((d) => view(dir, d)) };
    },
  }),
  route({
    method: 'post',
    path: '/departments',
    permission: 'workspace.configure',
    summary: 'Create a department',
    status: '201 Created',
    body: DepartmentCreate,
    response: DepartmentView,
    handle: async ({ body }, { dir, audit }) => {
      const created = await dir.deps.runtime.ask(dir.workspace, { type: 'createDepartment', department: body });
      const after = view(dir, created);
      await audit({ action: 'department.create', target: { kind: 'department', id: created.id }, after });
      return after;
    },
  }),
  route({
    method: 'get',
    path: '/departments/:id',
    permission: 'department.read',
    department: (p) => p.id,
    summary: 'One department and its settings',
    params: IdParams,
    response: DepartmentView,
    handle: async ({ params }, { dir }) => view(dir, find(dir, params.id)),
  }),
  route({
    method: 'patch',
    path: '/departments/:id',
    permission: 'department.configure',
    department: (p) => p.id,
    summary:
      'Change a department: routing policy and every routing setting, queue limit, business hours, widening steps; `parent` and `supervisors` need an admin; null removes a setting',
    params: IdParams,
    body: DepartmentPatch,
    response: DepartmentView,
    handle: async ({ params, body }, { dir, caller, audit }) => {
      const before = view(dir, find(dir, params.id));
      const { supervisors, ...settings } = body;
      // Who leads a department and where it sits in the tree are the workspace's to decide (ROLE-3).
      if (supervisors !== undefined || settings.parent !== undefined) authorize(caller, 'workspace.configure');
      // Overflow sends this department's customers into another one: a supervisor must lead that one too.
      const overflowTo = settings.widening?.overflowTo;
      if (typeof overflowTo === 'string') authorize(caller, 'department.configure', overflowTo);
      const { runtime } = dir.deps;
      if (Object.keys(settings).length)
        await runtime.ask(dir.workspace, {
          type: 'configureDepartment',
          id: params.id,
          changes: settings as DepartmentSettings,
        });
      if (supervisors !== undefined)
        await runtime.ask(dir.workspace, { type: 'setSupervisors', department: params.id, staffIds: supervisors });
      const after = view(dir, find(dir, params.id));
      await audit({ action: 'department.configure', target: { kind: 'department', id: params.id }, before, after });
      return after;
    },
  }),
];
