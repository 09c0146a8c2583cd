/**
 * MON-2: the reports over HTTP: who may read which departments, bad ranges,
 * and the CSV exports byte for byte (the UTF-8 byte order mark, CRLF, a
 * Chinese name with a comma and a quote quoted as RFC 4180 says).
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { newAgent } from './support/routing.js';
import { api, apiAs } from './support/api.js';
import { createStaffWithToken } from './support/staff.js';
import { VirtualClock } from '../actors/clock.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const DAY = 'from=2026-11-23&to=2026-11-23';
const NAME = '张三, "小张"';
const QUOTED = '"张三, ""小张"""';

async function download(port: number, token: string, path: string) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

t.test(
  'MON-2: reports.read: admins every department, supervisors theirs only, agents none; bad ranges refused',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock(T0), autoMessages: false });
    const lead = await createStaffWithToken(s.server.directory, {
      id: 'sue',
      name: 'Sue',
      role: 'supervisor',
      departments: ['pre-sales'],
    });
    const path = `/reports/summary?${DAY}`;
    t.match(
      await apiAs(s, 'alice')('get', path),
      { status: 403, body: { error: { code: 'forbidden' } } },
      'agents: 403',
    );
    const all = await apiAs(s, 'admin')('get', path);
    t.equal(all.status, 200, 'admins read');
    t.same(
      (all.body.departments as { id: string }[]).map((d) => d.id).sort(),
      ['after-sales', 'pre-sales'],
      'admins: every department by default',
    );
    const own = await api(s, lead, 'get', path);
    t.same(
      (own.body.departments as { id: string }[]).map((d) => d.id),
      ['pre-sales'],
      'a supervisor: the departments they lead by default',
    );
    t.match(
      await api(s, lead, 'get', `${path}&department=after-sales`),
      { status: 403, body: { error: { code: 'forbidden', field: 'department' } } },
      'a department the supervisor does not lead: 403',
    );
    t.match(
      await api(s, lead, 'get', `${path}&department=pre-sales&department=after-sales`),
      { status: 403 },
      'also among others',
    );
    t.equal(
      (await api(s, lead, 'get', `/reports/summary.csv?${DAY}&department=after-sales`)).status,
      403,
      'and in CSV',
    );
    const both = await apiAs(s, 'carol')('get', `${path}&department=pre-sales&department=after-sales`);
    t.equal((both.body.departments as unknown[]).length, 2, 'department is repeatable');
    for (const q of ['from=2026-11-24&to=2026-11-23', 'from=yesterday&to=2026-11-23', 'from=2026-02-30&to=2026-03-01'])
      t.match(
        await apiAs(s, 'admin')('get', `/reports/summary?${q}`),
        { status: 400, body: { error: { code: 'invalid_range' } } },
        `${q}: invalid_range`,
      );
    t.match(await apiAs(s, 'admin')('get', '/reports/summary?from=2026-11-23'), { status: 400 }, 'to is required');
    t.equal((await api(s, undefined, 'get', path)).status, 401, 'no token: 401');
    const doc = await api(s, undefined, 'get', '/openapi.json');
    const paths = doc.body.paths as Record<string, { get: Record<string, unknown> }>;
    for (const p of ['/api/v1/reports/summary', '/api/v1/reports/summary.csv', '/api/v1/reports/conversations.csv'])
      t.equal(paths[p]?.get['x-permission'], 'reports.read', `${p} is in the OpenAPI document with its permission`);
  },
);

t.test('MON-2: CSV exports are RFC 4180 in UTF-8 with a BOM; names with commas and quotes are quoted', async (t) => {
  const clock = new VirtualClock(T0);
  const s = await startTestServer(t, { clock, autoMessages: false });
  const agent = await newAgent(s, { id: 'li', name: '李四, "四"', departments: ['pre-sales'] });
  await agent.ok({ type: 'status', status: 'online' });
  const { v, conversationId } = await openConversation(s, {
    department: 'pre-sales',
    text: '你好',
    details: { name: NAME },
  });
  await agent.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
  await clock.advance(15_000);
  await agent.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: '您好' });
  await clock.advance(45_000);
  await agent.ok({ type: 'resolve', conversationId, summary: 'line one\nline "two"' });
  await v.ok({ type: 'rate', conversationId, score: 4, comment: '好, 很好' });
  const token = s.cred('admin').token;

  const summary = await download(s.server.port, token, `/reports/summary.csv?${DAY}&department=pre-sales`);
  t.equal(summary.status, 200);
  t.equal(summary.headers.get('content-type'), 'text/csv; charset=utf-8');
  t.equal(
    summary.headers.get('content-disposition'),
    'attachment; filename="switchboard-summary-2026-11-23-2026-11-23.csv"',
  );
  t.same([...summary.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the file starts with the UTF-8 BOM');
  const lines = summary.bytes.subarray(3).toString('utf8').split('\r\n');
  t.equal(lines.at(-1), '', 'every line ends with CRLF');
  t.equal(
    lines[0],
    'scope,id,name,received,assigned,resolved,queued,abandoned,abandon_rate,wait_ms_mean,first_response_ms_mean,first_response_from_created_ms_mean,response_ms_mean,handle_ms_mean,service_level,occupancy,transfers_in,transfers_out,satisfaction_ratings,satisfaction_good_share,satisfaction_mean,online_ms',
  );
  // Occupancy: li (5 slots, the default) holds the one conversation for all of their 60 s online: 60 / (5 × 60).
  t.equal(lines[1], 'department,pre-sales,Pre-sales,1,1,1,0,0,,0,15000,15000,15000,60000,1,0.2,0,0,1,1,4,60000');
  // Received belongs to the department (no agent has it yet), so the agent's row starts 0,1,1.
  t.equal(lines[2], 'agent,li,"李四, ""四""",0,1,1,0,0,,0,15000,15000,15000,60000,1,0.2,0,0,1,1,4,60000');
  t.equal(lines[3], 'total,,,1,1,1,0,0,,0,15000,15000,15000,60000,1,0.2,0,0,1,1,4,60000');
  t.equal(lines.length, 5);

  const conv = await download(s.server.port, token, `/reports/conversations.csv?${DAY}`);
  t.equal(conv.status, 200);
  t.equal(conv.headers.get('content-type'), 'text/csv; charset=utf-8');
  t.notOk(conv.headers.get('content-length'), 'the export is streamed (chunked), not measured first');
  t.same([...conv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');
  const text = conv.bytes.subarray(3).toString('utf8');
  const [header, row, ...rest] = text.split('\r\n');
  t.equal(
    header,
    'conversation_id,created_at,department,agent,customer_id,customer_name,status,queued,abandoned,assigned_at,first_agent_message_at,resolved_at,wait_ms,first_response_ms,handle_ms,transfers,tags,rating,rating_comment,summary',
  );
  t.match(
    row,
    new RegExp(
      `^${conversationId},2026-11-23T10:00:00.000Z,pre-sales,li,[^,]+,${QUOTED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},resolved,false,false,2026-11-23T10:00:00.000Z,2026-11-23T10:00:15.000Z,2026-11-23T10:01:00.000Z,0,15000,60000,0,,4,"好, 很好","line one\nline ""two"""$`,
    ),
    'the conversation row, its Chinese name with a comma and quotes quoted, a newline inside a quoted field',
  );
  t.same(rest, [''], 'one conversation, and the file ends with CRLF');
  const none = await download(s.server.port, token, '/reports/conversations.csv?from=2026-11-24&to=2026-11-24');
  t.equal(none.bytes.subarray(3).toString('utf8').split('\r\n').length, 2, 'another day: the header only');
});
