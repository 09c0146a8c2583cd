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
 * Four browser contexts at once: the visitor's widget, bob's and alice's
 * consoles (the agent desk) and carol's (the workbench). The server runs on
 * the demo workspace exactly as `npm start` creates it (src/seed.ts): bob's
 * account may transfer across departments (alice is in pre-sales) with no
 * grant made here, so a person can do the same in two browser windows.
 * Desktop notifications and
 * sounds are recorded by the console tests' stub (attentionStub).
 */
import t from 'tap';
import { Keys } from '../actors/keyspace.js';
import { launchBrowser, openPage, screenshot, waitForPageExpression } from './support/browser.js';
import { chooseStatus, attentionStub, desk, desktop, openConsole, shownEvents } from './support/console-page.js';
import { startTestServer } from './support/server.js';
import { chatTexts, openChat, waitForText, widget, write } from './support/widget-page.js';
import { agentRow, convAction, convRow, openWorkbench, waitForAttribute, wb } from './support/workbench-page.js';

const browser = await launchBrowser(t);

t.test(
  'WEB-3 WEB-4 ROUTE-7 XFER-1 XFER-2 XFER-3 XFER-4 MON-1 SUP-1 SUP-2 SUP-3 XFER-7 MON-3: the seed’s day end to end',
  async (t) => {
    const ts = await startTestServer(t);
    const dir = ts.server.directory;
    const bob = await openConsole(browser, ts, 'bob', desktop, attentionStub);
    const alice = await openConsole(browser, ts, 'alice', desktop, attentionStub);
    for (const agent of [bob, alice]) {
      await chooseStatus(agent.page, 'online');
    }
    const carol = await openWorkbench(browser, ts, 'carol');
    const visitor = await openPage(browser, { locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    await visitor.page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await openChat(visitor.page);

    // ROUTE-7: the keyword rule sends "我要退款" to after-sales, where bob is the one online.
    await write(visitor.page, '我要退款');
    const item = `${desk.mine} [data-conversation]`;
    await bob.page.locator(item).first().waitFor();
    // MON-1: from the moment bob's console shows it, carol's wall has a second to show his load.
    const bobOnWall = waitForAttribute(carol.page, agentRow('after-sales', 'bob'), 'data-active', '1', 5_000);
    const id = (await bob.page.locator(item).first().getAttribute('data-conversation')) as string;
    const admin = await ts.staff('admin');
    const explained = await admin.ok({ type: 'explain', conversationId: id });
    t.equal(explained.department, 'after-sales', 'routed to after-sales');
    t.match(explained.routing, { matches: [{ ruleId: 'refund' }] }, 'by the refund rule');
    // WEB-3, XFER-4: bob's console shows the notification, and the history in the chat pane.
    await waitForPageExpression(bob.page, 'window.__notes.length >= 1');
    t.match(await bob.page.evaluate('window.__notes[0]'), { title: 'New conversation', body: '我要退款' }, 'notified');
    await waitForText(bob.page, desk.transcript, '我要退款');

    // MON-1: carol's wall shows bob's load within a second.
    const bobLoadMs = await bobOnWall;
    t.ok(bobLoadMs < 1000, `bob's load on carol's wall ${bobLoadMs} ms after his console showed it`);
    await waitForAttribute(carol.page, convRow(id), 'data-agent', 'bob');

    await bob.page.locator(desk.composer).fill('您好，我是 Bob，请问订单号？');
    await bob.page.locator(desk.composer).press('Enter');
    await waitForText(visitor.page, '.log', '请问订单号');

    // XFER-1…3: bob hands it to alice with a note and tags, with the keyboard (Alt+T), while the visitor writes.
    const note = 'Order 2291, wants a refund; billed twice and upset. Needs pre-sales pricing check.';
    await bob.page.keyboard.press('Alt+KeyT');
    await bob.page.locator('[data-testid=transfer-to] option[value="agent:alice"]').waitFor({ state: 'attached' });
    await bob.page.locator('[data-testid=transfer-to]').selectOption('agent:alice');
    await bob.page.locator('[data-testid=transfer-dialog] [data-testid=transfer-note-input]').fill(note);
    await bob.page.locator('[data-testid=transfer-dialog] [data-tag=billing]').check();
    await bob.page.locator('[data-testid=transfer-dialog] [data-tag=angry]').check();
    await screenshot(bob.page, 'seed-day', '0-bob-transfer-dialog');
    await Promise.all([bob.page.locator('[data-testid=transfer-send]').click(), write(visitor.page, '订单号 2291')]);
    await bob.page.locator('[data-testid=transfer-dialog]').waitFor({ state: 'detached' });
    await write(visitor.page, '还在吗？');

    // XFER-4: alice's console: the notification, the note and the chain, and every message exactly once.
    await alice.page.locator(`${desk.mine} ${desk.item(id)}`).waitFor();
    const aliceOnWall = Promise.all([
      waitForAttribute(carol.page, agentRow('pre-sales', 'alice'), 'data-active', '1', 5_000),
      waitForAttribute(carol.page, agentRow('after-sales', 'bob'), 'data-active', '0', 5_000),
    ]);
    await waitForPageExpression(alice.page, 'window.__notes.length >= 1');
    t.match(
      await alice.page.evaluate('window.__notes.at(-1)'),
      { title: 'A conversation was transferred to you', body: note },
      'alice is notified of the transfer, with its note',
    );
    await alice.page.locator(desk.item(id)).first().click();
    await waitForText(alice.page, desk.transcript, '还在吗？');
    await waitForText(alice.page, `${desk.notes} [data-testid=transfer-note]`, note);
    await waitForText(alice.page, `${desk.notes} [data-testid=transfer-note]`, 'billing');
    await waitForText(alice.page, `${desk.notes} [data-testid=transfer-note]`, 'Bob');
    const shown = await shownEvents(alice.page);
    const seqs = shown.map(([seq]) => seq);
    t.same(
      seqs,
      [...new Set(seqs)].sort((a, b) => a - b),
      "alice's console: each seq once, in order",
    );
    for (const text of ['我要退款', '您好，我是 Bob，请问订单号？', '订单号 2291', '还在吗？'])
      t.equal(shown.filter(([, x]) => x === text).length, 1, `"${text}" exactly once in alice's console`);
    await screenshot(alice.page, 'seed-day', '1-alice-after-transfer');
    t.notOk(
      (await visitor.page.locator('.log').allTextContents()).join(' ').includes('billed twice'),
      'the transfer note never reaches the visitor',
    );

    // MON-1: the load moves from bob to alice on carol's wall within a second.
    const aliceLoadMs = Math.max(...(await aliceOnWall));
    t.ok(aliceLoadMs < 1000, `the load change on carol's wall ${aliceLoadMs} ms after alice's console showed it`);
    await waitForAttribute(carol.page, convRow(id), 'data-agent', 'alice');
    await screenshot(carol.page, 'seed-day', '1-carol-wall-after-transfer');

    // SUP-1: carol watches silently and sees the whole conversation, the transfer note included.
    await carol.page.locator(convAction(id, 'watch')).click();
    await waitForText(carol.page, wb.watchLog, '还在吗？');
    await waitForText(carol.page, wb.watchLog, 'Transferred to Alice by Bob');
    await alice.page.locator(desk.composer).fill('您好，我是 Alice，马上为您处理。');
    await alice.page.locator(desk.composer).press('Enter');
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
    await alice.page.locator(`${desk.mine} ${desk.item(id)}`).waitFor({ state: 'detached' });
    t.pass("alice loses it: it leaves her console's list");
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
    t.same([...carol.errors, ...visitor.errors, ...bob.errors, ...alice.errors], [], 'no page errors');
  },
);
