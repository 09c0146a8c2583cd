/** Helpers shared by the routing integration tests: configure departments and add agents (conversations: conversations.ts). */
import type { TestServer } from './server.js';
import { TestClient, type Frame } from './client.js';
import { createStaffWithToken } from './staff.js';
import type { DepartmentSettings } from '../../actors/workspace/messages.js';
import type { StaffRecord } from '../../actors/agent/records.js';

export const configure = (s: TestServer, id: string, changes: DepartmentSettings) =>
  s.server.directory.deps.runtime.ask(s.server.directory.workspace, { type: 'configureDepartment', id, changes });

/** Creates an agent through the workspace actor and connects them by token (still offline). */
export async function newAgent(
  s: TestServer,
  staff: Omit<StaffRecord, 'email' | 'passwordHash' | 'role'>,
): Promise<TestClient> {
  const token = await createStaffWithToken(s.server.directory, { ...staff, role: 'agent' });
  return TestClient.connect(`${s.staffUrl}?token=${encodeURIComponent(token)}`);
}

/** `newAgent`, then set online. */
export async function onlineNewAgent(
  s: TestServer,
  staff: Omit<StaffRecord, 'email' | 'passwordHash' | 'role'>,
): Promise<TestClient> {
  const agent = await newAgent(s, staff);
  await agent.ok({ type: 'status', status: 'online' });
  return agent;
}

export const agentOf = (e: Frame): string => (e.agent as { id: string }).id;
