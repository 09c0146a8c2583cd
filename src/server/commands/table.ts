/**
 * THE command table of the WebSocket protocol: every command of both
 * endpoints is here, once per audience that may send it, each naming its
 * permission and audit rule. The dispatcher, the permission matrix and the
 * tests all read this one list.
 */
import type { Permission } from '../../auth/permissions.js';
import type { Audience, Command, FrameType } from './command.js';
import { handshakeCommands } from './handshake.js';
import { visitorCommands } from './visitor.js';
import { staffCommands } from './staff.js';
import { superviseCommands } from './supervise.js';

export const commandTable: readonly Command[] = [
  ...handshakeCommands,
  ...visitorCommands,
  ...staffCommands,
  ...superviseCommands,
];

/** An audience's commands by frame type; a type listed twice is a bug found at start-up. */
export function commandsOf(audience: Audience, table: readonly Command[] = commandTable): ReadonlyMap<string, Command> {
  const byType = new Map<string, Command>();
  for (const c of table) {
    if (c.audience !== audience) continue;
    if (byType.has(c.type)) throw new Error(`command table: "${c.type}" is listed twice for ${audience}`);
    byType.set(c.type, c);
  }
  return byType;
}

/** ROLE-4: the permission each staff command needs, read from the table (for the permission matrix and docs). */
export function staffCommandPermissions(table: readonly Command[] = commandTable): Record<string, Permission> {
  const out: Record<string, Permission> = {};
  for (const c of commandsOf('staff', table).values()) {
    if (c.permission !== 'handshake' && c.permission !== 'visitor') out[c.type] = c.permission;
  }
  return out;
}

/** Every staff command but the handshake's (`signin`, `ping`), which come before (or without) a principal. */
export type GatedStaffCommand = Exclude<FrameType<'staff'>, 'signin' | 'ping'>;

/** The permission of every gated staff command, as the table names it. */
export const StaffCommandPermissions = staffCommandPermissions() as Record<GatedStaffCommand, Permission>;
