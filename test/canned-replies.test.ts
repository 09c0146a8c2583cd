/** CONV-3: canned replies, workspace-wide and personal, over real WebSockets. */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { TestClient, type Frame } from './support/client.js';
import { Limits } from '../protocol/limits.js';
import type { CannedReplyRecord } from '../actors/canned-replies.js';
import { interceptEvents } from './support/store-faults.js';

type Reply = CannedReplyRecord;

const titles = (page: Record<string, unknown>): string[] => (page.replies as Reply[]).map((r) => r.title);

t.test("CONV-3: an agent lists the workspace replies and their own personal ones, never another agent's", async (t) => {
  const s = await startTestServer(t);
  const carol = await s.staff('carol');
  const alice = await s.staff('alice');
  const bob = await s.staff('bob');
  const greeting = (await carol.ok({
    type: 'canned_save',
    scope: 'workspace',
    title: 'Greeting',
    text: 'Hello {customer.name}, {agent.name} here.',
    shortcut: 'hi',
    tags: ['opening'],
  })) as unknown as Reply;
  t.match(greeting, {
    id: /^cr-/,
    scope: 'workspace',
    title: 'Greeting',
    shortcut: 'hi',
    tags: ['opening'],
    updatedBy: 'carol',
  });
  t.notOk('owner' in greeting, 'workspace replies have no owner');
  const mine = (await alice.ok({
    type: 'canned_save',
    scope: 'personal',
    title: 'My sign-off',
    text: 'Cheers, Alice',
  })) as unknown as Reply;
  t.match(mine, { scope: 'personal', owner: 'alice' });
  const bobs = (await bob.ok({
    type: 'canned_save',
    scope: 'personal',
    title: "Bob's secret",
    text: 'only mine',
    shortcut: 'hi',
  })) as unknown as Reply;

  t.same(titles(await alice.ok({ type: 'canned_list' })), ['Greeting', 'My sign-off'], 'alice: workspace + her own');
  t.same(
    titles(await bob.ok({ type: 'canned_list' })),
    ['Greeting', "Bob's secret"],
    'bob: workspace + his own (a personal shortcut may repeat a workspace one)',
  );
  t.same(
    titles(await carol.ok({ type: 'canned_list' })),
    ['Greeting'],
    "a supervisor does not see agents' personal replies either",
  );
  t.same(titles(await (await s.staff('admin')).ok({ type: 'canned_list' })), ['Greeting'], 'nor does an admin');

  for (const frame of [
    { type: 'canned_save', cannedId: bobs.id, scope: 'personal', title: 'taken over', text: 'x' },
    { type: 'canned_delete', cannedId: bobs.id },
  ]) {
    t.match(
      await alice.commandRaw(frame),
      { type: 'error', code: 'not_found', field: 'cannedId' },
      `${frame.type} of another's personal reply: as if it did not exist`,
    );
  }
  t.match(await alice.command({ type: 'canned_delete', cannedId: 'cr-nothing' }), {
    code: 'not_found',
    field: 'cannedId',
  });

  // The owner edits (full replace) and deletes their own.
  const edited = (await alice.ok({
    type: 'canned_save',
    cannedId: mine.id,
    scope: 'personal',
    title: 'My sign-off',
    text: 'Best, Alice',
    shortcut: 'bye',
  })) as unknown as Reply;
  t.match(edited, { id: mine.id, text: 'Best, Alice', shortcut: 'bye', owner: 'alice' });
  t.same(await alice.ok({ type: 'canned_delete', cannedId: mine.id }), { cannedId: mine.id, deleted: true });
  t.same(titles(await alice.ok({ type: 'canned_list' })), ['Greeting']);
  t.match(await alice.command({ type: 'canned_delete', cannedId: mine.id }), { code: 'not_found' }, 'deleted is gone');

  const visitor = await s.visitor();
  await visitor.ok({ type: 'hello' });
  t.match(
    await visitor.command({ type: 'canned_list' }),
    { code: 'unknown_type' },
    'customers never see canned replies',
  );
});

t.test('CONV-3: agents cannot write workspace replies (forbidden); supervisors and admins can', async (t) => {
  const s = await startTestServer(t);
  const alice = await s.staff('alice');
  const carol = await s.staff('carol');
  const admin = await s.staff('admin');
  t.match(await alice.command({ type: 'canned_save', scope: 'workspace', title: 'Mine for all', text: 'x' }), {
    type: 'error',
    code: 'forbidden',
    field: 'scope',
  });
  const r = (await carol.ok({
    type: 'canned_save',
    scope: 'workspace',
    title: 'Refund policy',
    text: '30 days.',
    shortcut: 'refund',
  })) as unknown as Reply;
  t.match(
    await alice.command({
      type: 'canned_save',
      cannedId: r.id,
      scope: 'workspace',
      title: 'Refund policy',
      text: '90 days!',
    }),
    { code: 'forbidden' },
    'nor edit one',
  );
  t.match(await alice.command({ type: 'canned_delete', cannedId: r.id }), { code: 'forbidden' }, 'nor delete one');
  const byAdmin = (await admin.ok({
    type: 'canned_save',
    cannedId: r.id,
    scope: 'workspace',
    title: 'Refund policy',
    text: '45 days.',
    shortcut: 'refund',
  })) as unknown as Reply;
  t.match(byAdmin, { id: r.id, text: '45 days.', updatedBy: 'admin' }, "an admin edits a supervisor's workspace reply");
  t.ok(byAdmin.updatedAt >= r.updatedAt);
  t.same(
    ((await alice.ok({ type: 'canned_list' })).replies as Reply[]).map((x) => x.text),
    ['45 days.'],
    'agents read the new text',
  );
  t.same(await carol.ok({ type: 'canned_delete', cannedId: r.id }), { cannedId: r.id, deleted: true });
  t.same((await alice.ok({ type: 'canned_list' })).replies, []);
});

t.test(
  'CONV-3: invalid snippets are refused with stable codes and fields; the per-owner count is limited',
  async (t) => {
    const s = await startTestServer(t);
    // JSON text frames: only they can carry a lone surrogate (as an escape).
    const alice = await s.staff('alice');
    const base = { type: 'canned_save', scope: 'personal', title: 'Title', text: 'Text' } as const;
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['title too long', { ...base, title: 'x'.repeat(Limits.maxCannedTitleLength + 1) }, 'invalid_field', 'title'],
      ['text too long', { ...base, text: 'x'.repeat(Limits.maxCannedTextLength + 1) }, 'invalid_field', 'text'],
      ['empty text', { ...base, text: '' }, 'invalid_field', 'text'],
      ['blank title', { ...base, title: '   ' }, 'invalid_field', 'title'],
      ['blank text', { ...base, text: '\n\t' }, 'invalid_field', 'text'],
      ['unknown scope', { ...base, scope: 'team' }, 'invalid_field', 'scope'],
      ['shortcut with a space', { ...base, shortcut: 'two words' }, 'invalid_field', 'shortcut'],
      ['shortcut with a slash', { ...base, shortcut: '/refund' }, 'invalid_field', 'shortcut'],
      [
        'too many tags',
        { ...base, tags: Array.from({ length: Limits.maxCannedTags + 1 }, (_, i) => `t${i}`) },
        'invalid_field',
        'tags',
      ],
      ['a blank tag', { ...base, tags: ['ok', ' '] }, 'invalid_field', 'tags'],
      ['a tag that is not valid Unicode', { ...base, tags: ['\ud800'] }, 'invalid_field', 'tags'],
      ['an unknown field', { ...base, owner: 'bob' }, 'invalid_field', 'owner'],
      ['a bad id', { ...base, cannedId: 'no spaces allowed' }, 'invalid_field', 'cannedId'],
    ];
    for (const [what, frame, code, field] of cases) {
      t.match(await alice.commandRaw(frame), { type: 'error', code, field }, what);
    }
    t.match(await alice.command({ type: 'canned_list', limit: Limits.cannedPageSize + 1 }), {
      code: 'invalid_field',
      field: 'limit',
    });
    t.same((await alice.ok({ type: 'canned_list' })).replies, [], 'nothing invalid was stored');

    const first = (await alice.ok({ ...base, shortcut: 'Thanks' })) as unknown as Reply;
    t.match(
      await alice.command({ ...base, title: 'Other', shortcut: 'thanks' }),
      { code: 'conflict', field: 'shortcut' },
      'shortcuts are unique per owner, ignoring case',
    );
    t.match(
      await alice.command({ ...base, title: 'Other', shortcut: 'ｔｈａｎｋｓ' }),
      { code: 'conflict', field: 'shortcut' },
      'and width',
    );
    t.match(
      await alice.ok({ ...base, cannedId: first.id, shortcut: 'thanks' }),
      { id: first.id, shortcut: 'thanks' },
      'a reply keeps its own shortcut when edited',
    );
    t.match(
      await alice.command({ ...base, cannedId: first.id, scope: 'workspace' }),
      { code: 'invalid_field', field: 'scope' },
      'a reply keeps its scope',
    );

    // Count limit: concurrent saves cannot overshoot it (one writer).
    const results = await Promise.all(
      Array.from({ length: Limits.maxCannedPersonal + 5 }, (_, i) => alice.command({ ...base, title: `n${i}` })),
    );
    t.equal(results.filter((r) => r.type === 'ack').length, Limits.maxCannedPersonal - 1, 'up to the limit');
    t.ok(
      results.slice(-6).every((r) => r.type === 'error' && r.code === 'limit_exceeded' && r.field === 'scope'),
      'then limit_exceeded',
    );
    const bob = await s.staff('bob');
    t.match(await bob.ok({ ...base, title: 'bob still can' }), { owner: 'bob' }, 'the limit is per owner');
    await alice.ok({ type: 'canned_delete', cannedId: first.id });
    t.match(await alice.ok({ ...base, title: 'room again' }), { title: 'room again' }, 'deleting makes room');
  },
);

t.test('CONV-3: list filters by shortcut or title prefix and pages in creation order', async (t) => {
  const s = await startTestServer(t);
  const carol = await s.staff('carol');
  const alice = await s.staff('alice');
  await carol.ok({ type: 'canned_save', scope: 'workspace', title: 'Refund policy', text: 'a', shortcut: 'rp' });
  await carol.ok({ type: 'canned_save', scope: 'workspace', title: 'Opening hours', text: 'b', shortcut: 'hours' });
  await alice.ok({ type: 'canned_save', scope: 'personal', title: '退款流程', text: 'c', shortcut: 'refund2' });
  await carol.ok({ type: 'canned_save', scope: 'workspace', title: 'Shipping', text: 'd', shortcut: 'ship' });

  t.same(
    titles(await alice.ok({ type: 'canned_list', query: 'ref' })),
    ['Refund policy', '退款流程'],
    'title or shortcut prefix, workspace and personal',
  );
  t.same(
    titles(await alice.ok({ type: 'canned_list', query: 'ＲＥＦ' })),
    ['Refund policy', '退款流程'],
    'ignoring case and width',
  );
  t.same(titles(await alice.ok({ type: 'canned_list', query: '退款' })), ['退款流程'], 'Chinese titles');
  t.same(titles(await alice.ok({ type: 'canned_list', query: 'policy' })), [], 'a prefix, not a substring');

  const one = await alice.ok({ type: 'canned_list', limit: 2 });
  t.same(titles(one), ['Refund policy', 'Opening hours']);
  t.type(one.next, 'string');
  const two = await alice.ok({ type: 'canned_list', limit: 2, after: one.next as string });
  t.same(titles(two), ['退款流程', 'Shipping'], 'the next page goes on where the first ended');
  t.notOk('next' in two, 'no next on the last page');

  // Saved within the same millisecond: still listed in the order they were saved.
  await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      alice.ok({ type: 'canned_save', scope: 'personal', title: `burst ${i}`, text: 'x' }),
    ),
  );
  const all = await alice.ok({ type: 'canned_list', after: one.next as string, limit: Limits.cannedPageSize });
  t.same(titles(all), ['退款流程', 'Shipping', 'burst 0', 'burst 1', 'burst 2', 'burst 3', 'burst 4']);
});

t.test('CONV-3: canned replies survive a restart, and their limits still hold after it', async (t) => {
  const s = await startTestServer(t, { keepData: true });
  const carol = await s.staff('carol');
  const alice = await s.staff('alice');
  const shared = (await carol.ok({
    type: 'canned_save',
    scope: 'workspace',
    title: 'Greeting',
    text: 'Hello!',
    shortcut: 'hi',
    tags: ['a', 'a', 'b'],
  })) as unknown as Reply;
  t.same(shared.tags, ['a', 'b'], 'repeated tags are kept once');
  await alice.ok({ type: 'canned_save', scope: 'personal', title: 'Mine', text: 'x', shortcut: 'me' });
  const before = await alice.ok({ type: 'canned_list' });
  await s.stop();

  const again = await startTestServer(t, { dataDir: s.dataDir, demo: false });
  const alice2 = await TestClient.connect(`${again.staffUrl}?token=${encodeURIComponent(s.cred('alice').token)}`);
  const carol2 = await TestClient.connect(`${again.staffUrl}?token=${encodeURIComponent(s.cred('carol').token)}`);
  t.teardown(() => Promise.all([alice2.close(), carol2.close()]));
  t.same(await alice2.ok({ type: 'canned_list' }), before, 'the same replies, word for word');
  t.match(
    await carol2.command({ type: 'canned_save', scope: 'workspace', title: 'Another', text: 'y', shortcut: 'HI' }),
    { code: 'conflict', field: 'shortcut' },
    'the writer knows the stored shortcuts',
  );
  await alice2.ok({ type: 'canned_save', scope: 'personal', title: 'After restart', text: 'z' });
  t.same(
    titles(await alice2.ok({ type: 'canned_list' })),
    ['Greeting', 'Mine', 'After restart'],
    'ids issued after a restart sort after the older ones',
  );
  const mine = (before.replies as Reply[]).find((r) => r.scope === 'personal')!;
  t.match(
    await alice2.ok({
      type: 'canned_save',
      cannedId: mine.id,
      scope: 'personal',
      title: 'Mine',
      text: 'edited',
      shortcut: 'me',
    }),
    { id: mine.id, text: 'edited' },
    'and edits them',
  );
});

t.test('CONV-3 OPS-1: a save or delete the store refuses changes nothing', async (t) => {
  const s = await startTestServer(t);
  const carol = await s.staff('carol');
  const kept = (await carol.ok({
    type: 'canned_save',
    scope: 'workspace',
    title: 'Kept',
    text: 'v1',
    shortcut: 'kept',
  })) as unknown as Reply;
  let fail = false;
  // Through store-faults: the records may reach the store on their own or within a turn's batch.
  interceptEvents(s.server.store, {
    refuseRecords: (writes) =>
      fail && writes.some((w) => w.key[0] === 'canned') ? Promise.reject(new Error('injected: disk full')) : undefined,
  });
  fail = true;
  t.match(await carol.command({ type: 'canned_save', scope: 'workspace', title: 'New', text: 'x', shortcut: 'new' }), {
    code: 'storage_failed',
  });
  t.match(
    await carol.command({
      type: 'canned_save',
      cannedId: kept.id,
      scope: 'workspace',
      title: 'Kept',
      text: 'v2',
      shortcut: 'kept',
    }),
    { code: 'storage_failed' },
  );
  t.match(await carol.command({ type: 'canned_delete', cannedId: kept.id }), { code: 'storage_failed' });
  fail = false;
  t.same(await carol.ok({ type: 'canned_list' }), { replies: [kept] }, 'the stored replies are as before');
  t.match(
    await carol.ok({ type: 'canned_save', scope: 'workspace', title: 'New', text: 'x', shortcut: 'new' }),
    { title: 'New' },
    'the refused new reply took no shortcut',
  );
  t.match(await carol.ok({ type: 'canned_save', scope: 'workspace', title: 'Other', text: 'y', shortcut: 'other' }), {
    title: 'Other',
  });
  t.match(
    await carol.command({ type: 'canned_save', scope: 'workspace', title: 'Again', text: 'z', shortcut: 'kept' }),
    { code: 'conflict' },
    'the reply whose delete was refused still holds its shortcut',
  );
});

t.test(
  'CONV-3: consoles are told when a canned reply changes: workspace ones reach every staff member, personal ones only their owner',
  async (t) => {
    const s = await startTestServer(t);
    const carol = await s.staff('carol');
    const alice = await s.staff('alice');
    const bob = await s.staff('bob');
    const changed = (id: string, deleted: boolean) => (e: Frame) =>
      e.type === 'canned_changed' && e.cannedId === id && e.deleted === deleted;
    const saved = (await carol.ok({
      type: 'canned_save',
      scope: 'workspace',
      title: 'Hours',
      text: 'We are open 9 to 6.',
    })) as unknown as Reply;
    for (const [who, c] of [
      ['alice', alice],
      ['bob', bob],
      ['carol', carol],
    ] as const) {
      t.match(
        await c.waitFor(changed(saved.id, false)),
        {
          scope: 'workspace',
          reply: { id: saved.id, title: 'Hours', text: 'We are open 9 to 6.', updatedBy: 'carol' },
        },
        `${who} gets the saved workspace reply`,
      );
    }
    const mine = (await alice.ok({
      type: 'canned_save',
      scope: 'personal',
      title: 'Mine',
      text: 'private',
    })) as unknown as Reply;
    t.match(
      await alice.waitFor(changed(mine.id, false)),
      { scope: 'personal', reply: { owner: 'alice' } },
      'the owner gets her personal one',
    );
    await carol.ok({ type: 'canned_delete', cannedId: saved.id });
    t.match(
      await bob.waitFor(changed(saved.id, true)),
      { scope: 'workspace', deleted: true },
      'a deletion reaches everyone',
    );
    t.notOk((await bob.waitFor(changed(saved.id, true))).reply, 'without the deleted text');
    await new Promise((r) => setTimeout(r, 80));
    t.notOk(
      [...bob.events, ...carol.events].some((e) => e.type === 'canned_changed' && e.cannedId === mine.id),
      "nobody else hears of alice's personal reply",
    );
  },
);
