/**
 * XFER-1, XFER-5: `transfer_targets` gives the transfer dialog its choices:
 * every department with its agents' status and load and its queue, and the
 * caller's transfers left today, counted down by each transfer made.
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { onlineAgent, servedConversation } from './support/conversations.js';

interface Targets {
  departments: {
    department: string;
    name: string;
    queueLength: number;
    agents: { agentId: string; status: string; active: number; max: number }[];
  }[];
  tags: string[];
  transfers: { used: number; limit?: number; left?: number; crossDepartments: boolean };
}

t.test(
  'XFER-1, XFER-5: transfer_targets lists departments with agents status and load, and the transfers left',
  async (t) => {
    const s = await startTestServer(t);
    const alice = await onlineAgent(s, 'alice');
    const carol = await onlineAgent(s, 'carol');
    const first = (await alice.ok({ type: 'transfer_targets' })) as unknown as Targets;
    t.same(
      first.departments.map((d) => d.department),
      ['pre-sales', 'after-sales'],
      'every department, in order',
    );
    const pre = first.departments[0]!;
    t.equal(pre.name, 'Pre-sales');
    t.match(
      pre.agents.find((a) => a.agentId === 'carol'),
      { status: 'online', active: 0, max: 5 },
      "a colleague's status and load",
    );
    t.same(first.transfers, { used: 0, limit: 10, left: 10, crossDepartments: false }, 'an agent: 10 a day, none used');
    t.same(first.tags, ['billing', 'technical', 'shipping', 'angry', 'vip'], "the workspace's tags");
    const { conversationId } = await servedConversation(s, alice);
    await alice.ok({ type: 'transfer', conversationId, to: { agentId: 'carol' }, note: 'over to you' });
    await carol.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
    const after = (await alice.ok({ type: 'transfer_targets' })) as unknown as Targets;
    t.match(after.transfers, { used: 1, left: 9 }, 'one transfer counted');
    const carolNow = (await carol.ok({ type: 'transfer_targets' })) as unknown as Targets;
    t.match(
      carolNow.departments[0]!.agents.find((a) => a.agentId === 'carol'),
      { active: 1 },
      'the load follows the transfer',
    );
    t.same(carolNow.transfers, { used: 0, crossDepartments: true }, 'a supervisor: no limit, any department');
  },
);
