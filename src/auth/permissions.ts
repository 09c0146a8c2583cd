/**
 * ROLE-4: the one permission table. Every staff WebSocket command and every
 * HTTP route names the permission it needs (in the command table,
 * src/server/commands/table.ts, and the route table), and a permission says
 * which roles hold it and how far it reaches:
 *
 * - `self`: the caller's own account and work (their conversations are
 *   further checked by the conversation actor's reader/writer rule);
 * - `department`: supervisors only within the departments they lead, admins
 *   everywhere (ROLE-2);
 * - `workspace`: the whole workspace (ROLE-3).
 *
 * The role gate is checked here, before a command reaches an actor; the
 * department scope is checked where the department is known (the route's
 * parameter, or the conversation's department in its actor).
 */
import { ProtocolError } from '../../protocol/errors.js';
import { StaffRoles, type StaffRole } from '../../protocol/vocabulary.js';

/** The roles, from the protocol's one list (protocol/vocabulary.ts). */
export const ROLES = StaffRoles;

export type Scope = 'self' | 'department' | 'workspace';

interface PermissionRule {
  roles: readonly StaffRole[];
  scope: Scope;
  /** What it allows, for docs/http-api.md and the OpenAPI document. */
  about: string;
}

const everyone = ROLES;
const supervisors = ['supervisor', 'admin'] as const;
const admins = ['admin'] as const;

export const Permissions = {
  'account.self': {
    roles: everyone,
    scope: 'self',
    about: "sign out, change one's own password, read one's own account, set one's own status",
  },
  'conversation.serve': {
    roles: everyone,
    scope: 'self',
    about:
      "chat in the conversations one serves, read their history, accept, decline, claim from one's queues, resolve (ROLE-1)",
  },
  'customer.read': {
    roles: everyone,
    scope: 'self',
    about: 'read the profile and history of a customer one serves (ROLE-1, CUST-2)',
  },
  'customer.edit': {
    roles: everyone,
    scope: 'self',
    about: 'edit the profile of a customer one serves; the VIP flag needs a supervisor (CUST-3)',
  },
  'conversation.transfer': {
    roles: everyone,
    scope: 'self',
    about: "transfer a conversation one serves, within one's departments unless granted (ROLE-1, XFER-8)",
  },
  'conversation.note': { roles: everyone, scope: 'self', about: 'write and read internal notes (SUP-5)' },
  'canned.use': {
    roles: everyone,
    scope: 'self',
    about: 'list canned replies, keep personal ones; workspace ones need a supervisor (CONV-3)',
  },
  supervise: {
    roles: supervisors,
    scope: 'department',
    about: 'live view, silent watch, join, take over, re-assign, lend agents (SUP-1…4)',
  },
  'department.read': {
    roles: supervisors,
    scope: 'department',
    about: "read departments' settings and members (ROLE-2)",
  },
  'department.configure': {
    roles: supervisors,
    scope: 'department',
    about: 'change the routing settings of the departments one leads (ROLE-2)',
  },
  'staff.read': {
    roles: supervisors,
    scope: 'department',
    about: "read staff accounts of one's departments (admins: all)",
  },
  'reports.read': {
    roles: supervisors,
    scope: 'department',
    about: "read the reports and their CSV exports of one's departments (admins: all; MON-2)",
  },
  'canned.manage': { roles: supervisors, scope: 'workspace', about: "write the workspace's canned replies (CONV-3)" },
  'workspace.read': {
    roles: supervisors,
    scope: 'workspace',
    about: 'read workspace settings, tags and keyword rules',
  },
  'workspace.configure': {
    roles: admins,
    scope: 'workspace',
    about: 'workspace settings, departments, keyword rules, tags, transfer limits, canned replies (ROLE-3)',
  },
  'staff.manage': {
    roles: admins,
    scope: 'workspace',
    about: 'create staff, change roles, departments, skills, tier, capacity, reset passwords (ROLE-3)',
  },
  'audit.read': { roles: admins, scope: 'workspace', about: 'read the audit log (ROLE-5)' },
  'routing.test': {
    roles: admins,
    scope: 'workspace',
    about: 'run the routing dry run of the conversation test page, which reads every department live (MON-4)',
  },
  'backup.download': {
    roles: admins,
    scope: 'workspace',
    about: 'download a consistent copy of the whole store (OPS-3)',
  },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof Permissions;

export interface Principal {
  role: StaffRole;
  departments?: readonly string[];
}

/** Whether the role holds the permission at all (the department scope aside). */
export function holds(principal: Principal, permission: Permission): boolean {
  return (Permissions[permission].roles as readonly StaffRole[]).includes(principal.role);
}

/**
 * Refuses with `forbidden` unless the principal holds the permission and, for
 * a department-scoped one given a department, leads that department (admins
 * reach every department).
 */
export function authorize(principal: Principal, permission: Permission, department?: string): void {
  if (!holds(principal, permission))
    throw new ProtocolError('forbidden', `your role (${principal.role}) may not do this: it needs ${permission}`);
  if (department === undefined || principal.role === 'admin' || Permissions[permission].scope !== 'department') return;
  if (!(principal.departments ?? []).includes(department))
    throw new ProtocolError('forbidden', `you do not lead department "${department}"`, 'department');
}
