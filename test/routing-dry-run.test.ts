/**
 * MON-4 (server side): the routing dry run behind the conversation test page, and the keyword-rule preview
 * (ROUTE-7). A dry run answers with the real router's reasons (ROUTE-16) and changes nothing: no write
 * transaction commits and no agent hears of it.
 */
import t from 'tap';
import { startTestServer, type TestServer } from './support/server.js';
import { apiAs } from './support/api.js';
import { onlineAgent, openConversation } from './support/conversations.js';
import type { TestClient } from './support/client.js';

const dryRun = (s: TestServer, body: unknown, who = 'admin') => apiAs(s, who)('post', '/routing/test', body);

type Verdict = { agentId: string; skipped?: string };
const verdict = (answer: unknown, agentId: string): Verdict | undefined =>
  (answer as { placement: { decisions: { candidates: Verdict[] }[] } }).placement.decisions
    .at(-1)
    ?.candidates.find((c) => c.agentId === agentId);

/** What would show that a dry run did something: a committed write, or a frame to a staff socket. */
async function untouched(s: TestServer, sockets: TestClient[], work: () => Promise<void>): Promise<[number, number[]]> {
  await new Promise((r) => setTimeout(r, 50));
  const txn = s.server.store.lastTransactionId();
  const frames = sockets.map((c) => c.events.length);
  await work();
  await new Promise((r) => setTimeout(r, 50));
  return [s.server.store.lastTransactionId() - txn, sockets.map((c, i) => c.events.length - frames[i]!)];
}

t.test(
  'MON-4 ROUTE-16 ROUTE-7: a dry run names the rule, the department, each candidate and why; nothing stored, nobody offered',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const alice = await onlineAgent(s, 'alice');
    let answer = (await dryRun(s, { department: 'pre-sales', text: '你好，我要退款' })).body;
    t.match(
      answer,
      {
        entry: 'pre-sales',
        department: 'after-sales',
        matches: [{ ruleId: 'refund', keywords: ['退款'] }],
        needs: { skills: [], tier: 1, vip: false, priority: 0 },
        login: { accepted: true, verified: false },
        placement: { outcome: 'queued', wait: 'no_agents_online', decisions: [{ policy: 'round_robin' }] },
        queue: { position: 1, length: 0 },
      },
      'a refund goes to after-sales, where nobody is online: it would wait first in line',
    );
    t.match(verdict(answer, 'bob'), { name: 'Bob', skipped: 'not_online' }, 'Bob: not online');

    const bob = await onlineAgent(s, 'bob');
    const [writes, frames] = await untouched(s, [alice, bob], async () => {
      answer = (await dryRun(s, { department: 'pre-sales', text: 'I want a REFUND' })).body;
    });
    t.match(
      answer,
      {
        department: 'after-sales',
        placement: {
          outcome: 'offered',
          agentId: 'bob',
          agentName: 'Bob',
          decisions: [{ policy: 'round_robin', agentId: 'bob' }],
        },
      },
      'with Bob online it would be offered to Bob',
    );
    t.same(verdict(answer, 'bob'), { agentId: 'bob', name: 'Bob', active: 0, max: 5 }, 'Bob: chosen, with his load');
    t.match(verdict(answer, 'carol'), { skipped: 'not_online' }, 'Carol: not online');
    t.notOk((answer as { queue?: unknown }).queue, 'no queue place when an agent takes it');
    t.equal(writes, 0, 'no write transaction committed during the dry run');
    t.same(frames, [0, 0], 'no frame reached either agent');
    t.equal([...s.server.directory.deps.journal.records(['open'])].length, 0, 'no conversation exists');

    // What the dry run said is what happens.
    const { conversationId } = await openConversation(s, { department: 'pre-sales', text: 'I want a REFUND' });
    const assigned = await bob.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
    t.ok(assigned, 'a real customer with the same message is assigned to Bob');

    answer = (await dryRun(s, { department: 'after-sales', skills: ['billing'] })).body;
    t.match(
      answer,
      {
        needs: { skills: ['billing'] },
        placement: { outcome: 'queued', wait: 'nobody_eligible' },
      },
      'ROUTE-6: a skill nobody holds leaves it waiting',
    );
    t.match(verdict(answer, 'bob'), { skipped: 'missing_skills', active: 1 }, 'and says who lacks it');
  },
);

t.test('MON-4 QUEUE-2: the queue place a test customer would get, priority included', async (t) => {
  const s = await startTestServer(t, { autoMessages: false });
  await openConversation(s, { department: 'after-sales', text: 'where is my parcel' });
  await openConversation(s, { department: 'after-sales', text: 'hello' });
  await new Promise((r) => setTimeout(r, 50));
  let answer = (await dryRun(s, { department: 'after-sales', text: 'hi' })).body;
  t.match(
    answer,
    { placement: { outcome: 'queued', waiting: 2 }, queue: { position: 3, length: 2 } },
    'behind the two waiting',
  );
  answer = (await dryRun(s, { department: 'after-sales', text: '我要投诉' })).body;
  t.match(
    answer,
    {
      matches: [{ ruleId: 'complaint' }],
      needs: { priority: 2 },
      queue: { position: 1 },
    },
    'a complaint (priority 2) would go to the head of the line',
  );
  await apiAs(s, 'admin')('patch', '/departments/after-sales', { maxQueueLength: 2 });
  answer = (await dryRun(s, { department: 'after-sales' })).body;
  t.match(
    answer,
    { queue: { backlog: 'queue_full', length: 2, maxLength: 2 } },
    'QUEUE-4: a full line: a left message',
  );
  t.notOk((answer as { queue: { position?: number } }).queue.position, 'without a position');
});

t.test('MON-4 CUST-1 ROUTE-5 ROUTE-9: login, VIP and the last agent in a dry run', async (t) => {
  const s = await startTestServer(t, { autoMessages: false });
  await onlineAgent(s, 'alice');
  let answer = (await dryRun(s, { login: 'unsigned' })).body;
  t.match(answer, { login: { accepted: false, reason: /signature/ } }, 'the demo requires signed logins');
  t.notOk((answer as { placement?: unknown }).placement, 'a refused login routes nowhere');
  answer = (await dryRun(s, { login: 'verified', vip: true, lastAgent: 'alice' })).body;
  t.match(
    answer,
    {
      entry: 'pre-sales',
      login: { accepted: true, verified: true },
      needs: { vip: true },
      placement: { outcome: 'offered', agentId: 'alice' },
    },
    'a verified VIP enters the first department',
  );
  await apiAs(s, 'admin')('patch', '/departments/pre-sales', { sticky: true, stickyWaitSec: 30 });
  answer = (await dryRun(s, { lastAgent: 'alice' })).body;
  t.match(
    answer,
    { placement: { outcome: 'offered', agentId: 'alice', decisions: [{ policy: 'sticky', agentId: 'alice' }] } },
    'ROUTE-9: sticky first',
  );
  await apiAs(s, 'admin')('patch', '/staff/alice', { maxConcurrent: 1 });
  await openConversation(s, { department: 'pre-sales' });
  await new Promise((r) => setTimeout(r, 50));
  answer = (await dryRun(s, { lastAgent: 'alice' })).body;
  t.match(
    answer,
    {
      placement: {
        outcome: 'queued',
        wait: 'sticky_wait',
        decisions: [{ policy: 'sticky', candidates: [{ agentId: 'alice', skipped: 'full' }] }],
      },
      queue: { position: 1 },
    },
    'ROUTE-9: Alice is full, so it would wait for her (stickyWaitSec)',
  );
});

t.test('MON-4 ROLE-3: only admins run a dry run; bad input names the field', async (t) => {
  const s = await startTestServer(t, { autoMessages: false });
  for (const who of ['alice', 'carol']) {
    const refused = await dryRun(s, { vip: false }, who);
    t.match(
      refused,
      { status: 403, body: { error: { code: 'forbidden', message: /routing\.test/ } } },
      `${who} is refused`,
    );
  }
  t.match(await dryRun(s, { department: 'nowhere' }), {
    status: 404,
    body: { error: { code: 'not_found', field: 'department' } },
  });
  t.match(await dryRun(s, { vip: 'yes' }), { status: 400, body: { error: { code: 'invalid_field', field: 'vip' } } });
  t.match(await dryRun(s, { login: 'maybe' }), {
    status: 400,
    body: { error: { code: 'invalid_field', field: 'login' } },
  });
});

t.test(
  'ROUTE-7: which keyword rule matches a text, stored rules or a draft, Chinese and full-width folded',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const preview = (body: unknown, who = 'admin') => apiAs(s, who)('post', '/keyword-rules/test', body);
    t.match((await preview({ text: '我要退款谢谢' })).body, {
      matches: [{ ruleId: 'refund', keywords: ['退款'] }],
      department: 'after-sales',
    });
    t.match(
      (await preview({ text: 'ＲＥＦＵＮＤ please' })).body,
      { matches: [{ ruleId: 'refund', keywords: ['refund'] }] },
      'full-width and case folded',
    );
    t.same(
      (await preview({ text: 'refund', first: false })).body,
      { matches: [] },
      'a later message: only laterMessages rules',
    );
    t.match((await preview({ text: '投诉', first: false })).body, { matches: [{ ruleId: 'complaint' }], priority: 2 });
    const draft = { text: '发票开错了', rules: [{ id: 'invoice', keywords: ['发票'], skills: ['billing'], tier: 2 }] };
    t.match(
      (await preview(draft)).body,
      { matches: [{ ruleId: 'invoice' }], skills: ['billing'], tier: 2 },
      'an unsaved draft',
    );
    t.match((await preview({ text: 'x', rules: [{ id: 'bad', keywords: [] }] })).body, {
      error: { code: 'invalid_field', field: 'rules.0.keywords' },
    });
    t.match(await preview({ text: '退款' }, 'carol'), { status: 200 }, 'supervisors read rules, so they may try them');
    t.match(await preview({ text: '退款' }, 'alice'), { status: 403 });
  },
);
