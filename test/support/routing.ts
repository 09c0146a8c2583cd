/** Helpers shared by the routing integration tests: configure departments, add agents, open conversations. */
import type { TestServer } from './server.js';
import { TestClient, type Frame } from './client.js';
import { createStaffWithToken } from './staff.js';
import type { DepartmentSettings } from '../../actors/workspace/messages.js';
import type { StaffRecord } from '../../actors/records.js';

export const configure = (s: TestServer, id: string, changes: DepartmentSettings) =>
  s.server.directory.deps.runtime.ask(s.server.directory.workspace, { type: 'configureDepartment', id, changes });

/** Creates an agent through the workspace actor and connects them by token (still offline). */
export async function newAgent(s: TestServer, staff: Omit<StaffRecord, 'email' | 'passwordHash' | 'role'>): Promise<TestClient> {
  const token = await createStaffWithToken(s.server.directory, { ...staff, role: 'agent' });
  return TestClient.connect(`${s.staffUrl}?token=${encodeURIComponent(token)}`);
}

/** A visitor (new, or returning as `visitorId`) says hello and starts a conversation. */
export async function open(s: TestServer, start: Record<string, unknown>, visitorId?: string): Promise<{ v: TestClient; conversationId: string; visitorId: string }> {
  const v = await s.visitor();
  const hello = await v.ok({ type: 'hello', ...(visitorId ? { visitorId } : {}) });
  const r = await v.ok({ type: 'start', ...start });
  return { v, conversationId: r.conversationId as string, visitorId: hello.visitorId as string };
}

export const agentOf = (e: Frame): string => (e.agent as { id: string }).id;
