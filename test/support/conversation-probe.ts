/** A visitor's conversation with one message, and reading it back: for tests about what a store keeps across processes. */
import { TestClient } from './client.js';
import type { ServerProcess } from './process.js';

const visitorUrl = (p: ServerProcess) => `ws://127.0.0.1:${p.port}/v1/visitor`;

/** A visitor's conversation with one message in it; returns its ids for a later look. */
export async function converse(p: ServerProcess, text: string): Promise<{ visitorId: string; conversationId: string }> {
  const v = await TestClient.connect(visitorUrl(p));
  const { visitorId } = (await v.ok({ type: 'hello' })) as { visitorId: string };
  const { conversationId } = (await v.ok({ type: 'start', department: 'pre-sales' })) as { conversationId: string };
  await v.ok({ type: 'send', conversationId, clientMsgId: 'm1', text });
  await v.close();
  return { visitorId, conversationId };
}

/** The texts of the visitor's own message ('m1') in the conversation, read back through a resume from 0. */
export async function messagesOf(p: ServerProcess, visitorId: string, conversationId: string): Promise<unknown[]> {
  const v = await TestClient.connect(visitorUrl(p));
  await v.ok({ type: 'hello', visitorId });
  await v.resumeAll(conversationId, 0);
  // The visitor's own message (automatic greetings are messages too).
  const texts = v
    .conversationEvents(conversationId)
    .filter((e) => e.type === 'message' && e.clientMsgId === 'm1')
    .map((e) => e.text);
  await v.close();
  return texts;
}
