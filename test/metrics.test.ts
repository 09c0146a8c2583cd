/** OPS-4: the Prometheus /metrics endpoint and the ids carried by log lines. */
import t from 'tap';
import { pino } from 'pino';
import { startTestServer } from './support/server.js';
import { onlineAgent, openConversation } from './support/conversations.js';
import { httpRequest } from './support/http.js';

/** The value of one sample in the text exposition; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ? m[2].split(',') : [];
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(m[3]);
  }
  return undefined;
}

/** The labels of a single-workspace server's series: the `default` workspace's (CLUSTER-1). */
const home = (labels: Record<string, string> = {}): Record<string, string> => ({ workspace: 'default', ...labels });

t.test(
  'OPS-4: /metrics shows connections, frames, errors, assignments by policy, queue lengths, wait and relay latency, store size and process metrics',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const scrape = async () => {
      const r = await httpRequest(s.server.port, '/metrics');
      t.equal(r.status, 200);
      t.match(r.headers['content-type'], /^text\/plain; version=0\.0\.4/);
      return r.body.toString('utf8');
    };
    const before = await scrape();
    t.equal(sample(before, 'switchboard_connections', home({ kind: 'visitor' })), 0);
    t.equal(sample(before, 'switchboard_frames_in_total', home({ kind: 'visitor' })), 0);

    await onlineAgent(s, 'bob');
    const { v, conversationId } = await openConversation(s, { department: 'after-sales' });
    await v.waitFor((e) => e.type === 'assigned');
    for (let i = 0; i < 5; i++) await v.ok({ type: 'send', conversationId, clientMsgId: `m${i}`, text: `hello ${i}` });
    t.equal((await v.commandRaw({ type: 'send', conversationId, clientMsgId: 'x', text: 7 })).code, 'invalid_field');
    t.equal((await v.commandRaw({ type: 'fly' })).code, 'unknown_type');
    // Nobody of pre-sales is online: this one waits in its queue.
    const { v: w, ...waiting } = await openConversation(s, { department: 'pre-sales' });
    await w.waitFor((e) => e.type === 'queued');

    const text = await scrape();
    t.equal(sample(text, 'switchboard_connections', home({ kind: 'visitor' })), 2);
    t.equal(sample(text, 'switchboard_connections', home({ kind: 'staff' })), 1);
    t.equal(
      sample(text, 'switchboard_frames_in_total', home({ kind: 'visitor' })),
      11,
      'hello, start, 5 sends, 2 bad frames; hello, start',
    );
    t.equal(sample(text, 'switchboard_frames_in_total', home({ kind: 'staff' })), 1);
    t.ok(
      sample(text, 'switchboard_frames_out_total', home({ kind: 'visitor' }))! >= 11 + 5,
      'every answer and every event',
    );
    t.equal(sample(text, 'switchboard_errors_total', { code: 'invalid_field' }), 1);
    t.equal(sample(text, 'switchboard_errors_total', { code: 'unknown_type' }), 1);
    t.equal(
      sample(text, 'switchboard_assignments_total', home({ department: 'after-sales', policy: 'round_robin' })),
      1,
    );
    t.equal(sample(text, 'switchboard_queue_length', home({ department: 'pre-sales' })), 1);
    t.equal(sample(text, 'switchboard_queue_wait_seconds_count', home({ department: 'after-sales' })), 1);
    t.equal(
      sample(text, 'switchboard_queue_wait_seconds_bucket', home({ department: 'after-sales', le: '0' })),
      1,
      'assigned without queueing: a wait of 0',
    );
    t.equal(sample(text, 'switchboard_relay_seconds_count'), 5, 'one relay latency per stored send');
    t.ok(sample(text, 'switchboard_relay_seconds_sum')! > 0);
    t.ok(sample(text, 'switchboard_store_bytes')! > 0, 'the LMDB file size');
    const commits = sample(text, 'switchboard_store_commit_seconds_count')!;
    const writes = sample(text, 'switchboard_store_writes_total')!;
    t.ok(commits >= 5, `a commit per acked send at least (${commits})`);
    t.ok(writes >= commits, `every commit carries a write at least (${writes} writes)`);
    t.ok(sample(text, 'switchboard_store_commit_seconds_sum')! > 0, 'commits take time');
    t.equal(sample(text, 'switchboard_store_commit_seconds_bucket', { le: '+Inf' }), commits);
    for (const quantile of ['0.5', '0.99', '1']) {
      const delay = sample(text, 'switchboard_event_loop_delay_seconds', { quantile });
      t.ok(delay !== undefined && delay >= 0 && delay < 5, `event-loop delay, quantile ${quantile}: ${delay}`);
    }
    t.ok(sample(text, 'process_resident_memory_bytes')! > 0, 'process default metrics');
    t.equal(sample(text, 'switchboard_backpressure_dropped_frames_total', home()), 0);
    t.equal(sample(text, 'switchboard_rate_limit_closed_total', home()), 0);
    for (const id of [conversationId, waiting.conversationId]) t.notOk(text.includes(id), 'no per-conversation labels');

    // The waiting conversation is taken: its wait is measured, the queue is empty again.
    await onlineAgent(s, 'alice');
    await w.waitFor((e) => e.type === 'assigned');
    const after = await scrape();
    t.ok(sample(after, 'switchboard_store_commit_seconds_count')! > commits, 'the assignment committed once more');
    t.equal(sample(after, 'switchboard_queue_length', home({ department: 'pre-sales' })), 0);
    t.equal(sample(after, 'switchboard_queue_wait_seconds_count', home({ department: 'pre-sales' })), 1);
    t.equal(
      sample(after, 'switchboard_assignments_total', home({ department: 'pre-sales', policy: 'round_robin' })),
      1,
    );
  },
);

t.test(
  'OPS-4: every log line about a connection carries its connection id, and every line about an HTTP request its request id',
  async (t) => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'debug' },
      { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) },
    );
    const s = await startTestServer(t, { logger });
    const v = await s.visitor();
    await v.ok({ type: 'hello' });
    await v.close();
    const given = await httpRequest(s.server.port, '/v1/files/f-nothing', { headers: { 'x-request-id': 'trace-42' } });
    t.equal(given.status, 401);
    t.equal(given.headers['x-request-id'], 'trace-42', "the caller's request id is answered back");
    const made = await httpRequest(s.server.port, '/v1/files/f-nothing', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    t.match(made.headers['x-request-id'], /^r[0-9a-z]+-[0-9a-z]+$/, 'an unusable one is replaced by a fresh id');

    const about = (pattern: RegExp) => lines.filter((l) => pattern.test(String(l.msg)));
    const connectionLines = about(/^connection /);
    t.same(
      connectionLines.map((l) => l.msg),
      ['connection opened', 'connection closed'],
    );
    t.ok(
      connectionLines.every((l) => typeof l.connectionId === 'number'),
      'connection lines carry connectionId',
    );
    const httpLines = about(/^http request/);
    t.equal(httpLines.length, 4, 'two requests, each logged when received and when answered');
    t.same(
      httpLines.filter((l) => l.requestId === 'trace-42').map((l) => l.msg),
      ['http request', 'http request answered'],
    );
    t.ok(
      httpLines.every((l) => typeof l.requestId === 'string' && l.requestId !== ''),
      'HTTP lines carry requestId',
    );
  },
);
