/**
 * OPS-1: the store's key layout (actors/keyspace.ts) is one table of
 * prefixes that never collide, and it is the layout stores were written
 * with: every key is compared with the key as the code built it before the
 * keyspace existed (the literals below are copied from actors/records.ts of
 * that time; they must never be edited to make this test pass).
 */
import t, { type Test } from 'tap';
import { rmSync } from 'node:fs';
import type { RecordKey, Journal } from '../actors/journal.js';
import { Keys, Prefix, StreamPrefix } from '../actors/keyspace.js';
import { conversationStream } from '../actors/conversation/records.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { MemoryJournal } from '../src/sim/memory-journal.js';
import { tempDataDir } from './support/server.js';

/** The key builders as first written, prefixes spelled out. */
const OLD = {
  department: (id: string): RecordKey => ['department', id],
  departments: ['department'] as RecordKey,
  staff: (id: string): RecordKey => ['staff', id],
  session: (id: string): RecordKey => ['session', id],
  sessionToken: (hash: string): RecordKey => ['session-token', hash],
  staffSession: (staffId: string, sessionId: string): RecordKey => ['staff-session', staffId, sessionId],
  staffSessions: (staffId: string): RecordKey => ['staff-session', staffId],
  allStaff: ['staff'] as RecordKey,
  open: (conversationId: string): RecordKey => ['open', conversationId],
  allOpen: ['open'] as RecordKey,
  visitor: (visitorId: string): RecordKey => ['visitor', visitorId],
  allVisitors: ['visitor'] as RecordKey,
  settings: ['settings', 'workspace'] as RecordKey,
  visitorIdKey: ['secret', 'visitor-id'] as RecordKey,
  routing: (conversationId: string): RecordKey => ['routing', conversationId],
  decision: (conversationId: string, n: number): RecordKey => ['decision', conversationId, n],
  decisions: (conversationId: string): RecordKey => ['decision', conversationId],
  agentStats: (staffId: string): RecordKey => ['agent-stats', staffId],
  note: (conversationId: string, n: number): RecordKey => ['note', conversationId, n],
  notes: (conversationId: string): RecordKey => ['note', conversationId],
  transfer: (conversationId: string, n: number): RecordKey => ['transfer', conversationId, n],
  transfers: (conversationId: string): RecordKey => ['transfer', conversationId],
  transferCount: (staffId: string): RecordKey => ['transfer-count', staffId],
  loan: (agentId: string, department: string): RecordKey => ['loan', agentId, department],
  loanPrefix: (agentId: string): RecordKey => ['loan', agentId],
  rating: (conversationId: string): RecordKey => ['rating', conversationId],
  // Added with the department monitor (MON-1), spelled out as first written.
  departmentDay: (departmentId: string): RecordKey => ['department-day', departmentId],
  allDepartmentDays: ['department-day'] as RecordKey,
  clientMsg: (conversationId: string, senderKey: string): RecordKey => ['cmid', conversationId, senderKey],
  // Spelled out in the simulator's forget() (src/sim/sim-customers.ts) before the keyspace named them.
  clientMsgs: (conversationId: string): RecordKey => ['cmid', conversationId],
  customer: (customerId: string): RecordKey => ['customer', customerId],
  customerByExternalId: (externalId: string): RecordKey => ['customer-ext', externalId],
  visitorLink: (visitorId: string): RecordKey => ['visitor-link', visitorId],
  ipVisitor: (ip: string, seenAt: number, visitorId: string): RecordKey => [
    'ip-visitor',
    ip,
    Number.MAX_SAFE_INTEGER - seenAt,
    visitorId,
  ],
  ipVisitors: (ip: string): RecordKey => ['ip-visitor', ip],
  // Added with the console's recently resolved list (WEB-3).
  resolvedBy: (staffId: string, at: number, conversationId: string): RecordKey => [
    'resolved-by',
    staffId,
    Number.MAX_SAFE_INTEGER - at,
    conversationId,
  ],
  resolvedByStaff: (staffId: string): RecordKey => ['resolved-by', staffId],
  customerConversation: (customerId: string, createdAt: number, conversationId: string): RecordKey => [
    'customer-conv',
    customerId,
    Number.MAX_SAFE_INTEGER - createdAt,
    conversationId,
  ],
  customerConversations: (customerId: string): RecordKey => ['customer-conv', customerId],
  readMark: (conversationId: string, side: 'visitor' | 'agent'): RecordKey => ['read', conversationId, side],
  readMarks: (conversationId: string): RecordKey => ['read', conversationId],
  canned: (r: { id: string; scope: 'workspace' | 'personal'; owner?: string }): RecordKey =>
    r.scope === 'workspace' ? ['canned', 'workspace', r.id] : ['canned', 'personal', r.owner ?? '', r.id],
  cannedWorkspace: ['canned', 'workspace'] as RecordKey,
  cannedPersonal: (owner: string): RecordKey => ['canned', 'personal', owner],
  allCanned: ['canned'] as RecordKey,
  file: (id: string): RecordKey => ['file', id],
  fileData: (id: string): RecordKey => ['file-data', id],
  audit: (id: string): RecordKey => ['audit', id],
  allAudit: ['audit'] as RecordKey,
  // Added with the reports (MON-2), spelled out as first written.
  reportHour: (hourStart: number, department: string, agent: string): RecordKey => [
    'report-hour',
    hourStart,
    department,
    agent,
  ],
  reportHours: (hourStart: number): RecordKey => ['report-hour', hourStart],
  allReportHours: ['report-hour'] as RecordKey,
  reportConversation: (conversationId: string): RecordKey => ['report-conv', conversationId],
  allReportConversations: ['report-conv'] as RecordKey,
  reportCreated: (hourStart: number, createdAt: number, conversationId: string): RecordKey => [
    'report-created',
    hourStart,
    createdAt,
    conversationId,
  ],
  reportCreatedHour: (hourStart: number): RecordKey => ['report-created', hourStart],
  allReportCreated: ['report-created'] as RecordKey,
  reportMeta: ['report-meta', 'rollups'] as RecordKey,
  // Added with occupancy (MON-2), spelled out as first written.
  reportAlive: ['report-meta', 'alive'] as RecordKey,
  reportPresence: (agentId: string): RecordKey => ['report-presence', agentId],
  allReportPresence: ['report-presence'] as RecordKey,
  // Added with the kept days and months (MON-2), spelled out as first written.
  reportPeriod: (kind: 'day' | 'month', start: number): RecordKey => ['report-period', kind, start],
  allReportPeriods: ['report-period'] as RecordKey,
  reportPeriodMark: (kind: 'day' | 'month', start: number): RecordKey => ['report-period-mark', kind, start],
  allReportPeriodMarks: ['report-period-mark'] as RecordKey,
};
const oldConversationStream = (id: string): string => `conv:${id}`;

/** Sample arguments per key builder, with the awkward cases: empty strings, numbers at their edges, both canned scopes. */
const SAMPLES: Record<string, unknown[][]> = {
  decision: [
    ['c-1', 0],
    ['c-1', 7],
  ],
  note: [['c-1', 1]],
  transfer: [['c-1', 3]],
  staffSession: [['bob', 's-1']],
  loan: [['bob', 'sales']],
  clientMsg: [['c-1', 'visitor:v-1']],
  ipVisitor: [
    ['127.0.0.1', 0, 'v-1'],
    ['::1', 1_700_000_000_000, 'v-2'],
  ],
  customerConversation: [['k-1', 1_700_000_000_000, 'c-1']],
  reportHour: [
    [1_700_000_000_000, 'sales', 'bob'],
    [0, 'sales', ''],
  ],
  reportHours: [[1_700_000_000_000]],
  reportCreated: [[1_699_999_200_000, 1_700_000_000_000, 'c-1']],
  reportCreatedHour: [[1_699_999_200_000]],
  reportPeriod: [
    ['day', 1_699_920_000_000],
    ['month', 1_698_796_800_000],
  ],
  reportPeriodMark: [['day', 1_699_920_000_000]],
  resolvedBy: [['bob', 1_700_000_000_000, 'c-1']],
  readMark: [
    ['c-1', 'visitor'],
    ['c-1', 'agent'],
  ],
  canned: [
    [{ id: 'r1', scope: 'workspace' }],
    [{ id: 'r2', scope: 'personal', owner: 'bob' }],
    [{ id: 'r3', scope: 'personal' }],
  ],
};

t.test(
  'OPS-1 every key is built exactly as before the keyspace existed: existing stores read as they were written',
  async (t) => {
    t.same(Object.keys(Keys).sort(), Object.keys(OLD).sort(), 'the same keys, no more, no fewer');
    for (const [name, build] of Object.entries(Keys)) {
      const old = OLD[name as keyof typeof OLD];
      if (typeof build !== 'function') {
        t.same(build, old, name);
        continue;
      }
      for (const args of SAMPLES[name] ?? [['x'], ['']]) {
        t.same(
          (build as (...a: unknown[]) => RecordKey)(...args),
          (old as (...a: unknown[]) => RecordKey)(...args),
          `${name}(${JSON.stringify(args).slice(1, -1)})`,
        );
      }
    }
    t.equal(conversationStream('c-1'), oldConversationStream('c-1'), 'conversation streams keep their names');
    t.equal(conversationStream('c-1'), `${StreamPrefix.conversation}c-1`, 'and are spelled by the keyspace prefix');
  },
);

t.test('OPS-1 the prefixes are unique, and every key starts with one of them', async (t) => {
  const prefixes = Object.values(Prefix);
  t.equal(new Set(prefixes).size, prefixes.length, 'no two owners share a prefix');
  for (const [name, build] of Object.entries(Keys)) {
    const key =
      typeof build === 'function' ? (build as (...a: unknown[]) => RecordKey)(...(SAMPLES[name]?.[0] ?? ['x'])) : build;
    t.ok(
      (prefixes as readonly unknown[]).includes(key[0]),
      `${name} starts with a keyspace prefix (${String(key[0])})`,
    );
  }
});

/** A range read of one prefix returns only that prefix's records, although some prefixes begin with others ('staff', 'staff-session'). */
async function rangesApart(t: Test, journal: Journal): Promise<void> {
  const prefixes = Object.values(Prefix);
  const nested = prefixes.filter((p) => prefixes.some((q) => q !== p && p.startsWith(q)));
  t.ok(nested.length >= 5, `prefixes that begin with another are checked: ${nested.join(', ')}`);
  await journal.writeRecords(
    prefixes.flatMap((p) => [
      { key: [p, 'a'], value: p },
      { key: [p, 'b', 1], value: p },
    ]),
  );
  for (const p of prefixes) {
    const found = [...journal.records<string>([p])];
    t.same(
      found.map((r) => r.key[0]),
      [p, p],
      `a range read of "${p}" sees its two records and no other prefix's`,
    );
  }
  // The canned replies nest a scope under their prefix: the workspace ones never include the personal ones.
  await journal.writeRecords([
    { key: Keys.canned({ id: 'r1', scope: 'workspace' }), value: 'w' },
    { key: Keys.canned({ id: 'r2', scope: 'personal', owner: 'bob' }), value: 'p' },
  ]);
  t.same(
    [...journal.records<string>(Keys.cannedWorkspace)].map((r) => r.value),
    ['w'],
  );
  t.same(
    [...journal.records<string>(Keys.cannedPersonal('bob'))].map((r) => r.value),
    ['p'],
  );
}

t.test("OPS-1 a range read of one prefix never returns another owner's records (LMDB store)", async (t) => {
  const dir = tempDataDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = LmdbStore.open(dir);
  t.teardown(() => store.close());
  await rangesApart(t, store);
});

t.test(
  "OPS-1 a range read of one prefix never returns another owner's records (the simulator's memory journal)",
  async (t) => {
    await rangesApart(t, new MemoryJournal());
  },
);
