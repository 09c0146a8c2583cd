/**
 * Which supervision actions the workbench offers (ROLE-4 on the client
 * side). It offers only what the server's permission table would allow, so
 * an agent never sees a supervisor's button; the server still checks every
 * command, and the workbench shows its refusal when it comes anyway.
 *
 * Supervisors act on their own departments (the wall shows no others) and
 * admins on every department. An action that makes no sense for the
 * conversation's state (joining one you serve, parting one you never
 * joined) is not offered either.
 */
import type { StaffRole } from '../../../../protocol/vocabulary.js';

export const SupervisionActions = ['watch', 'join', 'part', 'takeover', 'reassign'] as const;
export type SupervisionAction = (typeof SupervisionActions)[number];

export interface Viewer {
  id: string;
  role: StaffRole;
  /** The departments of the viewer's account (a supervisor leads these). */
  departments: readonly string[];
}

/** Whether the viewer gets the workbench at all (agents do not: ROLE-2, ROLE-4). */
export const mayUseWorkbench = (viewer: Pick<Viewer, 'role'>): boolean => viewer.role !== 'agent';

/** Whether the viewer supervises `department` (admins: every department). */
export function supervises(viewer: Viewer, department: string): boolean {
  if (viewer.role === 'admin') return true;
  return viewer.role === 'supervisor' && viewer.departments.includes(department);
}

export interface ConversationFacts {
  department: string;
  status: string;
  agentId: string | undefined;
  /** Whether the viewer has joined it (known from its `joined` / `parted` events). */
  joined: boolean;
}

/** The actions offered on one conversation, in the order the buttons show. */
export function conversationActions(viewer: Viewer, c: ConversationFacts): SupervisionAction[] {
  if (!mayUseWorkbench(viewer) || !supervises(viewer, c.department) || c.status === 'resolved') return [];
  const serving = c.agentId === viewer.id;
  const actions: SupervisionAction[] = ['watch'];
  if (!serving && !c.joined) actions.push('join');
  if (c.joined) actions.push('part');
  if (!serving) actions.push('takeover');
  actions.push('reassign');
  return actions;
}

/** Whether the viewer may lend an agent listed in `agentDepartments` (a supervisor of one of them; admins any). */
export function mayLend(viewer: Viewer, agentDepartments: readonly string[]): boolean {
  if (viewer.role === 'admin') return true;
  return viewer.role === 'supervisor' && agentDepartments.some((d) => viewer.departments.includes(d));
}
