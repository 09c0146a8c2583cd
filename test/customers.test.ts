/**
 * Customers over real WebSockets: identification by visitor id, verified
 * login and address hints (CUST-1), history with notes and transfer notes
 * for whoever serves them (CUST-2), the profile and its edits (CUST-3).
 */
import t from 'tap';
import { startTestServer, tempDataDir, type TestServer } from './support/server.js';
import { onlineAgent } from './support/conversations.js';
import { TestClient, type Frame } from './support/client.js';
import { VirtualClock } from '../actors/clock.js';
import { signLogin } from '../actors/login-signature.js';
import { anonymousCustomerId, type CustomerView } from '../actors/customer-view.js';
import { Keys } from '../actors/keyspace.js';
import type { CustomerRecord, VisitorLinkRecord } from '../actors/customer-records.js';
import type { NoteRecord, TransferRecord } from '../actors/conversation/records.js';
import { CustomerLimits } from '../protocol/limits.js';
import { rmSync } from 'node:fs';
import { interceptEvents } from './support/store-faults.js';

const secretOf = (s: TestServer): string => {
  const secret = s.server.demoVerificationSecret;
  if (!secret) throw new Error('the demo seed set no verification secret');
  return secret;
};

const login = (s: TestServer, externalId: string, extra: Record<string, unknown> = {}) => ({
  externalId,
  signature: signLogin(secretOf(s), externalId),
  ...extra,
});

/** A visitor (new, or returning as `visitorId`) says hello, optionally logged in. */
async function hello(
  s: TestServer,
  fields: Record<string, unknown> = {},
): Promise<{ v: TestClient; visitorId: string; ack: Record<string, unknown> }> {
  const v = await s.visitor();
  const ack = await v.ok({ type: 'hello', ...fields });
  return { v, visitorId: ack.visitorId as string, ack };
}

/** Opens a conversation in pre-sales where `agent` serves it, and has the agent resolve it. */
async function served(v: TestClient, agent: TestClient, summary: string): Promise<string> {
  const { conversationId } = (await v.ok({ type: 'start', department: 'pre-sales', text: 'hello' })) as {
    conversationId: string;
  };
  await v.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
  await agent.ok({ type: 'send', conversationId, clientMsgId: `a-${conversationId}`, text: 'how can I help?' });
  await agent.ok({ type: 'resolve', conversationId, summary });
  return conversationId;
}

const view = async (staff: TestClient, conversationId: string): Promise<CustomerView> =>
  (await staff.ok({ type: 'customer', conversationId })) as unknown as CustomerView;

const startOf = async (v: TestClient, department = 'pre-sales'): Promise<string> =>
  ((await v.ok({ type: 'start', department })) as { conversationId: string }).conversationId;

t.test(
  'CUST-1 CUST-2: a correctly signed login links two visitor ids (two browsers) to one customer whose history they share',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = await onlineAgent(s, 'alice');

    const laptop = await hello(s, { login: login(s, 'user-42', { name: 'Ann Lee', email: 'ann@example.com' }) });
    t.equal(laptop.ack.verified, true, 'the hello ack says the login was verified');
    const first = await served(laptop.v, alice, 'sent the price list');

    const phone = await hello(s, { login: login(s, 'user-42') });
    t.equal(phone.ack.verified, true);
    t.not(phone.visitorId, laptop.visitorId, 'another browser is another visitor id');
    const second = await startOf(phone.v);
    await phone.v.waitFor((e) => e.type === 'assigned' && e.conversationId === second);

    const seen = await view(alice, second);
    t.equal(seen.customer.verified, true);
    t.equal(seen.customer.externalId, 'user-42');
    t.match(
      seen.customer,
      { name: 'Ann Lee', email: 'ann@example.com' },
      'name and email from the first login fill the profile',
    );
    t.equal(seen.customer.visitors.length, 2, 'both visitors belong to the customer');
    t.ok(
      seen.customer.visitors.every((h) => !h.includes('.')),
      'visitors are named by their public part, never by the full (bearer) id',
    );
    t.same(
      seen.conversations.map((c) => c.conversationId),
      [first],
      "the other browser's conversation is in the history; the current one is not",
    );
    t.match(seen.conversations[0], {
      status: 'resolved',
      department: 'pre-sales',
      servedBy: [{ id: 'alice', name: 'Alice' }],
      resolved: { summary: 'sent the price list' },
    });

    // One customer record and one external-id entry, not one per browser.
    const journal = s.server.directory.deps.journal;
    const customers = [...journal.records<CustomerRecord>(['customer'])]
      .map((r) => r.value)
      .filter((c) => c.externalId === 'user-42');
    t.equal(customers.length, 1);
    t.equal(journal.getRecord<string>(Keys.customerByExternalId('user-42')), customers[0]!.id);
    t.equal(seen.customer.id, customers[0]!.id);
  },
);

t.test(
  'CUST-1: a forged signature is refused and nothing is stored; the connection stays anonymous-less until a good hello',
  async (t) => {
    const s = await startTestServer(t);
    const journal = s.server.directory.deps.journal;
    const returning = await hello(s);
    await returning.v.close();
    const linksBefore = [...journal.records(['visitor-link'])].length;

    const forgeries: [string, Record<string, unknown>][] = [
      ['signed with another secret', { externalId: 'user-7', signature: signLogin('x'.repeat(40), 'user-7') }],
      ['the signature of another user id', { externalId: 'user-7', signature: signLogin(secretOf(s), 'user-8') }],
      ['not hex', { externalId: 'user-7', signature: 'z'.repeat(64) }],
      ['too short', { externalId: 'user-7', signature: signLogin(secretOf(s), 'user-7').slice(0, 62) }],
      ['signed id with a trailing space', { externalId: 'user-7 ', signature: signLogin(secretOf(s), 'user-7') }],
    ];
    for (const [what, forged] of forgeries) {
      for (const visitorId of [undefined, returning.visitorId]) {
        const v = await s.visitor();
        const answer = await v.commandRaw({ type: 'hello', ...(visitorId ? { visitorId } : {}), login: forged });
        t.match(
          answer,
          { type: 'error', code: 'unauthorized', field: 'login.signature' },
          `${what}${visitorId ? ' (returning visitor)' : ''}: refused`,
        );
        t.equal((await v.command({ type: 'start' })).code, 'unauthorized', 'the connection is bound to no visitor');
        await v.close();
      }
    }
    t.equal(journal.getRecord(Keys.customerByExternalId('user-7')), undefined, 'no customer for the forged id');
    t.equal(journal.getRecord(Keys.customerByExternalId('user-7 ')), undefined);
    t.equal([...journal.records(['visitor-link'])].length, linksBefore, 'no visitor was linked or even stamped');
    t.equal(
      journal.getRecord<VisitorLinkRecord>(Keys.visitorLink(returning.visitorId))?.customerId,
      undefined,
      'the returning visitor is still anonymous',
    );

    // The exact signature, in upper-case hex too, is accepted.
    const good = await hello(s, {
      visitorId: returning.visitorId,
      login: { externalId: 'user-7', signature: signLogin(secretOf(s), 'user-7').toUpperCase() },
    });
    t.equal(good.ack.verified, true);
    t.ok(journal.getRecord(Keys.customerByExternalId('user-7')), 'now the customer exists');
  },
);

t.test(
  'CUST-1: a login without a signature is refused when verification is required, ignored when it is not; without a secret no login is accepted',
  async (t) => {
    const s = await startTestServer(t);
    const { runtime, journal } = s.server.directory.deps;
    const setVerification = (verification: { secret: string; required: boolean } | null) =>
      runtime.ask(s.server.directory.workspace, { type: 'setVerification', verification });

    const v = await s.visitor();
    t.match(
      await v.command({ type: 'hello', login: { externalId: 'user-9', name: 'Mallory' } }),
      { type: 'error', code: 'unauthorized', field: 'login.signature' },
      'required: missing signature refused',
    );
    t.equal(journal.getRecord(Keys.customerByExternalId('user-9')), undefined, 'nothing stored');

    await setVerification({ secret: secretOf(s), required: false });
    const relaxed = await hello(s, { login: { externalId: 'user-9', name: 'Mallory' } });
    t.equal(relaxed.ack.verified, false, 'not required: the unsigned login is ignored and the visitor stays anonymous');
    t.equal(journal.getRecord(Keys.customerByExternalId('user-9')), undefined, 'no customer for the unsigned id');
    t.equal(
      journal.getRecord<VisitorLinkRecord>(Keys.visitorLink(relaxed.visitorId))?.customerId,
      undefined,
      'not linked',
    );
    t.equal(
      journal.getRecord(Keys.customer(anonymousCustomerId(relaxed.visitorId))),
      undefined,
      'its name is not taken either',
    );
    t.match(
      await (await s.visitor()).command({ type: 'hello', login: { externalId: 'user-9', signature: '0'.repeat(64) } }),
      { code: 'unauthorized' },
      'not required: a bad signature is still refused',
    );

    await t.rejects(
      setVerification({ secret: 'short', required: true }),
      { code: 'invalid_field', field: 'secret' },
      'a guessable secret is refused',
    );
    await setVerification(null);
    t.match(
      await (await s.visitor()).command({ type: 'hello', login: login(s, 'user-9') }),
      { type: 'error', code: 'unauthorized', field: 'login' },
      'no secret: even a signed login cannot be verified',
    );
    t.equal(
      journal.getRecord<{ verification?: unknown }>(Keys.settings)?.verification,
      undefined,
      'the secret is gone from the settings',
    );
    t.ok((await (await s.visitor()).ok({ type: 'hello' })).visitorId, 'a hello without login still works');
    t.match(await (await s.visitor()).command({ type: 'hello', login: { externalId: '', signature: 'ab' } }), {
      code: 'invalid_field',
      field: 'login.externalId',
    });
    t.match(
      await (await s.visitor()).commandRaw({
        type: 'hello',
        login: { externalId: 'u', signature: 'ab', role: 'admin' },
      }),
      { code: 'invalid_field' },
      'logins are strict',
    );
  },
);

t.test('CUST-1: a visitor from the same address shows as a weak hint, never merged', async (t) => {
  const clock = new VirtualClock();
  const s = await startTestServer(t, { clock });
  const admin = await s.staff('admin');

  // Seen once and gone: a page view with nothing to show is no hint.
  await (await hello(s)).v.close();
  const neighbour = await hello(s);
  const theirs = await startOf(neighbour.v);
  await admin.ok({ type: 'edit_customer', conversationId: theirs, changes: { name: 'Neighbour' } });
  await clock.advance(60_000);

  const me = await hello(s);
  const mine = await startOf(me.v);
  const seen = await view(admin, mine);
  t.equal(seen.visitor.ip, '127.0.0.1', "the address of the visitor's hello");
  t.equal(seen.hints.length, 1, 'one hint: the neighbour, not the page view');
  t.match(seen.hints[0], {
    strength: 'weak',
    reason: 'same_ip',
    customerId: anonymousCustomerId(neighbour.visitorId),
    name: 'Neighbour',
    verified: false,
    lastConversation: { conversationId: theirs },
  });
  t.not(seen.customer.id, anonymousCustomerId(neighbour.visitorId), 'a separate customer');
  t.same(seen.conversations, [], "the neighbour's conversation is not in this customer's history");
  t.same(seen.customer.visitors, [me.visitorId.split('.')[0]]);
  const mineAgain = await view(admin, theirs);
  t.equal(mineAgain.customer.name, 'Neighbour', "and the neighbour's profile is untouched");

  // Past the window, a hint is no longer recent.
  await clock.advance(31 * 24 * 3600 * 1000);
  await me.v.ok({ type: 'hello' }); // a later hello re-stamps the visitor
  t.same((await view(admin, mine)).hints, [], 'a neighbour last seen over 30 days before is no hint');
});

t.test(
  'CUST-1 CUST-2: an anonymous visitor who logs in brings their earlier conversations; a browser that logs in as someone else leaves them behind',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const alice = await onlineAgent(s, 'alice');

    const anon = await hello(s);
    const before = await served(anon.v, alice, 'anonymous question');
    await alice.ok({
      type: 'edit_customer',
      conversationId: before,
      changes: { phone: '+1 555 0100', attributes: { plan: 'pro' } },
    });
    await clock.advance(1000);

    const loggedIn = await hello(s, { visitorId: anon.visitorId, login: login(s, 'user-1') });
    t.equal(loggedIn.ack.verified, true);
    const after = await served(loggedIn.v, alice, 'as user-1');
    await clock.advance(1000);
    const other = await hello(s, { login: login(s, 'user-1') });
    const now = await startOf(other.v);
    await other.v.waitFor((e) => e.type === 'assigned' && e.conversationId === now);
    const seen = await view(alice, now);
    t.same(
      seen.conversations.map((c) => c.conversationId),
      [after, before],
      'newest first, the anonymous one included',
    );
    t.match(
      seen.customer,
      { verified: true, externalId: 'user-1', phone: '+1 555 0100', attributes: { plan: 'pro' } },
      'the anonymous profile fills the verified one',
    );

    // The same browser now logs in as another user: from here on it is that user's, history stays with user-1.
    await alice.ok({ type: 'resolve', conversationId: now });
    const switched = await hello(s, { visitorId: anon.visitorId, login: login(s, 'user-2') });
    t.equal(switched.ack.verified, true);
    const theirs = await startOf(switched.v);
    await switched.v.waitFor((e) => e.type === 'assigned' && e.conversationId === theirs);
    const second = await view(alice, theirs);
    t.equal(second.customer.externalId, 'user-2');
    t.same(second.conversations, [], "user-1's conversations do not follow the browser");
    const firstAgain = await view(alice, now);
    t.equal(firstAgain.customer.visitors.length, 1, 'user-1 keeps only the other browser');
    t.equal(firstAgain.conversations.length, 2, 'and all of its history');
  },
);

t.test("CUST-3: the VIP flag makes the customer's next conversation VIP; the open one keeps its needs", async (t) => {
  const s = await startTestServer(t, { clock: new VirtualClock() });
  const carol = await s.staff('carol');
  const alice = await s.staff('alice');
  const { v } = await hello(s);
  const first = await startOf(v);
  t.equal(
    ((await carol.ok({ type: 'explain', conversationId: first })).routing as { needs: { vip: boolean } }).needs.vip,
    false,
  );

  alice.events.length = 0;
  await alice.ok({ type: 'status', status: 'online' });
  await v.waitFor((e) => e.type === 'assigned' && e.conversationId === first);
  t.match(
    await alice.command({ type: 'edit_customer', conversationId: first, changes: { vip: true } }),
    { code: 'forbidden', field: 'changes.vip' },
    'agents do not set the VIP flag',
  );
  const edited = (await carol.ok({
    type: 'edit_customer',
    conversationId: first,
    changes: { vip: true },
  })) as unknown as CustomerView;
  t.equal(edited.customer.vip, true, 'a supervisor of the department does');
  t.equal(
    ((await carol.ok({ type: 'explain', conversationId: first })).routing as { needs: { vip: boolean } }).needs.vip,
    false,
    'the open conversation is unchanged',
  );

  await v.ok({ type: 'leave', conversationId: first });
  const next = await startOf(v);
  const why = await carol.ok({ type: 'explain', conversationId: next });
  t.equal((why.routing as { needs: { vip: boolean } }).needs.vip, true, 'the next conversation is VIP');
});

t.test(
  "CUST-2: a returning customer's earlier conversation, its notes and transfer notes are returned by `customer` to staff who may read the conversation, and to nobody else",
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const alice = await onlineAgent(s, 'alice');
    const bob = await s.staff('bob');
    const carol = await s.staff('carol');

    const visit = await hello(s);
    const earlier = await served(visit.v, alice, 'refund promised');
    // Notes and transfers are written by their own commands (SUP-5, XFER-6); their records are what matters here.
    const journal = s.server.directory.deps.journal;
    const author = { id: 'carol', name: 'Carol', role: 'supervisor' as const };
    const note: NoteRecord = {
      id: 'n-1',
      conversationId: earlier,
      at: clock.now(),
      author,
      text: 'customer was upset about the delay',
    };
    const transfer: TransferRecord = {
      n: 1,
      conversationId: earlier,
      at: clock.now(),
      by: { id: 'alice', name: 'Alice', role: 'agent' },
      from: { id: 'alice', name: 'Alice' },
      fromDepartment: 'pre-sales',
      to: { kind: 'agent', id: 'bob', name: 'Bob', department: 'after-sales' },
      note: 'needs a refund, order 1234',
      tags: ['refund'],
    };
    await journal.writeRecords([
      { key: Keys.note(earlier, 1), value: note },
      { key: Keys.transfer(earlier, 1), value: transfer },
    ]);
    await clock.advance(3600_000);

    // The same visitor comes back.
    const back = await hello(s, { visitorId: visit.visitorId });
    t.equal(back.ack.lastConversationId, earlier);
    const now = await startOf(back.v);
    await back.v.waitFor((e) => e.type === 'assigned' && e.conversationId === now);

    const seen = await view(alice, now);
    t.equal(seen.conversations.length, 1);
    const past = seen.conversations[0]!;
    t.equal(past.conversationId, earlier);
    t.same(past.notes, [note], 'the internal note');
    t.same(past.transfers, [transfer], 'the transfer with its note');
    t.same(
      past.servedBy.map((a) => a.id),
      ['alice', 'bob'],
      'served by alice, then bob by the transfer',
    );
    t.equal(past.resolved?.summary, 'refund promised');
    t.equal(seen.more, false);

    t.equal(
      (await carol.ok({ type: 'customer', conversationId: now })).customer !== undefined,
      true,
      'a supervisor of the department may read it',
    );
    t.match(
      await bob.command({ type: 'customer', conversationId: now }),
      { code: 'not_found', field: 'conversationId' },
      'an agent of another department may not',
    );
    t.match(
      await bob.command({ type: 'edit_customer', conversationId: now, changes: { name: 'x' } }),
      { code: 'not_found' },
      'nor edit it',
    );
    t.match(await bob.command({ type: 'customer', conversationId: 'c-nope' }), {
      code: 'not_found',
      field: 'conversationId',
    });
    t.match(
      await back.v.command({ type: 'customer', conversationId: now }),
      { code: 'unknown_type' },
      'visitors have no such command',
    );
    const toVisitor = JSON.stringify(back.v.events) + JSON.stringify(visit.v.events);
    t.notOk(toVisitor.includes('upset') || toVisitor.includes('order 1234'), 'no note ever reaches the visitor');

    // A resolved conversation's customer can be read too (its actor comes back from the store).
    t.equal((await view(alice, earlier)).customer.id, anonymousCustomerId(visit.visitorId));
  },
);

t.test('CUST-3: profile edits are validated with stable codes', async (t) => {
  const s = await startTestServer(t);
  const admin = await s.staff('admin');
  const { v } = await hello(s);
  const conversationId = await startOf(v);
  const edit = (changes: unknown) => admin.commandRaw({ type: 'edit_customer', conversationId, changes });

  t.match(await edit({ nickname: 'Al' }), { code: 'invalid_field', field: 'changes.nickname' }, 'unknown field');
  t.match(
    await edit({ externalId: 'user-1' }),
    { code: 'invalid_field', field: 'changes.externalId' },
    'the verified id is not editable',
  );
  t.match(
    await edit({ attributes: { plan: 'x'.repeat(CustomerLimits.maxAttributeValueLength + 1) } }),
    { code: 'invalid_field', field: 'changes.attributes.plan' },
    'oversized attribute',
  );
  t.match(
    await edit({ attributes: { 'bad key!': 'x' } }),
    { code: 'invalid_field', field: 'changes.attributes.bad key!' },
    'attribute names are plain',
  );
  t.match(await edit({ email: 'not an email' }), { code: 'invalid_field', field: 'changes.email' });
  t.match(await edit({ name: 'x'.repeat(CustomerLimits.maxNameLength + 1) }), {
    code: 'invalid_field',
    field: 'changes.name',
  });
  t.match(await edit({}), { code: 'invalid_field' }, 'an edit changes something');
  t.match(
    await edit({ name: 'a\ud800b' }),
    { code: 'invalid_field', field: 'changes.name' },
    'lone surrogates in nested fields',
  );
  const many = Object.fromEntries(Array.from({ length: CustomerLimits.maxAttributes }, (_, i) => [`k${i}`, 'v']));
  t.ok(
    (await admin.ok({ type: 'edit_customer', conversationId, changes: { attributes: many } })) !== undefined,
    `${CustomerLimits.maxAttributes} attributes fit`,
  );
  t.match(
    await edit({ attributes: { one: 'more' } }),
    { code: 'limit_exceeded', field: 'changes.attributes' },
    'one more is over the limit',
  );
  const cleared = (await admin.ok({
    type: 'edit_customer',
    conversationId,
    changes: { name: 'Al', attributes: { k0: null, one: 'more' } },
  })) as unknown as CustomerView;
  t.equal(
    Object.keys(cleared.customer.attributes).length,
    CustomerLimits.maxAttributes,
    'null removes an attribute, making room',
  );
  t.equal(cleared.customer.name, 'Al');
  const noName = (await admin.ok({
    type: 'edit_customer',
    conversationId,
    changes: { name: null },
  })) as unknown as CustomerView;
  t.equal(noName.customer.name, undefined, 'null clears a field');
});

t.test('CUST-1 CUST-3: profile edits and verified links survive a restart', async (t) => {
  const dataDir = tempDataDir();
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await startTestServer(t, { dataDir, keepData: true });
  const token = first.cred('admin').token;
  const secret = secretOf(first);
  const { v, visitorId } = await hello(first, { login: login(first, 'user-5') });
  const conversationId = await startOf(v);
  const admin = await first.staff('admin');
  await admin.ok({
    type: 'edit_customer',
    conversationId,
    changes: { name: 'Eve', phone: '+44 20 7946 0000', vip: true, attributes: { tier: 'gold' } },
  });
  await first.stop();

  const second = await startTestServer(t, { dataDir, keepData: true });
  t.equal(second.server.demoVerificationSecret, undefined, 'the secret is printed at first start only');
  const admin2 = await TestClient.connect(`${second.staffUrl}?token=${encodeURIComponent(token)}`);
  t.teardown(() => admin2.close());
  const seen = await view(admin2, conversationId);
  t.match(seen.customer, {
    verified: true,
    externalId: 'user-5',
    name: 'Eve',
    phone: '+44 20 7946 0000',
    vip: true,
    attributes: { tier: 'gold' },
  });
  const again = await second.visitor();
  t.equal(
    (
      await again.ok({
        type: 'hello',
        visitorId,
        login: { externalId: 'user-5', signature: signLogin(secret, 'user-5') },
      })
    ).verified,
    true,
    'the secret survives too',
  );
});

t.test('CUST-2: the history is bounded to the most recent conversations', async (t) => {
  const clock = new VirtualClock();
  const s = await startTestServer(t, { clock });
  const admin = await s.staff('admin');
  const { v, visitorId } = await hello(s);
  const ids: string[] = [];
  for (let i = 0; i < 23; i++) {
    const id = await startOf(v, 'after-sales');
    ids.push(id);
    await v.ok({ type: 'leave', conversationId: id });
    await clock.advance(1000);
  }
  const current = await startOf(v, 'after-sales');
  const journal = s.server.directory.deps.journal;
  const notes = Array.from({ length: 55 }, (_, i): { key: (string | number)[]; value: NoteRecord } => ({
    key: [...Keys.note(ids[22]!, i)],
    value: {
      id: `n${i}`,
      conversationId: ids[22]!,
      at: i,
      author: { id: 'admin', name: 'Admin', role: 'admin' },
      text: `note ${i}`,
    },
  }));
  await journal.writeRecords(notes);
  const seen = await view(admin, current);
  t.equal(seen.conversations.length, 20, 'at most 20');
  t.equal(seen.more, true, 'and it says there are more');
  t.same(
    seen.conversations.map((c) => c.conversationId),
    ids.slice(3).reverse(),
    'the most recent, newest first',
  );
  t.match(seen.conversations[0], {
    status: 'resolved',
    resolved: { reason: 'abandoned', by: { role: 'visitor', id: visitorId } },
    department: 'after-sales',
    servedBy: [],
  });
  t.equal(seen.conversations[0]!.notes.length, 50, 'the last 50 notes');
  t.equal(seen.conversations[0]!.notes[0]!.id, 'n5');
  t.same(seen.conversations[0]!.omitted, { notes: 5 });
  const frames: Frame[] = v.events;
  t.notOk(
    frames.some((f) => JSON.stringify(f).includes('note 1')),
    'visitors never get notes',
  );
});

t.test(
  'CUST-1 CUST-3: two tabs of a new user logging in at once make one customer; a login or edit the store refuses is not acknowledged',
  async (t) => {
    const s = await startTestServer(t);
    const journal = s.server.directory.deps.journal;
    const [a, b] = await Promise.all([s.visitor(), s.visitor()]);
    const [ackA, ackB] = await Promise.all([
      a.ok({ type: 'hello', login: login(s, 'user-tabs') }),
      b.ok({ type: 'hello', login: login(s, 'user-tabs') }),
    ]);
    t.equal(ackA.verified && ackB.verified, true);
    const customers = [...journal.records<CustomerRecord>(['customer'])]
      .map((r) => r.value)
      .filter((c) => c.externalId === 'user-tabs');
    t.equal(customers.length, 1, 'one customer, though the second login was read before the first committed');
    t.same(customers[0]!.visitorIds.sort(), [ackA.visitorId, ackB.visitorId].sort());

    let failing = true;
    // Through store-faults: an edit's records may reach the store on their own or within a turn's batch.
    interceptEvents(s.server.store, {
      refuseRecords: (writes) =>
        failing && writes.some((w) => w.key[0] === 'customer' || w.key[0] === 'visitor-link')
          ? Promise.reject(new Error('injected: disk full'))
          : undefined,
    });
    const c = await s.visitor();
    t.match(
      await c.command({ type: 'hello', login: login(s, 'user-disk') }),
      { code: 'storage_failed' },
      'the login is not acknowledged',
    );
    t.equal((await c.command({ type: 'start' })).code, 'unauthorized', 'and the connection is bound to nobody');
    const admin = await s.staff('admin');
    const conversationId = await startOf(a);
    t.match(await admin.command({ type: 'edit_customer', conversationId, changes: { name: 'Lost' } }), {
      code: 'storage_failed',
    });
    failing = false;
    t.equal((await view(admin, conversationId)).customer.name, undefined, 'the refused edit changed nothing');
    const ok = (await admin.ok({
      type: 'edit_customer',
      conversationId,
      changes: { name: 'Kept' },
    })) as unknown as CustomerView;
    t.equal(ok.customer.name, 'Kept', 'a retry is stored');
    t.equal(
      (await (await s.visitor()).ok({ type: 'hello', login: login(s, 'user-disk') })).verified,
      true,
      'and so is a retried login',
    );
  },
);
