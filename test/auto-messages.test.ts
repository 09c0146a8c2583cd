/**
 * Automatic messages (CONV-4), the satisfaction survey's `rate` command and
 * inactivity auto-close (CONV-5), over real WebSockets on the virtual clock.
 *
 * The expected texts are written out here on purpose: a changed default is
 * a change customers see, and must show up as a failing test.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { startTestServer, tempDataDir, type TestOwner, type TestServer } from './support/server.js';
import { openConversation, onlineAgent } from './support/conversations.js';
import { TestClient, type Frame } from './support/client.js';

import { VirtualClock } from '../actors/clock.js';
import { Keys } from '../actors/keyspace.js';
import type { AgentStatsRecord } from '../actors/agent/records.js';
import type { RatingRecord } from '../actors/conversation/records.js';
import type { WorkspaceConversationSettings } from '../actors/workspace/messages.js';

/** Real time for frames in flight to arrive; virtual time does not move. */
const pause = (ms = 80) => new Promise((r) => setTimeout(r, ms));

const configureWorkspace = (s: TestServer, changes: WorkspaceConversationSettings) =>
  s.server.directory.deps.runtime.ask(s.server.directory.workspace, { type: 'configureWorkspace', changes });

const EN = {
  welcome: 'Hello! Thanks for contacting us. An agent will be with you shortly.',
  queued1: 'All our agents are busy. You are number 1 in line; please stay with us.',
  queued2: 'All our agents are busy. You are number 2 in line; please stay with us.',
  offline: 'Our team is not available right now. Leave us a message and we will answer as soon as we are back.',
  aliceJoined: 'Alice has joined the conversation.',
  resolved: 'This conversation has been marked as resolved. Write again any time if you need more help.',
  survey: 'How did we do? Please rate this conversation from 1 to 5.',
};
const ZH = {
  welcome: '您好！感谢您的咨询，客服人员马上为您服务。',
  queued1: '当前客服繁忙，您前面还有 1 位，请稍候。',
  offline: '客服暂时不在线，请留言，我们回来后会尽快回复您。',
  aliceJoined: 'Alice 已加入会话。',
  resolved: '本次会话已结束。如需更多帮助，欢迎随时再次留言。',
  survey: '请为本次服务评分（1 到 5 分）。',
};

const isAuto = (e: Frame): boolean => e.type === 'message' && e.auto !== undefined;
const autoOf = (key: string) => (e: Frame) => e.type === 'message' && e.auto === key;
/** The automatic messages a client received, as [key, text], in arrival order. */
const autos = (c: TestClient): [string, string][] =>
  c.events.filter(isAuto).map((e) => [e.auto as string, e.text as string]);
const assigned = (e: Frame) => e.type === 'assigned';
const resolvedEvent = (e: Frame) => e.type === 'resolved';

// ---------------------------------------------------------------- CONV-4

t.test(
  'CONV-4: default English texts: welcome, queued with the position, offline when nobody is online, agent joined, resolved and survey; stored from `system`',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = await onlineAgent(s, 'alice');
    await alice.ok({ type: 'status', status: 'busy' });

    const one = await openConversation(s, { department: 'pre-sales', text: 'hello' });
    t.match(
      await one.v.waitFor(autoOf('queued')),
      { text: EN.queued1, from: { role: 'system', id: 'system' }, conversationId: one.conversationId, seq: Number },
      'first in line: number 1',
    );
    const two = await openConversation(s, { department: 'pre-sales', text: 'hello too' });
    t.match(await two.v.waitFor(autoOf('queued')), { text: EN.queued2 }, 'second in line: number 2');
    const away = await openConversation(s, { department: 'after-sales', text: 'anyone there?' });
    t.match(
      await away.v.waitFor(autoOf('offline')),
      { text: EN.offline },
      'nobody of after-sales online: the leave-a-message text',
    );
    t.notOk(away.v.events.some(autoOf('queued')), 'and no position');

    await alice.ok({ type: 'status', status: 'online' });
    await one.v.waitFor(assigned);
    t.match(
      await one.v.waitFor(autoOf('agent_joined')),
      { text: EN.aliceJoined },
      "the agent's name when one is assigned",
    );
    await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === one.conversationId);
    await alice.ok({ type: 'resolve', conversationId: one.conversationId, summary: 'done' });
    await one.v.waitFor(autoOf('survey'));
    await pause();
    t.same(
      autos(one.v),
      [
        ['welcome', EN.welcome],
        ['queued', EN.queued1],
        ['agent_joined', EN.aliceJoined],
        ['resolved', EN.resolved],
        ['survey', EN.survey],
      ],
      'the customer gets each automatic message once, in this order',
    );
    const resolvedAt = one.v.events.findIndex(resolvedEvent);
    t.ok(
      resolvedAt >= 0 && one.v.events.findIndex(autoOf('resolved')) > resolvedAt,
      'resolved and survey follow the resolved event',
    );
    t.ok(
      one.v.events.filter(isAuto).every((e) => (e.from as { role: string }).role === 'system'),
      'all from the system',
    );

    // They are stored: a replay on a new connection has them with their seqs.
    const again = await s.visitor();
    await again.ok({ type: 'hello', visitorId: one.visitorId });
    await again.resumeAll(one.conversationId, 0);
    t.same(autos(again), autos(one.v), 'a replay holds the same automatic messages');
    t.same(
      again.events.filter(isAuto).map((e) => e.seq),
      one.v.events.filter(isAuto).map((e) => e.seq),
      'with the same seqs',
    );

    // A customer who leaves is not asked to rate.
    await two.v.ok({ type: 'leave', conversationId: two.conversationId });
    await two.v.waitFor(resolvedEvent);
    await pause();
    t.notOk(
      two.v.events.some(autoOf('resolved')) || two.v.events.some(autoOf('survey')),
      'leaving sends neither resolved nor survey',
    );
  },
);

t.test(
  'CONV-4: zh-CN texts when the widget asks for zh-CN, or when it is the workspace default; an unknown language is refused',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = await onlineAgent(s, 'alice');
    await alice.ok({ type: 'status', status: 'busy' });

    const zh = await openConversation(s, { department: 'pre-sales', text: '你好', language: 'zh-CN' });
    t.match(
      await zh.v.waitFor((e) => e.type === 'created'),
      { language: 'zh-CN' },
      'the language is stored with the conversation',
    );
    t.match(await zh.v.waitFor(autoOf('queued')), { text: ZH.queued1 });
    const off = await openConversation(s, { department: 'after-sales', language: 'zh-CN' });
    t.match(await off.v.waitFor(autoOf('offline')), { text: ZH.offline });
    await alice.ok({ type: 'status', status: 'online' });
    await zh.v.waitFor(autoOf('agent_joined'));
    await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === zh.conversationId);
    await alice.ok({ type: 'resolve', conversationId: zh.conversationId });
    await zh.v.waitFor(autoOf('survey'));
    t.same(
      autos(zh.v),
      [
        ['welcome', ZH.welcome],
        ['queued', ZH.queued1],
        ['agent_joined', ZH.aliceJoined],
        ['resolved', ZH.resolved],
        ['survey', ZH.survey],
      ],
      'every automatic message in Chinese',
    );

    const v = await s.visitor();
    await v.ok({ type: 'hello' });
    t.match(
      await v.commandRaw({ type: 'start', department: 'pre-sales', language: 'fr' }),
      { type: 'error', code: 'invalid_field', field: 'language' },
      'start with an unknown language is refused',
    );

    t.match(await configureWorkspace(s, { defaultLanguage: 'zh-CN' }), { defaultLanguage: 'zh-CN' });
    const byDefault = await openConversation(s, { department: 'pre-sales', text: 'hi' });
    t.match(
      await byDefault.v.waitFor(autoOf('welcome')),
      { text: ZH.welcome },
      'no language asked: the workspace default, zh-CN',
    );
    const en = await openConversation(s, { department: 'pre-sales', text: 'hi', language: 'en' });
    t.match(
      await en.v.waitFor(autoOf('welcome')),
      { text: EN.welcome },
      "the widget's en wins over the workspace default",
    );
  },
);

t.test(
  'CONV-4: a workspace replaces a text per language, an empty text turns one message off, enabled:false turns all off, null restores the defaults',
  async (t) => {
    const s = await startTestServer(t, { clock: new VirtualClock() });
    const alice = await onlineAgent(s, 'alice');
    const serve = async (start: Record<string, unknown>) => {
      const c = await openConversation(s, { department: 'pre-sales', ...start });
      await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === c.conversationId);
      await alice.ok({ type: 'resolve', conversationId: c.conversationId });
      await c.v.waitFor(resolvedEvent);
      await pause();
      return c.v;
    };

    await configureWorkspace(s, {
      autoMessages: {
        texts: {
          en: { welcome: 'Welcome to ACME!', agent_joined: '{agent} is here for you.' },
          'zh-CN': { welcome: '欢迎来到 ACME' },
        },
      },
    });
    const en = await serve({ text: 'hi' });
    t.same(
      autos(en),
      [
        ['welcome', 'Welcome to ACME!'],
        ['agent_joined', 'Alice is here for you.'],
        ['resolved', EN.resolved],
        ['survey', EN.survey],
      ],
      'the replaced texts (with {agent} filled in), the others as by default',
    );
    const zh = await serve({ text: '你好', language: 'zh-CN' });
    t.same(
      autos(zh).slice(0, 2),
      [
        ['welcome', '欢迎来到 ACME'],
        ['agent_joined', ZH.aliceJoined],
      ],
      'per language: zh-CN has its own override and keeps its other defaults',
    );

    await configureWorkspace(s, { autoMessages: { texts: { en: { welcome: '', survey: '' } } } });
    const quiet = await serve({ text: 'hi' });
    t.same(
      autos(quiet).map(([k]) => k),
      ['agent_joined', 'resolved'],
      'empty texts turn welcome and survey off, nothing else',
    );
    t.equal(autos(quiet)[0]![1], EN.aliceJoined, 'the earlier override is gone: autoMessages is replaced as a whole');

    await configureWorkspace(s, { autoMessages: { enabled: false, texts: { en: { welcome: 'never sent' } } } });
    const none = await serve({ text: 'hi' });
    t.same(autos(none), [], 'enabled:false: no automatic message at all');
    t.ok(
      none.events.some(resolvedEvent) && none.events.some(assigned),
      'while the conversation itself went on as usual',
    );

    await configureWorkspace(s, { autoMessages: null });
    const back = await serve({ text: 'hi' });
    t.same(
      autos(back).map(([, text]) => text),
      [EN.welcome, EN.aliceJoined, EN.resolved, EN.survey],
      'null removes the setting: the defaults are back',
    );
  },
);

t.test('CONV-4: invalid automatic-message settings are refused with the field path, and change nothing', async (t) => {
  const s = await startTestServer(t, { clock: new VirtualClock() });
  const bad = (changes: unknown) => configureWorkspace(s, changes as WorkspaceConversationSettings);
  await configureWorkspace(s, { autoMessages: { texts: { en: { welcome: 'Kept' } } } });

  await t.rejects(
    bad({ autoMessages: { texts: { fr: { welcome: 'Bonjour' } } } }),
    { code: 'invalid_field', field: 'autoMessages.texts.fr' },
    'an unknown language',
  );
  await t.rejects(
    bad({ autoMessages: { texts: { en: { hello: 'Hi' } } } }),
    { code: 'invalid_field', field: 'autoMessages.texts.en.hello' },
    'an unknown message key',
  );
  await t.rejects(
    bad({ autoMessages: { texts: { 'zh-CN': { welcome: 42 } } } }),
    { code: 'invalid_field', field: 'autoMessages.texts.zh-CN.welcome' },
    'a text that is not a string',
  );
  await t.rejects(
    bad({ autoMessages: { texts: { en: { welcome: 'x'.repeat(2001) } } } }),
    { code: 'invalid_field', field: 'autoMessages.texts.en.welcome' },
    'a text that is too long',
  );
  await t.rejects(
    bad({ defaultLanguage: 'fr' }),
    { code: 'invalid_field', field: 'defaultLanguage' },
    'an unknown default language',
  );
  await t.rejects(
    bad({ autoCloseAfterMin: 0 }),
    { code: 'invalid_field', field: 'autoCloseAfterMin' },
    'auto-close after 0 minutes',
  );
  await t.rejects(bad({ autoCloseAfterMin: -5 }), { code: 'invalid_field', field: 'autoCloseAfterMin' });

  t.match(
    s.server.directory.settings,
    { autoMessages: { texts: { en: { welcome: 'Kept' } } } },
    'the stored settings are unchanged',
  );
  t.equal(s.server.directory.settings.defaultLanguage, undefined);
  const c = await openConversation(s, { department: 'pre-sales', text: 'hi' });
  t.match(await c.v.waitFor(autoOf('welcome')), { text: 'Kept' }, 'customers still get the last valid texts');
});

/** Alice serves a new pre-sales conversation; with `resolved`, she has resolved it and the customer got the survey. */
async function survey(t: TestOwner, resolved: boolean) {
  const s = await startTestServer(t, { clock: new VirtualClock() });
  const alice = await onlineAgent(s, 'alice');
  const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'hi' });
  await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
  if (resolved) {
    await alice.ok({ type: 'resolve', conversationId });
    await v.waitFor(autoOf('survey'));
  }
  return { s, alice, v, conversationId, journal: s.server.directory.deps.journal };
}

t.test('CONV-4: the satisfaction survey: a rating before the resolve is a conflict and stores nothing', async (t) => {
  const { v, conversationId, journal } = await survey(t, false);
  t.match(
    await v.command({ type: 'rate', conversationId, score: 5 }),
    { type: 'error', code: 'conflict' },
    'before resolve: conflict',
  );
  t.equal(journal.getRecord(Keys.rating(conversationId)), undefined, 'nothing stored');
});

t.test('CONV-4: the satisfaction survey: a score out of range is invalid_field and stores nothing', async (t) => {
  const { v, conversationId, journal } = await survey(t, true);
  t.match(
    await v.command({ type: 'rate', conversationId, score: 6 }),
    { type: 'error', code: 'invalid_field', field: 'score' },
    'score 6 is refused by the schema',
  );
  t.match(
    await v.command({ type: 'rate', conversationId, score: 0 }),
    { type: 'error', code: 'invalid_field', field: 'score' },
    'score 0 too',
  );
  t.match(
    await v.command({ type: 'rate', conversationId, score: 3.5 }),
    { type: 'error', code: 'invalid_field', field: 'score' },
    'a fraction too',
  );
  t.equal(journal.getRecord(Keys.rating(conversationId)), undefined, 'still nothing stored');
});

t.test(
  "CONV-4: the satisfaction survey: only the conversation's customer rates it; another visitor gets not_found, staff have no rate command",
  async (t) => {
    const { s, alice, v, conversationId, journal } = await survey(t, true);
    const other = await s.visitor();
    await other.ok({ type: 'hello' });
    t.match(
      await other.command({ type: 'rate', conversationId, score: 1 }),
      { type: 'error', code: 'not_found', field: 'conversationId' },
      'another visitor cannot rate it',
    );
    t.equal(
      (await alice.command({ type: 'rate', conversationId, score: 1 })).code,
      'unknown_type',
      'staff have no rate command',
    );
    t.equal(journal.getRecord(Keys.rating(conversationId)), undefined, 'still nothing stored');
    t.match(await v.command({ type: 'rate', conversationId: 'c-no-such-conversation', score: 3 }), {
      type: 'error',
      code: 'not_found',
    });
  },
);

t.test(
  'CONV-4: the satisfaction survey: a rating after the resolve is stored with the agent and feeds their figure once; a second answer replaces the first',
  async (t) => {
    const { v, conversationId, journal } = await survey(t, true);
    t.same(
      await v.ok({ type: 'rate', conversationId, score: 4, comment: 'quick and friendly' }),
      { conversationId, score: 4 },
      'the customer rates it 4',
    );
    t.match(
      journal.getRecord<RatingRecord>(Keys.rating(conversationId)),
      { conversationId, agentId: 'alice', score: 4, comment: 'quick and friendly' },
      'stored with the agent',
    );
    await pause();
    t.equal(
      journal.getRecord<AgentStatsRecord>(Keys.agentStats('alice'))?.figures.satisfaction,
      4,
      "it feeds alice's satisfaction figure (ROUTE-10)",
    );
    t.same(
      await v.ok({ type: 'rate', conversationId, score: 2 }),
      { conversationId, score: 2 },
      'a second answer replaces the first',
    );
    t.match(journal.getRecord<RatingRecord>(Keys.rating(conversationId)), { score: 2 });
    await pause();
    t.equal(
      journal.getRecord<AgentStatsRecord>(Keys.agentStats('alice'))?.figures.satisfaction,
      4,
      'but does not count twice in the figure',
    );
  },
);

// ---------------------------------------------------------------- CONV-5

/** A server with auto-close after 5 minutes and alice online; opens one pre-sales conversation assigned to her. */
async function autoCloseSetup(t: TestOwner, opts: { dataDir?: string } = {}) {
  const clock = new VirtualClock();
  const s = await startTestServer(t, { clock, ...(opts.dataDir ? { dataDir: opts.dataDir, keepData: true } : {}) });
  await configureWorkspace(s, { autoCloseAfterMin: 5 });
  const alice = await onlineAgent(s, 'alice');
  return { clock, s, alice };
}

const MIN = 60_000;

t.test(
  'CONV-5: an assigned conversation without a customer message for 5 minutes is resolved as inactive; customer and agent see it; the slot is freed',
  async (t) => {
    const { clock, s, alice } = await autoCloseSetup(t);
    const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'hi' });
    await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
    const busy = await alice.waitFor((e) => e.type === 'agent_status' && e.active === 1);
    await alice.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: 'How can I help?' });

    await clock.advance(5 * MIN - 1_000);
    await pause();
    t.notOk(v.events.some(resolvedEvent), 'one second before 5 minutes it is still open');
    await clock.advance(1_000);
    const closed = await v.waitFor(resolvedEvent);
    t.match(
      closed,
      { conversationId, reason: 'inactive', by: { role: 'system' } },
      'at 5 minutes the customer sees it resolved for inactivity',
    );
    t.match(await alice.waitFor(resolvedEvent), { conversationId, reason: 'inactive' }, 'so does the agent');
    t.match(
      await alice.waitFor(
        (e) => e.type === 'agent_status' && alice.events.indexOf(e) > alice.events.indexOf(busy) && e.active === 0,
      ),
      { active: 0 },
      "alice's slot is freed",
    );
    await v.waitFor(autoOf('survey'));
    t.same(
      autos(v)
        .slice(-2)
        .map(([k]) => k),
      ['resolved', 'survey'],
      'the customer is told and asked to rate, as for a resolve by staff',
    );
    t.same((await alice.ok({ type: 'status', status: 'online' })).conversations, [], "it is no longer alice's");
    t.equal(v.events.filter(resolvedEvent).length, 1, 'resolved once');
  },
);

t.test('CONV-5: a customer message at minute 4 moves the auto-close to minute 9; agent messages do not', async (t) => {
  const { clock, s, alice } = await autoCloseSetup(t);
  const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'hi' });
  await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);

  await clock.advance(4 * MIN);
  await v.ok({ type: 'send', conversationId, clientMsgId: 'v2', text: 'still thinking' });
  await clock.advance(2 * MIN);
  await alice.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: 'take your time' });
  await clock.advance(1 * MIN);
  await pause();
  t.notOk(
    v.events.some(resolvedEvent),
    "minute 7: still open (5 minutes after the customer's last message is minute 9)",
  );
  await clock.advance(2 * MIN - 1_000);
  await pause();
  t.notOk(
    v.events.some(resolvedEvent),
    "one second before minute 9: still open, the agent's message at minute 6 did not move it",
  );
  await clock.advance(1_000);
  t.match(await v.waitFor(resolvedEvent), { reason: 'inactive' }, 'minute 9: resolved as inactive');
  t.equal(
    (v.events.find(resolvedEvent)!.at as number) - (v.events.find((e) => e.type === 'created')!.at as number),
    9 * MIN,
    'exactly 9 minutes after it opened',
  );
});

t.test(
  'CONV-5: a conversation waiting in the queue or as a left message is never auto-closed; the clock starts at the assignment',
  async (t) => {
    const { clock, s, alice } = await autoCloseSetup(t);
    await alice.ok({ type: 'status', status: 'busy' });
    const queued = await openConversation(s, { department: 'pre-sales', text: 'waiting in line' });
    await queued.v.waitFor((e) => e.type === 'queued');
    const left = await openConversation(s, { department: 'after-sales', text: 'nobody there' });
    t.match(await left.v.waitFor((e) => e.type === 'queued'), { reason: 'no_agents_online' });

    await clock.advance(30 * MIN);
    await pause();
    t.notOk(queued.v.events.some(resolvedEvent), 'after 30 minutes in the queue it is still open');
    t.notOk(left.v.events.some(resolvedEvent), 'so is the left message');

    await alice.ok({ type: 'status', status: 'online' });
    await queued.v.waitFor(assigned);
    await clock.advance(5 * MIN - 1_000);
    await pause();
    t.notOk(
      queued.v.events.some(resolvedEvent),
      'assigned at minute 30: not closed at minute 34:59 although the customer last wrote at minute 0',
    );
    await clock.advance(1_000);
    t.match(await queued.v.waitFor(resolvedEvent), { reason: 'inactive' }, 'closed 5 minutes after the assignment');
    t.notOk(left.v.events.some(resolvedEvent), 'the left message still waits');
  },
);

t.test('CONV-5: turning auto-close off stops a running timer', async (t) => {
  const { clock, s, alice } = await autoCloseSetup(t);
  const { v, conversationId } = await openConversation(s, { department: 'pre-sales', text: 'hi' });
  await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
  await configureWorkspace(s, { autoCloseAfterMin: null });
  await clock.advance(60 * MIN);
  await pause();
  t.notOk(v.events.some(resolvedEvent), 'no auto-close once the setting is removed');
});

t.test(
  'CONV-5: turning auto-close on, or shortening it, applies to conversations already assigned, as after a restart',
  async (t) => {
    const clock = new VirtualClock();
    const s = await startTestServer(t, { clock });
    const alice = await onlineAgent(s, 'alice');
    const idle = await openConversation(s, { department: 'pre-sales', text: 'hi' });
    await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === idle.conversationId);
    await clock.advance(2 * MIN);

    await configureWorkspace(s, { autoCloseAfterMin: 5 });
    await pause();
    await clock.advance(3 * MIN - 1_000);
    await pause();
    t.notOk(idle.v.events.some(resolvedEvent), '4:59 after its last customer message: still open');
    await clock.advance(1_000);
    t.match(
      await idle.v.waitFor(resolvedEvent),
      { reason: 'inactive' },
      "switched on while it was assigned: closed 5 minutes after the customer's last message",
    );

    await configureWorkspace(s, { autoCloseAfterMin: 60 });
    const other = await openConversation(s, { department: 'pre-sales', text: 'hello' });
    await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === other.conversationId);
    await clock.advance(10 * MIN);
    await configureWorkspace(s, { autoCloseAfterMin: 10 });
    await pause();
    await clock.advance(1_000);
    t.match(
      await other.v.waitFor(resolvedEvent),
      { reason: 'inactive' },
      'shortened from 60 to 10 minutes after 10 idle minutes: closed at once, not at minute 60',
    );
  },
);

t.test('CONV-5: the inactivity timer runs on across a server restart', async (t) => {
  const dataDir = tempDataDir();
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const { clock, s, alice } = await autoCloseSetup(t, { dataDir });
  const aliceToken = s.cred('alice').token;
  const { v, conversationId, visitorId } = await openConversation(s, { department: 'pre-sales', text: 'hi' });
  await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
  await clock.advance(2 * MIN);
  const lastSeq = Math.max(...v.conversationEvents(conversationId).map((e) => e.seq as number));
  await s.stop();

  const clock2 = new VirtualClock(clock.now());
  const s2 = await startTestServer(t, { clock: clock2, dataDir, keepData: true });
  const v2 = await s2.visitor();
  await v2.ok({ type: 'hello', visitorId });
  t.match(await v2.resumeAll(conversationId, lastSeq), { status: 'assigned' }, 'still assigned after the restart');
  const alice2 = await TestClient.connect(`${s2.staffUrl}?token=${encodeURIComponent(aliceToken)}`);
  t.teardown(() => alice2.close());
  await alice2.waitFor((e) => e.type === 'agent_status' && e.active === 1);

  await clock2.advance(3 * MIN - 1_000);
  await pause();
  t.notOk(v2.events.some(resolvedEvent), '4:59 after the assignment (restart included): still open');
  await clock2.advance(1_000);
  t.match(
    await v2.waitFor(resolvedEvent),
    { conversationId, reason: 'inactive' },
    'at 5 minutes it is resolved as inactive',
  );
  t.match(
    await alice2.waitFor((e) => e.type === 'agent_status' && e.active === 0),
    { active: 0 },
    "and alice's restored slot is freed",
  );
});
