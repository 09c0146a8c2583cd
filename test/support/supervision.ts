/**
 * What the supervision tests (supervision*.test.ts) share: staff of any role, a server that restarts on
 * the same data, and predicates over the live view's and the conversations' frames.
 */
import { rmSync } from 'node:fs';
import { startTestServer, tempDataDir, type TestServer } from './server.js';
import { TestClient, type Frame } from './client.js';
import { agentOf } from './routing.js';
import { createStaffWithToken } from './staff.js';
import { VirtualClock } from '../../actors/clock.js';
import type { StaffRole } from '../../actors/agent/records.js';

/** Real time for frames in flight to arrive; virtual time does not move. */
export const pause = (ms = 80) => new Promise((r) => setTimeout(r, ms));

/** Creates a staff member of any role through the workspace actor; returns their sign-in token. */
export async function createStaff(
  s: TestServer,
  staff: { id: string; name: string; role: StaffRole; departments: string[] },
): Promise<string> {
  return createStaffWithToken(s.server.directory, staff);
}

export const connectStaff = (s: TestServer, token: string) =>
  TestClient.connect(`${s.staffUrl}?token=${encodeURIComponent(token)}`);

/** A server whose data directory outlives it: `restart` starts another on the same data, at the same virtual time. */
export async function restartableServer() {
  const dataDir = tempDataDir();
  let clock = new VirtualClock();
  let server = await startTestServer({ clock, dataDir, keepData: true });
  let running = true;
  return {
    get s(): TestServer {
      return server;
    },
    get clock(): VirtualClock {
      return clock;
    },
    async restart(): Promise<void> {
      running = false;
      await server.stop();
      clock = new VirtualClock(clock.now());
      server = await startTestServer({ clock, dataDir, keepData: true });
      running = true;
    },
    async dispose(): Promise<void> {
      if (running) await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Summary = {
  conversationId: string;
  department: string;
  status: string;
  visitorId: string;
  agentId?: string;
};
export const listed = (r: Record<string, unknown>): Summary[] => r.conversations as Summary[];
export const updateOf = (conversationId: string, event?: string) => (e: Frame) =>
  e.type === 'conversation_update' &&
  (e.conversation as Summary).conversationId === conversationId &&
  (event === undefined || e.event === event);
export const updatesOf = (c: TestClient, conversationId: string): Frame[] => c.events.filter(updateOf(conversationId));
export const assignedIn = (conversationId: string, agentId?: string) => (e: Frame) =>
  e.type === 'assigned' && e.conversationId === conversationId && (agentId === undefined || agentOf(e) === agentId);
export const resolvedIn = (conversationId: string) => (e: Frame) =>
  e.type === 'resolved' && e.conversationId === conversationId;
export const messageWith = (text: string) => (e: Frame) => e.type === 'message' && e.text === text;
/** The agent_status frames a client received after the event at `index`. */
export const statusAfter = (c: TestClient, index: number) => (e: Frame) =>
  e.type === 'agent_status' && c.events.indexOf(e) > index;
