/**
 * The set-ups most integration tests begin with, written once: a demo agent online, a visitor with an
 * open conversation, and the two together (a conversation the agent serves).
 */
import type { TestServer } from './server.js';
import type { ClientOptions, TestClient } from './client.js';
import type { StartFrame } from '../../protocol/frames.js';

type StartFields = Omit<StartFrame, 'type' | 'id'>;

/** A demo staff member (`alice`, `bob`, `carol`, `admin`) connected by token and set online. */
export async function onlineAgent(s: TestServer, id: string, opts?: ClientOptions): Promise<TestClient> {
  const agent = await s.staff(id, opts);
  await agent.ok({ type: 'status', status: 'online' });
  return agent;
}

export interface OpenConversation {
  v: TestClient;
  conversationId: string;
  visitorId: string;
}

/** A visitor (new, or returning as `visitorId`) says hello and starts a conversation. */
export async function openConversation(
  s: TestServer,
  start: StartFields = {},
  visitorId?: string,
  opts?: ClientOptions,
): Promise<OpenConversation> {
  const v = await s.visitor(opts);
  const hello = await v.ok({ type: 'hello', ...(visitorId ? { visitorId } : {}) });
  const r = await v.ok({ type: 'start', ...start });
  return { v, conversationId: r.conversationId as string, visitorId: hello.visitorId as string };
}

/** `agent` (online) and a new visitor's conversation assigned to them, both having seen `assigned`. */
export async function servedConversation(
  s: TestServer,
  agent: TestClient,
  start: StartFields = {},
): Promise<OpenConversation> {
  const opened = await openConversation(s, start);
  const assigned = (e: { type: string; conversationId?: unknown }) =>
    e.type === 'assigned' && e.conversationId === opened.conversationId;
  await agent.waitFor(assigned);
  await opened.v.waitFor(assigned);
  return opened;
}
