/**
 * ROLE-4, ROLE-5: the WebSocket command table (src/server/commands/table.ts)
 * against the protocol: every client frame type of protocol/ has exactly one
 * entry for each audience that may send it and none for one that may not;
 * and every entry with an audit rule writes its audit record when the
 * command succeeds through a real server, while the cases the rule leaves
 * out write none.
 */
import t, { type Test } from 'tap';
import { StaffCommands, VisitorCommands } from '../protocol/frames.js';
import { Permissions } from '../src/auth/permissions.js';
import { commandTable } from '../src/server/commands/table.js';
import { HANDSHAKE, VISITOR, type Audience } from '../src/server/commands/command.js';
import { startTestServer, type TestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { TestClient } from './support/client.js';
import { apiAs } from './support/api.js';

const protocolTypes: Record<Audience, string[]> = {
  visitor: Object.keys(VisitorCommands),
  staff: Object.keys(StaffCommands),
};

t.test(
  'ROLE-4: every client frame type has exactly one command table entry per audience that may send it, and no other',
  async (t) => {
    for (const audience of ['visitor', 'staff'] as const) {
      const entries = commandTable.filter((c) => c.audience === audience);
      for (const type of protocolTypes[audience]) {
        t.equal(entries.filter((c) => c.type === type).length, 1, `${audience} ${type}: one entry`);
      }
      for (const c of entries)
        t.ok(protocolTypes[audience].includes(c.type), `${audience} ${c.type}: a frame of protocol/ for ${audience}s`);
    }
    for (const c of commandTable) {
      if (c.permission === HANDSHAKE)
        t.ok(['hello', 'signin', 'ping'].includes(c.type), `${c.type}: only the handshake is open to anyone`);
      else if (c.audience === 'visitor')
        t.equal(c.permission, VISITOR, `visitor ${c.type}: for a visitor who said hello`);
      else
        t.ok(Object.hasOwn(Permissions, c.permission), `staff ${c.type}: ${c.permission} is in the permission table`);
    }
  },
);

interface Entry {
  action: string;
  outcome: string;
  actor?: { id: string; role: string };
  target?: { kind: string; id: string };
  detail?: Record<string, unknown>;
}

/** Runs every audited command once, the way its rule records it, plus the cases its rule leaves out. */
async function exercise(t: Test, s: TestServer): Promise<{ conversationId: string; cannedId: string }> {
  const dir = s.server.directory;
  await dir.deps.runtime.ask(dir.workspace, { type: 'setAutoAssign', enabled: false });
  const refused = await TestClient.connect(s.staffUrl);
  t.match(await refused.command({ type: 'signin', token: 'not-a-token' }), { type: 'error', code: 'unauthorized' });
  const alice = await TestClient.connect(s.staffUrl);
  await alice.ok({ type: 'signin', email: s.cred('alice').email, password: s.cred('alice').password });
  await alice.ok({ type: 'status', status: 'online' });
  const carol = await s.staff('carol');
  await carol.ok({ type: 'monitor', departments: ['pre-sales'] });
  await carol.ok({ type: 'monitor_departments', departments: ['after-sales'] });
  const { conversationId } = await openConversation(s, { department: 'pre-sales', text: 'help' });
  await carol.ok({ type: 'claim', conversationId, agentId: 'alice' });
  await carol.ok({ type: 'join', conversationId });
  await carol.ok({ type: 'takeover', conversationId });
  await carol.ok({ type: 'transfer', conversationId, to: { department: 'after-sales' }, note: 'billing' });
  await carol.ok({ type: 'loan', agentId: 'alice', department: 'after-sales', minutes: 10 });
  const saved = await carol.ok({ type: 'canned_save', scope: 'workspace', title: 'Greeting', text: 'Hello!' });
  const cannedId = saved.id as string;
  await carol.ok({ type: 'canned_delete', cannedId });
  // Left out by the rules: claiming for oneself, the serving agent's own transfer, a personal reply.
  const own = await openConversation(s, { department: 'pre-sales', text: 'mine' });
  await alice.ok({ type: 'claim', conversationId: own.conversationId });
  await alice.ok({
    type: 'transfer',
    conversationId: own.conversationId,
    to: { department: 'pre-sales' },
    note: 'back to the queue',
  });
  await alice.ok({ type: 'canned_save', scope: 'personal', title: 'Mine', text: 'Only mine' });
  await Promise.all([refused.close(), alice.close()]);
  return { conversationId, cannedId };
}

t.test(
  'ROLE-5: every audited command table entry writes its audit record through a real server; what its rule leaves out writes none',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const { conversationId, cannedId } = await exercise(t, s);
    const entries = (await apiAs(s, 'admin')('GET', '/audit?limit=500')).body.entries as Entry[];
    const carol = { id: 'carol', role: 'supervisor' };
    /** The record each audited entry writes, by audience and type: an audited entry missing here fails the test. */
    const expected: Record<string, Entry[]> = {
      'staff signin': [
        { action: 'signin', outcome: 'refused', detail: { method: 'token' } },
        {
          action: 'signin',
          outcome: 'ok',
          actor: { id: 'alice', role: 'agent' },
          detail: { method: 'password', email: s.cred('alice').email },
        },
      ],
      'staff monitor': [
        { action: 'supervise.monitor', outcome: 'ok', actor: carol, target: { kind: 'departments', id: 'pre-sales' } },
      ],
      'staff monitor_departments': [
        {
          action: 'supervise.monitor_departments',
          outcome: 'ok',
          actor: carol,
          target: { kind: 'departments', id: 'after-sales' },
        },
      ],
      'staff claim': [
        {
          action: 'supervise.reassign',
          outcome: 'ok',
          actor: carol,
          target: { kind: 'conversation', id: conversationId },
          detail: { agentId: 'alice' },
        },
      ],
      'staff join': [
        { action: 'supervise.join', outcome: 'ok', actor: carol, target: { kind: 'conversation', id: conversationId } },
      ],
      'staff takeover': [
        {
          action: 'supervise.takeover',
          outcome: 'ok',
          actor: carol,
          target: { kind: 'conversation', id: conversationId },
        },
      ],
      'staff transfer': [
        {
          action: 'supervise.transfer',
          outcome: 'ok',
          actor: carol,
          target: { kind: 'conversation', id: conversationId },
          detail: { to: { department: 'after-sales' } },
        },
      ],
      'staff loan': [
        {
          action: 'supervise.loan',
          outcome: 'ok',
          actor: carol,
          target: { kind: 'staff', id: 'alice' },
          detail: { department: 'after-sales', minutes: 10 },
        },
      ],
      'staff canned_save': [
        {
          action: 'canned.save',
          outcome: 'ok',
          actor: carol,
          target: { kind: 'canned', id: 'new' },
          detail: { title: 'Greeting' },
        },
      ],
      'staff canned_delete': [
        { action: 'canned.delete', outcome: 'ok', actor: carol, target: { kind: 'canned', id: cannedId } },
      ],
    };
    const audited = commandTable.filter((c) => c.audit);
    t.same(
      audited.map((c) => `${c.audience} ${c.type}`).sort(),
      Object.keys(expected).sort(),
      'the audited entries are the ones exercised here',
    );
    for (const c of audited) {
      const action = c.audit!.action;
      const written = entries.filter((e) => e.action === action);
      const wanted = expected[`${c.audience} ${c.type}`] ?? [];
      t.equal(
        written.length,
        wanted.length,
        `${c.audience} ${c.type}: ${wanted.length} ${action} record(s), nothing for the cases its rule leaves out`,
      );
      for (const w of wanted)
        t.ok(
          written.some((e) => matches(e, w)),
          `${c.audience} ${c.type}: ${action} ${w.outcome} recorded as ${JSON.stringify(w)}`,
        );
    }
    t.notOk(
      entries.some((e) => e.action === 'signin' && e.outcome === 'refused' && e.actor),
      'a refused sign-in names nobody',
    );
  },
);

/** Whether `e` holds every field of `w` (deeply, for the objects in it). */
function matches(e: unknown, w: unknown): boolean {
  if (w === null || typeof w !== 'object') return e === w;
  if (e === null || typeof e !== 'object') return false;
  return Object.entries(w).every(([k, v]) => matches((e as Record<string, unknown>)[k], v));
}
