/**
 * Issue 15: what one new conversation's life costs, from the widget's hello
 * to the resolve: the store's transactions (with the writes each carried)
 * and the frames each party receives (with their sizes). The counts are
 * pinned, so a change that adds a commit or a frame to this path shows up
 * here; the table goes to test-artifacts/ for docs/performance.md.
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from './support/server.js';
import { onlineAgent } from './support/conversations.js';
import type { Frame } from './support/client.js';
import { CommitTrace } from './support/commit-trace.js';
import { traceFrames, type TracedFrame } from './support/frame-trace.js';
import { artifactsDir } from './support/browser.js';
import { VirtualClock } from '../actors/clock.js';

const TEXT = 'Hi, I need help with my order, please.';

const summary = (frames: TracedFrame[]): string[] =>
  frames.map((f) => `${f.type}${f.detail ? `/${f.detail}` : ''} ${f.bytes} B`);

t.test(
  'OPS-1, CONV-4, ROUTE-16: a new conversation from hello to resolve: its commits, their writes, and the frames of each party',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const agent = await onlineAgent(s, 'alice', { binary: true });
    const visitor = await s.visitor({ binary: true });
    await s.server.store.flush();
    const trace = new CommitTrace(s.server.store);
    t.teardown(() => trace.stop());
    const txnBefore = s.server.store.lastTransactionId();
    const toAgent = traceFrames(agent);
    const toVisitor = traceFrames(visitor);

    await visitor.ok({ type: 'hello' });
    const started = await visitor.ok({ type: 'start', text: TEXT });
    const conversationId = started.conversationId as string;
    const ofIt = (type: string) => (e: Frame) => e.type === type && e.conversationId === conversationId;
    await agent.waitFor(ofIt('assigned'));
    await visitor.waitFor(ofIt('assigned'));
    await agent.ok({ type: 'resolve', conversationId });
    await visitor.waitFor((e) => e.type === 'message' && e.auto === 'survey');
    await trace.settle();
    const transactions = s.server.store.lastTransactionId() - txnBefore;

    const table = {
      commits: trace.commits.map((c) => c.writes),
      transactions,
      visitor: summary(toVisitor),
      agent: summary(toAgent),
      visitorBytes: toVisitor.reduce((n, f) => n + f.bytes, 0),
      agentBytes: toAgent.reduce((n, f) => n + f.bytes, 0),
    };
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(join(artifactsDir, 'new-conversation-cost.json'), `${JSON.stringify(table, null, 2)}\n`);
    t.comment(JSON.stringify(table, null, 2));

    t.ok(
      transactions <= trace.commits.length,
      'no transaction but the traced batches (lmdb-js may join batches into one)',
    );
    // Pinned: the create, the assignment and the resolve each commit their events in one transaction.
    const withEvent = (type: string) => trace.commits.filter((c) => c.writes.includes(`event ${type}`));
    t.same(
      withEvent('created')[0]?.writes.filter((w) => w.startsWith('event')),
      ['event created', 'event message', 'event message/welcome'],
    );
    t.same(
      withEvent('assigned')[0]?.writes.filter((w) => w.startsWith('event')),
      ['event assigned', 'event message/agent_joined'],
    );
    t.same(
      withEvent('resolved')[0]?.writes.filter((w) => w.startsWith('event')),
      ['event resolved', 'event message/resolved', 'event message/survey'],
    );
    // MON-2 occupancy: load changes go to the presence stream a second after the first of them, together.
    t.equal(
      trace.commits.flatMap((c) => c.writes).filter((w) => w === 'event presence').length,
      0,
      'no presence written within the second: slot taken and given back wait together',
    );
    t.ok(trace.commits.length <= 6, `at most six batches in all (${trace.commits.length})`);
    // MON-2: the reports write a conversation's track once per batch, whatever the number of its events in it.
    t.same(
      trace.commits.map((c) => c.writes.filter((w) => w === 'record report-conv').length).filter((n) => n > 1),
      [],
      'no batch writes the track twice',
    );
    t.equal(
      trace.commits.flatMap((c) => c.writes).filter((w) => w === 'record agent-stats').length,
      1,
      "the agent's figures stored once, with the resolve's slot given back",
    );
    const commits = trace.commits.length;
    await clock.advance(1000);
    await trace.settle();
    t.same(
      trace.commits.slice(commits).map((c) => c.writes),
      [['event presence', 'record report-presence', 'record report-hour']],
      'a second on, one presence event for both load changes (and the second of online time it closes)',
    );
    t.equal(toVisitor.length, 10, 'the visitor: two acks and eight events');
    t.same(
      toAgent.map((f) => f.type).sort(),
      ['ack', 'agent_status', 'agent_status', 'assigned', 'message', 'message', 'message', 'resolved'],
      'the agent: one agent_status as the slot is taken, one as it is given back',
    );
  },
);

t.test(
  'ROUTE-11, OPS-1: an assignment that reaches a conversation with nothing stored (its create failed or was lost) gives the slot back and stores nothing',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const agent = await onlineAgent(s, 'alice');
    const dir = s.server.directory;
    const { runtime } = dir.deps;
    const alice = dir.agent('alice');
    if (!alice) throw new Error('no agent actor for alice');
    const conversationId = 'c-never-stored';
    const answer = await new Promise<string>((resolve) =>
      runtime.tell(alice, { type: 'offer', conversationId, departmentId: 'pre-sales', manual: true, reply: resolve }),
    );
    t.equal(answer, 'accepted', 'the slot is reserved');
    await agent.waitFor((e) => e.type === 'agent_status' && e.active === 1);
    agent.events.splice(0);
    runtime.tell(dir.conversationRef(conversationId), {
      type: 'assign',
      agentId: 'alice',
      agentName: 'Alice',
      department: 'pre-sales',
      policy: 'round_robin',
      record: { at: 0, department: 'pre-sales', outcome: 'assigned', agentId: 'alice', decisions: [] },
    });
    await agent.waitFor((e) => e.type === 'agent_status' && e.active === 0);
    await s.server.store.flush();
    t.equal(s.server.store.lastSeq(`conv:${conversationId}`), 0, 'no event stored for it');
  },
);
