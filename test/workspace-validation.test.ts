/**
 * The workspace's configuration rules (actors/workspace/validation.ts) and
 * its published snapshot (actors/workspace/snapshot.ts), as pure functions:
 * no server, no socket, no store.
 */
import t from 'tap';
import type { ProtocolError } from '../protocol/errors.js';
import type { DepartmentRecord } from '../actors/department/records.js';
import type { StaffRecord } from '../actors/agent/records.js';
import {
  invalidDepartment,
  invalidKeywordRules,
  invalidStaff,
  invalidSupervisors,
  invalidVerification,
  invalidWorkspace,
  MIN_VERIFICATION_SECRET_LENGTH,
  withChanges,
} from '../actors/workspace/validation.js';
import { disconnectGraceSec, firstSnapshot, withDepartment, withSettings } from '../actors/workspace/snapshot.js';

const dept = (id: string, more: Partial<DepartmentRecord> = {}): DepartmentRecord => ({
  id,
  name: id,
  defaultMaxConcurrent: 3,
  order: 1,
  ...more,
});
const departments = new Map(
  [dept('sales'), dept('support', { parent: 'sales' }), dept('vip', { parent: 'support' })].map((d) => [d.id, d]),
);
const staff = (id: string, more: Partial<StaffRecord> = {}): StaffRecord => ({
  id,
  name: id,
  email: `${id}@example.com`,
  role: 'agent',
  departments: ['sales'],
  passwordHash: 'x',
  ...more,
});

/** The error's code and field, or undefined when the change may be stored. */
const verdict = (e: ProtocolError | undefined): { code: string; field?: string } | undefined =>
  e ? { code: e.code, ...(e.field !== undefined ? { field: e.field } : {}) } : undefined;

t.test('ROUTE-2..19 department settings that would break routing are refused, each naming its field', async (t) => {
  t.equal(verdict(invalidDepartment(dept('sales'), departments)), undefined, 'plain settings pass');
  t.equal(
    verdict(
      invalidDepartment(
        dept('sales', {
          policy: 'smart',
          offerMode: 'offer',
          offerTimeoutSec: 20,
          stickyWaitSec: 0,
          maxQueueLength: 0,
        }),
        departments,
      ),
    ),
    undefined,
    'edge values pass',
  );
  const cases: [Partial<DepartmentRecord>, string][] = [
    [{ policy: 'fastest' as never }, 'policy'],
    [{ offerMode: 'maybe' as never }, 'offerMode'],
    [{ loadIndexWeights: { load: -1 } as never }, 'loadIndexWeights/load'],
    [{ responseTimeoutSec: 0 }, 'responseTimeoutSec'],
    [{ offerTimeoutSec: Number.POSITIVE_INFINITY }, 'offerTimeoutSec'],
    [{ stickyWaitSec: -1 }, 'stickyWaitSec'],
    [{ maxQueueLength: 1.5 }, 'maxQueueLength'],
    [{ fairnessCap: { max: 0, windowSec: 60 } }, 'fairnessCap'],
    [{ widening: { overflowTo: 'sales', overflowAfterSec: 60 } }, 'widening.overflowTo'],
    [{ widening: { overflowTo: 'nowhere', overflowAfterSec: 60 } }, 'widening.overflowTo'],
    [{ widening: { overflowTo: 'support' } }, 'widening.overflowAfterSec'],
    [{ parent: 'nowhere' }, 'parent'],
    [{ hours: { timeZone: 'Mars/Olympus', weekly: {} } }, 'hours'],
  ];
  for (const [change, field] of cases)
    t.same(
      verdict(invalidDepartment(dept('sales', change), departments)),
      { code: 'invalid_field', field },
      `${JSON.stringify(change)} is refused`,
    );
});

t.test('ROUTE-8 a department may not sit under itself, however far up', async (t) => {
  t.same(
    verdict(invalidDepartment(dept('sales', { parent: 'vip' }), departments)),
    { code: 'invalid_field', field: 'parent' },
    'sales under vip under support under sales',
  );
  t.same(verdict(invalidDepartment(dept('sales', { parent: 'sales' }), departments)), {
    code: 'invalid_field',
    field: 'parent',
  });
  t.equal(
    verdict(invalidDepartment(dept('vip', { parent: 'sales' }), departments)),
    undefined,
    'moving up the tree is fine',
  );
});

t.test('ROLE-3 staff accounts name known departments and an email nobody else has (case-insensitive)', async (t) => {
  const others = [staff('ann'), staff('bob')];
  t.equal(verdict(invalidStaff(staff('cid'), departments, others)), undefined);
  t.same(verdict(invalidStaff(staff('cid', { departments: ['sales', 'nowhere'] }), departments, others)), {
    code: 'not_found',
    field: 'departments',
  });
  t.same(verdict(invalidStaff(staff('cid', { email: 'ANN@example.com' }), departments, others)), {
    code: 'conflict',
    field: 'email',
  });
  t.equal(
    verdict(invalidStaff(staff('ann', { name: 'Ann B.' }), departments, others)),
    undefined,
    'an account keeps its own email',
  );
});

t.test('ROLE-2 only supervisors lead a department', async (t) => {
  const all = new Map([staff('ann'), staff('sue', { role: 'supervisor' })].map((s) => [s.id, s]));
  t.equal(verdict(invalidSupervisors(['sue'], all)), undefined);
  t.same(verdict(invalidSupervisors(['sue', 'ann'], all)), { code: 'invalid_field', field: 'supervisors.1' });
  t.same(verdict(invalidSupervisors(['nobody'], all)), { code: 'invalid_field', field: 'supervisors.0' });
});

t.test('XFER-2 XFER-5 CONV-4 CONV-5 workspace settings that would break conversations are refused', async (t) => {
  t.equal(
    verdict(
      invalidWorkspace({
        autoAssign: true,
        tags: ['billing', 'refund'],
        transferLimits: { agent: 0 },
        autoCloseAfterMin: 0.5,
        defaultLanguage: 'en',
      }),
    ),
    undefined,
  );
  const cases: [object, string][] = [
    [{ tags: Array.from({ length: 201 }, (_, i) => `t${i}`) }, 'tags'],
    [{ tags: ['ok', ' '] }, 'tags.1'],
    [{ tags: ['x'.repeat(65)] }, 'tags.0'],
    [{ tags: ['a', 'a'] }, 'tags'],
    [{ transferLimits: { intern: 3 } }, 'transferLimits.intern'],
    [{ transferLimits: { agent: -1 } }, 'transferLimits.agent'],
    [{ autoCloseAfterMin: 0 }, 'autoCloseAfterMin'],
    [{ defaultLanguage: 'tlh' }, 'defaultLanguage'],
    [{ autoMessages: { texts: { en: { nonsense: 'hi' } } } }, 'autoMessages.texts.en.nonsense'],
  ];
  for (const [change, field] of cases)
    t.same(
      verdict(invalidWorkspace({ autoAssign: true, ...change })),
      { code: 'invalid_field', field },
      `${JSON.stringify(change).slice(0, 60)} is refused`,
    );
});

t.test('ROUTE-7 keyword rules: unique ids, known departments, at least one keyword', async (t) => {
  t.equal(
    verdict(
      invalidKeywordRules(
        [
          { id: 'r1', keywords: ['refund'], department: 'sales' },
          { id: 'r2', keywords: ['bug'] },
        ],
        departments,
      ),
    ),
    undefined,
  );
  t.same(
    verdict(
      invalidKeywordRules(
        [
          { id: 'r1', keywords: ['a'] },
          { id: 'r1', keywords: ['b'] },
        ],
        departments,
      ),
    ),
    { code: 'invalid_field', field: 'rules/1/id' },
  );
  t.same(verdict(invalidKeywordRules([{ id: 'r1', keywords: ['a'], department: 'nowhere' }], departments)), {
    code: 'not_found',
    field: 'rules/0/department',
  });
  t.same(verdict(invalidKeywordRules([{ id: 'r1', keywords: [' ', ''] }], departments)), {
    code: 'invalid_field',
    field: 'rules/0/keywords',
  });
});

t.test('CUST-1 a verification secret is long enough to resist guessing; removing it is always allowed', async (t) => {
  t.equal(
    verdict(invalidVerification({ secret: 's'.repeat(MIN_VERIFICATION_SECRET_LENGTH), required: true })),
    undefined,
  );
  t.same(verdict(invalidVerification({ secret: 's'.repeat(MIN_VERIFICATION_SECRET_LENGTH - 1), required: false })), {
    code: 'invalid_field',
    field: 'secret',
  });
  t.equal(verdict(invalidVerification(null)), undefined);
});

t.test(
  'ROLE-3 a change sets what it names, null removes a setting, undefined leaves it, and the record it started from is untouched',
  async (t) => {
    const before = staff('ann', { maxConcurrent: 4, weight: 2 });
    const after = withChanges(before, { name: 'Ann B.', maxConcurrent: null, weight: undefined });
    t.same(after, { ...staff('ann', { weight: 2 }), name: 'Ann B.' });
    t.notOk('maxConcurrent' in after, 'removed, not set to null');
    t.equal(before.maxConcurrent, 4, 'the current record is not changed in place');
  },
);

t.test(
  'ROUTE-1 ROUTE-7 ROUTE-14 the published snapshot is immutable, and the keyword automaton is rebuilt only when the rules change',
  async (t) => {
    const first = firstSnapshot(
      { autoAssign: true, keywordRules: [{ id: 'r1', keywords: ['refund'], department: 'sales' }] },
      departments.values(),
    );
    t.equal(first.keywords.match('I want a refund', true).department, 'sales');
    t.ok(
      Object.isFrozen(first) && Object.isFrozen(first.settings) && Object.isFrozen(first.departments.get('sales')),
      'frozen',
    );
    t.throws(() => {
      (first.settings as { autoAssign: boolean }).autoAssign = false;
    }, TypeError);
    t.equal(disconnectGraceSec(first), 60, 'the default grace period');

    const off = withSettings(first, { ...first.settings, autoAssign: false, disconnectGraceSec: 5 });
    t.equal(off.keywords, first.keywords, 'same automaton: the rules did not change');
    t.equal(off.settings.autoAssign, false);
    t.equal(disconnectGraceSec(off), 5);
    t.equal(first.settings.autoAssign, true, 'the earlier snapshot still says what it said');

    const rules = withSettings(
      off,
      { ...off.settings, keywordRules: [{ id: 'r2', keywords: ['bug'], department: 'support' }] },
      true,
    );
    t.not(rules.keywords, off.keywords, 'new rules, new automaton');
    t.equal(rules.keywords.match('found a bug', true).department, 'support');

    const moved = withDepartment(rules, dept('sales', { defaultMaxConcurrent: 9 }));
    t.equal(moved.departments.get('sales')?.defaultMaxConcurrent, 9);
    t.equal(rules.departments.get('sales')?.defaultMaxConcurrent, 3, 'the earlier snapshot keeps the earlier settings');
  },
);
