/**
 * XFER-1, XFER-6, SUP-4 (issue 14, item 8): a transfer that moves a
 * conversation to another department reaches the one who sent it like one
 * within a department: the `transferring` message and the `transferred`
 * event, then the ack; the new department's `assigned` comes after the ack.
 */
import t from 'tap';
import { startTestServer, type TestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { TestClient, type Frame } from './support/client.js';
import { createStaffWithToken } from './support/staff.js';
import { agentOf, onlineNewAgent } from './support/routing.js';

const of = (conversationId: string) => (e: Frame) => e.conversationId === conversationId;

/** What the sender's connection got for the conversation from the transfer on, with the ack in its place. */
async function transferAndWatch(
  sender: TestClient,
  conversationId: string,
  to: { agentId: string } | { department: string },
): Promise<string[]> {
  const before = sender.events.length;
  const ack = await sender.command({ type: 'transfer', conversationId, to, note: 'over to you' });
  if (ack.type !== 'ack') throw new Error(`the transfer was refused: ${JSON.stringify(ack)}`);
  const atAck = sender.events.length;
  // Later frames (routing in the new department) may follow the ack; give them a moment to arrive.
  await new Promise((r) => setTimeout(r, 300));
  const line = (e: Frame) => (e.type === 'message' ? `message:${String(e.auto ?? 'text')}` : e.type);
  const got = sender.events.slice(before).filter(of(conversationId));
  const beforeAck = sender.events.slice(before, atAck).filter(of(conversationId)).length;
  return [...got.slice(0, beforeAck).map(line), 'ACK', ...got.slice(beforeAck).map(line)];
}

async function servedByAnn(s: TestServer) {
  const ann = await onlineNewAgent(s, {
    id: 'ann',
    name: 'Ann',
    departments: ['pre-sales'],
    crossDepartmentTransfer: true,
  });
  const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'my parcel never arrived' });
  await ann.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
  return { ann, v, conversationId };
}

t.test(
  'XFER-1 XFER-6: an agent transferring to a colleague in another department gets transferring and transferred, then the ack',
  async (t) => {
    const s = await startTestServer(t);
    const { ann, conversationId } = await servedByAnn(s);
    const bea = await onlineNewAgent(s, { id: 'bea', name: 'Bea', departments: ['after-sales'] });
    const seen = await transferAndWatch(ann, conversationId, { agentId: 'bea' });
    t.same(
      seen,
      ['message:transferring', 'transferred', 'ACK'],
      'the same frames as within one department, and nothing after she let go',
    );
    await bea.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId && agentOf(e) === 'bea');
  },
);

t.test(
  'XFER-1 XFER-6: an agent transferring to another department gets transferring and transferred, then the ack',
  async (t) => {
    const s = await startTestServer(t);
    const { ann, conversationId } = await servedByAnn(s);
    const bea = await onlineNewAgent(s, { id: 'bea', name: 'Bea', departments: ['after-sales'] });
    const seen = await transferAndWatch(ann, conversationId, { department: 'after-sales' });
    t.same(seen, ['message:transferring', 'transferred', 'ACK'], 'the transfer events, then the ack');
    await bea.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId && agentOf(e) === 'bea');
  },
);

t.test(
  'XFER-1 XFER-6 SUP-4: a supervisor of both departments transferring to the other one gets the ack before the new assigned',
  async (t) => {
    const s = await startTestServer(t);
    const { conversationId } = await servedByAnn(s);
    const _bea = await onlineNewAgent(s, { id: 'bea', name: 'Bea', departments: ['after-sales'] });
    const carol = await s.staff('carol');
    await carol.resumeAll(conversationId, 0);
    const seen = await transferAndWatch(carol, conversationId, { department: 'after-sales' });
    // Carol leads after-sales too, so she goes on following it there.
    t.same(
      seen,
      ['message:transferring', 'transferred', 'ACK', 'assigned', 'message:agent_joined'],
      'ack of the command first, then the routing it caused',
    );
  },
);

t.test(
  'XFER-1 XFER-6 SUP-4: a supervisor of one department transferring to another gets transferred, then the ack, and stops following',
  async (t) => {
    const s = await startTestServer(t);
    const { conversationId } = await servedByAnn(s);
    const _bea = await onlineNewAgent(s, { id: 'bea', name: 'Bea', departments: ['after-sales'] });
    const token = await createStaffWithToken(s.server.directory, {
      id: 'sue',
      name: 'Sue',
      role: 'supervisor',
      departments: ['pre-sales'],
    });
    const sue = await TestClient.connect(`${s.staffUrl}?token=${encodeURIComponent(token)}`);
    await sue.resumeAll(conversationId, 0);
    const seen = await transferAndWatch(sue, conversationId, { department: 'after-sales' });
    t.same(
      seen,
      ['message:transferring', 'transferred', 'ACK'],
      'the transfer events, then the ack, nothing of after-sales',
    );
  },
);
