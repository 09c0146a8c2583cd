/**
 * ROLE-5: the audit log keeps every configuration change made over the
 * admin API (who, when, what, before and after), every WebSocket sign-in,
 * accepted or refused, and supervisor actions; admins read it with filters.
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { TestClient } from './support/client.js';

import { apiAs } from './support/api.js';

interface Entry {
  id: string;
  at: number;
  actor?: { id: string; role: string };
  action: string;
  target?: { kind: string; id: string };
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  outcome: string;
  remote?: string;
  detail?: Record<string, unknown>;
}

t.test(
  'ROLE-5: configuration changes over HTTP are audited with who, what, before and after; read with filters and pages; secrets and hashes never appear',
  async (t) => {
    const s = await startTestServer(t);
    const admin = apiAs(s, 'admin');
    const since = Date.now();
    await admin('PATCH', '/departments/pre-sales', { policy: 'least_load' });
    await admin('PATCH', '/workspace', { verification: { secret: 's'.repeat(40), required: false } });
    await admin('PATCH', '/staff/alice', { tier: 2, password: 'a new password' });
    await admin('POST', '/canned-replies', { title: 'Hi', text: 'Hello there' });
    await apiAs(s, 'carol')('PATCH', '/departments/after-sales', { maxQueueLength: 9 });
    const read = async (q: string): Promise<{ entries: Entry[]; next?: string }> =>
      (await admin('GET', `/audit?${q}`)).body as unknown as { entries: Entry[]; next?: string };

    const dept = (await read('action=department.configure')).entries;
    t.equal(dept.length, 2, 'both department changes, by action');
    t.match(dept[0], {
      actor: { id: 'admin', role: 'admin' },
      target: { kind: 'department', id: 'pre-sales' },
      outcome: 'ok',
      remote: /127\.0\.0\.1|::1|::ffff/,
    });
    t.equal(
      dept[0]!.before!.policy,
      'round_robin',
      'before: round robin, the default in force (answered like the API answers it)',
    );
    t.equal(dept[0]!.after!.policy, 'least_load', 'after: least load');
    t.ok(dept[0]!.at >= since, 'when');
    t.match(
      (await read('actor=carol')).entries,
      [{ action: 'department.configure', target: { id: 'after-sales' }, after: { maxQueueLength: 9 } }],
      "by actor: the supervisor's change",
    );

    const ws = (await read('action=workspace.configure')).entries[0]!;
    t.same(ws.after!.verification, { set: true, required: false }, 'the verification change is recorded');
    const staff = (await read('action=staff.configure')).entries[0]!;
    t.match(staff, {
      target: { id: 'alice' },
      before: { id: 'alice' },
      after: { tier: 2 },
      detail: { passwordChanged: true },
    });
    const all = JSON.stringify((await read('limit=500')).entries);
    t.notOk(all.includes('s'.repeat(40)), 'the secret never appears in the log');
    t.notOk(/passwordHash|tokenHash|scrypt\$/.test(all), 'nor password or token hashes');

    const page1 = await read('limit=2');
    t.equal(page1.entries.length, 2);
    t.ok(page1.next, 'more remain');
    const page2 = await read(`limit=2&after=${page1.next}`);
    t.ok(page2.entries[0]!.id > page1.entries[1]!.id, 'the next page continues after the last');
    const last = page1.entries[1]!.at;
    t.ok(
      (await read(`from=${last + 1}`)).entries.every((e) => e.at > last),
      'from: nothing earlier',
    );
    t.ok(
      (await read(`to=${last}`)).entries.every((e) => e.at < last),
      'to: nothing at or after it',
    );
    t.match(await apiAs(s, 'carol')('GET', '/audit'), { status: 403 }, 'supervisors do not read the audit log');
  },
);

t.test(
  'ROLE-5: WebSocket sign-ins (accepted and refused) and supervisor actions (watch, join, take over, re-assign, transfer, loan) are audited',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const admin = apiAs(s, 'admin');
    const bad = await TestClient.connect(s.staffUrl);
    t.match(await bad.command({ type: 'signin', email: 'alice@demo.switchboard.local', password: 'wrong password' }), {
      type: 'error',
      code: 'unauthorized',
    });
    const alice = await TestClient.connect(s.staffUrl);
    await alice.ok({ type: 'signin', email: s.cred('alice').email, password: s.cred('alice').password });
    await alice.ok({ type: 'status', status: 'online' });
    const carol = await s.staff('carol');
    await carol.ok({ type: 'monitor', departments: ['pre-sales'] });
    const { conversationId } = await openConversation(s, { department: 'pre-sales', text: 'help' });
    await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
    await carol.ok({ type: 'join', conversationId });
    await carol.ok({ type: 'takeover', conversationId });
    await carol.ok({ type: 'transfer', conversationId, to: { department: 'after-sales' }, note: 'billing question' });
    const second = await openConversation(s, { department: 'pre-sales', text: 'another' });
    await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === second.conversationId);
    await carol.ok({ type: 'loan', agentId: 'alice', department: 'after-sales', minutes: 10 });
    await bad.close();
    await alice.close();

    const entries = ((await admin('GET', '/audit?limit=500')).body.entries as Entry[]).filter(
      (e) => e.action.startsWith('signin') || e.action.startsWith('supervise.'),
    );
    const signins = entries.filter((e) => e.action === 'signin');
    t.match(
      signins.find((e) => e.outcome === 'refused'),
      { detail: { method: 'password', email: 'alice@demo.switchboard.local' } },
      'the refused sign-in, with the email tried',
    );
    t.notOk(signins.find((e) => e.outcome === 'refused')!.actor, 'nobody is named for a refused sign-in');
    t.notOk(JSON.stringify(signins).includes('wrong password'), 'the password never appears');
    t.match(
      signins.find((e) => e.outcome === 'ok' && e.actor?.id === 'alice'),
      { detail: { method: 'password' }, remote: /./ },
      "alice's sign-in",
    );
    const by = (action: string) => entries.find((e) => e.action === action && e.actor?.id === 'carol');
    t.match(by('supervise.monitor'), { target: { kind: 'departments', id: 'pre-sales' } }, 'watch');
    t.match(by('supervise.join'), { target: { kind: 'conversation', id: conversationId } }, 'join');
    t.match(by('supervise.takeover'), { target: { kind: 'conversation', id: conversationId } }, 'take over');
    t.match(
      by('supervise.transfer'),
      { target: { id: conversationId }, detail: { to: { department: 'after-sales' } } },
      'transfer by a supervisor',
    );
    t.match(
      by('supervise.loan'),
      { target: { kind: 'staff', id: 'alice' }, detail: { department: 'after-sales', minutes: 10 } },
      'loan',
    );
    t.match(
      (await admin('GET', '/audit?action=supervise.join&actor=carol')).body,
      { entries: [{ action: 'supervise.join' }] },
      'filtered by action and actor',
    );
  },
);
