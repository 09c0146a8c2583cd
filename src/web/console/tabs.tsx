/**
 * The console's tabs by role: the agent desk for every staff member, the
 * supervisor workbench for supervisors and admins (SUP-*, ROLE-4: what a
 * role may not do is not offered). To add a tab, add an entry here.
 */
import type { ComponentType } from 'preact';
import type { StaffRole } from '../shared/staff-auth.js';
import { Desk } from './desk/desk.js';
import type { ConsoleSession } from './session.js';
import type { ConsoleKey } from './strings.js';
import { WorkbenchSlot } from './workbench-slot.js';

export interface ConsoleTab {
  id: string;
  label: ConsoleKey;
  roles: readonly StaffRole[];
  /** Alt+<key> switches to the tab. */
  key: string;
  view: ComponentType<{ session: ConsoleSession }>;
}

export const tabs: readonly ConsoleTab[] = [
  { id: 'desk', label: 'tabDesk', roles: ['agent', 'supervisor', 'admin'], key: '1', view: Desk },
  { id: 'workbench', label: 'tabWorkbench', roles: ['supervisor', 'admin'], key: '2', view: WorkbenchSlot },
];

export const tabsFor = (role: StaffRole): ConsoleTab[] => tabs.filter((t) => t.roles.includes(role));
