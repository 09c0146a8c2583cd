/**
 * The seed's day, end to end, against one real server: a visitor on the demo
 * shop (the widget in Chromium) writes "我要退款"; the keyword rule routes it
 * to after-sales, where bob gets it with its history; bob transfers it to
 * alice with a note and a tag while the visitor keeps writing; alice gets
 * the note, the chain and every message exactly once; carol's workbench (in
 * Chromium, another browser context) shows the load change within a second,
 * and she watches, joins and takes over; she resolves it with a summary and
 * the visitor rates it.
 *
 * Bob and alice are protocol clients (test/support/client.ts): the agent
 * desk of the console is not far enough along to drive their side in the
 * browser. Bob may transfer across departments (alice is in pre-sales): an
 * admin grants it to him first, as the demo accounts have no such grant.
 */
import t from 'tap';
import { Keys } from '../actors/keyspace.js';
import { ConversationEventTypes } from '../protocol/conversation-event-types.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import type { Frame } from './support/client.js';
import { onlineAgent } from './support/conversations.js';
import { startTestServer } from './support/server.js';
import { chatTexts, openChat, waitForText, widget, write } from './support/widget-page.js';
import { agentRow, convAction, convRow, openWorkbench, waitForAttribute, wb } from './support/workbench-page.js';

const browser = await launchBrowser(t);

const visitorTexts = (events: readonly Frame[]) =>
  events
    .filter((e) => e.type === 'message' && (e.from as { role: string }).role === 'visitor')
    .map((e) => e.text as string);

t.test(
  'ROUTE-7 XFER-1 XFER-2 XFER-3 XFER-4 MON-1 WEB-4 SUP-1 SUP-2 SUP-3 XFER-7 MON-3: the seed’s day end to end',
  async (t) => {
    const ts = await startTestServer(t);
    const dir = ts.server.directory;
    await dir.deps.runtime.ask(dir.workspace, {
      type: 'configureStaff',
      id: 'bob',
      changes: { crossDepartmentTransfer: true },
    });
    const bob = await onlineAgent(ts, 'bob');
    const alice = await onlineAgent(ts, 'alice');
    const carol = await openWorkbench(browser, ts, 'carol');
    const visitor = await openPage(browser, { locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    await visitor.page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await openChat(visitor.page);

    // ROUTE-7: the keyword rule sends "我要退款" to after-sales, where bob is the one online.
    await write(visitor.page, '我要退款');
    const assigned = await bob.waitFor((e) => e.type === 'assigned', 10_000, "bob's assignment");
    const id = assigned.conversationId as string;
    t.equal(assigned.department, 'after-sales', 'routed to after-sales');
    const bobSawAt = Date.now();
    const explained = await bob.ok({ type: 'explain', conversationId: id });
    t.match(explained.routing, { matches: [{ ruleId: 'refund' }] }, 'by the refund rule');
    await bob.resumeAll(id, 0);
    t.ok(
      bob.events.some((e) => e.conversationId === id && e.text === '我要退款'),
      'bob has the history',
    );

    // MON-1: carol's wall shows bob's load within a second.
    await waitForAttribute(carol.page, agentRow('after-sales', 'bob'), 'data-active', '1', 5_000);
    const bobLoadMs = Date.now() - bobSawAt;
    t.ok(bobLoadMs < 1000, `bob's load on carol's wall after ${bobLoadMs} ms`);
    await waitForAttribute(carol.page, convRow(id), 'data-agent', 'bob');

    // XFER-1…3: bob hands it to alice with a note and a tag while the visitor keeps writing.
    await bob.ok({ type: 'send', conversationId: id, clientMsgId: 'b-1', text: '您好，我是 Bob，请问订单号？' });
    await waitForText(visitor.page, '.log', '请问订单号');
    const note = 'Order 2291, wants a refund; billed twice and upset. Needs pre-sales pricing check.';
    const [xfer] = await Promise.all([
      bob.ok({ type: 'transfer', conversationId: id, to: { agentId: 'alice' }, note, tags: ['billing', 'angry'] }),
      write(visitor.page, '订单号 2291'),
    ]);
    t.equal(xfer.agentId, 'alice', 'the transfer went to alice');
    await write(visitor.page, '还在吗？');

    // XFER-4: alice gets the note, the chain and the history, then the rest live: every message once.
    const handover = await alice.waitFor((e) => e.type === 'handover' && e.conversationId === id);
    t.match(handover.transfer, { note, tags: ['billing', 'angry'], from: { id: 'bob' } }, 'the note and tags');
    t.equal((handover.transfers as unknown[]).length, 1, 'the chain');
    const aliceAssigned = await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === id);
    const aliceSawAt = Date.now();
    await alice.waitFor((e) => e.type === 'message' && e.conversationId === id && e.text === '还在吗？');
    const history = handover.history as Frame[];
    // Journal events only: a transient `read` carries the reader's seq mark, not an event's.
    const journal = new Set<string>(ConversationEventTypes);
    const seen = [...history, ...alice.conversationEvents(id).filter((e) => journal.has(e.type))];
    const seqs = seen.map((e) => e.seq as number);
    t.same(
      seqs,
      [...new Set(seqs)].sort((a, b) => a - b),
      'each seq once, in order, across handover and live',
    );
    t.same(
      visitorTexts(seen),
      ['我要退款', '订单号 2291', '还在吗？'],
      'every visitor message exactly once, those written during the hand-over included',
    );
    t.ok((aliceAssigned.seq as number) > (history.at(-1)?.seq as number), 'history ends before her assignment');

    // MON-1: the load moves from bob to alice on carol's wall within a second.
    await waitForAttribute(carol.page, agentRow('pre-sales', 'alice'), 'data-active', '1', 5_000);
    await waitForAttribute(carol.page, agentRow('after-sales', 'bob'), 'data-active', '0', 5_000);
    const aliceLoadMs = Date.now() - aliceSawAt;
    t.ok(aliceLoadMs < 1000, `the load change on carol's wall after ${aliceLoadMs} ms`);
    await waitForAttribute(carol.page, convRow(id), 'data-agent', 'alice');
    await screenshot(carol.page, 'seed-day', '1-carol-wall-after-transfer');

    // SUP-1: carol watches silently and sees the whole conversation, the transfer note included.
    await carol.page.locator(convAction(id, 'watch')).click();
    await waitForText(carol.page, wb.watchLog, '还在吗？');
    await waitForText(carol.page, wb.watchLog, 'Transferred to Alice by Bob');
    await alice.ok({ type: 'send', conversationId: id, clientMsgId: 'a-1', text: '您好，我是 Alice，马上为您处理。' });
    await waitForText(carol.page, wb.watchLog, '马上为您处理');
    const watchSeqs = await carol.page
      .locator(`${wb.watchLog} [data-seq]`)
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    t.same(
      watchSeqs,
      [...new Set(watchSeqs)].sort((a, b) => a - b),
      "carol's view: each event once",
    );
    await screenshot(carol.page, 'seed-day', '2-carol-watching');

    // SUP-2: she joins; the visitor sees her.
    await carol.page.locator(`${wb.watch} [data-action=join]`).click();
    await waitForText(visitor.page, '.log', 'Carol');
    await carol.page.locator(wb.reply).fill('我是主管 Carol，我来跟进退款。');
    await carol.page.locator(wb.reply).press('Enter');
    await waitForText(visitor.page, '.log', '我来跟进退款');

    // SUP-3: she takes over; alice is told and loses it.
    await carol.page.locator(`${wb.watch} [data-action=takeover]`).click();
    const takenOver = await alice.waitFor((e) => e.type === 'notice' && e.code === 'taken_over');
    t.equal(takenOver.conversationId, id, 'alice is told');
    await waitForAttribute(carol.page, wb.watch, 'data-mode', 'serving');
    await waitForAttribute(carol.page, agentRow('pre-sales', 'alice'), 'data-active', '0', 5_000);

    // XFER-7: resolved with a summary; MON-3: the visitor rates it.
    await carol.page.locator(wb.summary).fill('退款已批准，订单 2291');
    await carol.page.locator(wb.summary).press('Enter');
    await waitForAttribute(carol.page, wb.watch, 'data-status', 'resolved');
    await screenshot(carol.page, 'seed-day', '3-carol-resolved');
    const star = visitor.page.locator(`${widget.panel} .survey .star`).nth(4);
    await star.waitFor();
    await screenshot(visitor.page, 'seed-day', '4-visitor-survey');
    await star.click();
    await waitForText(visitor.page, '.notice', '感谢您的评价');
    const rating = dir.deps.journal.getRecord<{ score: number }>(Keys.rating(id));
    t.equal(rating?.score, 5, 'the rating is stored');
    const texts = await chatTexts(visitor.page);
    t.same(
      texts.filter((x) => ['我要退款', '订单号 2291', '还在吗？'].includes(x)),
      ['我要退款', '订单号 2291', '还在吗？'],
      "the visitor's own messages once each in the widget",
    );
    await screenshot(visitor.page, 'seed-day', '5-visitor-rated');
    t.same([...carol.errors, ...visitor.errors], [], 'no page errors');
  },
);
