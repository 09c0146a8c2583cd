/**
 * WEB-4 and MON-1 in a real Chromium against a real server: carol's wall of
 * departments shows each agent's status and load, the queue and its longest
 * wait, the active conversations and the day's counts, and follows the floor
 * as it changes (agents and visitors are protocol clients here), in English
 * and Chinese at 1280 px, and says so when the server cannot be reached
 * (WEB-7).
 *
 * Demo workspace: alice (agent, pre-sales), bob (agent, after-sales), carol
 * (supervisor of both), admin.
 */
import t from 'tap';
import { launchBrowser, screenshot, waitForPageExpression } from './support/browser.js';
import { onlineAgent, openConversation, servedConversation } from './support/conversations.js';
import { startTestServer } from './support/server.js';
import { waitForText } from './support/widget-page.js';
import {
  agentRow,
  card,
  convAction,
  convRow,
  figure,
  openWorkbench,
  textOf,
  waitForAttribute,
  wb,
} from './support/workbench-page.js';

const browser = await launchBrowser(t);

t.test('WEB-4 MON-1: the wall shows every department with agents, load, queue and counts, live', async (t) => {
  const ts = await startTestServer(t);
  const { page, errors } = await openWorkbench(browser, ts, 'carol');
  const cards = await page
    .locator(`${wb.wall} [data-department]`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-department')));
  t.same(cards.sort(), ['after-sales', 'pre-sales'], 'both of carol’s departments');
  t.equal(await page.locator(agentRow('after-sales', 'bob')).getAttribute('data-status'), 'offline');
  t.match(await textOf(page, `${agentRow('after-sales', 'bob')} [data-testid=load]`), '0/5');

  const bob = await onlineAgent(ts, 'bob');
  await waitForAttribute(page, agentRow('after-sales', 'bob'), 'data-status', 'online');

  // MON-1: a conversation routed to bob shows on the wall within a second of its assignment.
  const refund = await openConversation(ts, { text: '我要退款' });
  await bob.waitFor((e) => e.type === 'assigned' && e.conversationId === refund.conversationId);
  const assignedAt = Date.now();
  await waitForAttribute(page, agentRow('after-sales', 'bob'), 'data-active', '1', 5_000);
  const loadMs = Date.now() - assignedAt;
  t.ok(loadMs < 1000, `bob's load 1/5 on the wall ${loadMs} ms after the assignment (under 1 s)`);
  await waitForText(page, figure('after-sales', 'active'), '1');
  await waitForText(page, figure('after-sales', 'assignedToday'), '1');
  await waitForAttribute(page, convRow(refund.conversationId), 'data-agent', 'bob');
  await waitForText(page, convRow(refund.conversationId), 'with Bob');

  // Nobody of pre-sales is online: the customer waits, and the wall's wait clock runs on between frames.
  const waiting = await openConversation(ts, { department: 'pre-sales', text: 'price?' });
  await waitForText(page, figure('pre-sales', 'queue'), '1');
  await waitForAttribute(page, convRow(waiting.conversationId), 'data-status', 'queued');
  const wait1 = await textOf(page, figure('pre-sales', 'longestWait'));
  await waitForPageExpression(
    page,
    `document.querySelector(${JSON.stringify(figure('pre-sales', 'longestWait'))}).textContent !== ${JSON.stringify(wait1)}`,
    5_000,
  );
  t.pass(`the longest wait runs on by itself (${wait1} → ${await textOf(page, figure('pre-sales', 'longestWait'))})`);
  const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  t.ok(width <= 1280, `no horizontal scroll at 1280 px (scrollWidth ${width})`);
  await screenshot(page, 'workbench', 'wall-en');

  // Resolved: it leaves the wall and counts as resolved today.
  await bob.ok({ type: 'resolve', conversationId: refund.conversationId, summary: 'refund sent' });
  await waitForText(page, figure('after-sales', 'resolvedToday'), '1');
  await page.locator(convRow(refund.conversationId)).waitFor({ state: 'detached' });
  await waitForAttribute(page, agentRow('after-sales', 'bob'), 'data-active', '0');

  // WEB-7: Alt+1 to the desk and Alt+2 back, with the keyboard: the wall has kept following the floor.
  await page.keyboard.press('Alt+1');
  await page.locator(wb.root).waitFor({ state: 'detached' });
  await bob.ok({ type: 'status', status: 'busy' });
  await page.keyboard.press('Alt+2');
  await waitForAttribute(page, agentRow('after-sales', 'bob'), 'data-status', 'busy');

  // zh-CN through the console's language switch: the wall speaks Chinese and keeps its figures.
  await page.locator('[data-lang=zh-CN]').click();
  await waitForText(page, `${card('pre-sales')} [data-figure=queue] dt`, '排队');
  await waitForText(page, `${agentRow('after-sales', 'bob')} .wb-agent-status`, '忙碌');
  await waitForText(page, 'h1', '主管工作台');
  await screenshot(page, 'workbench', 'wall-zh-CN');
  t.same(errors, [], 'no page errors');
});

t.test('WEB-7 MON-1: unreachable, the wall says so and keeps its figures; back, it is live again', async (t) => {
  const ts = await startTestServer(t);
  const bob = await onlineAgent(ts, 'bob');
  const { conversationId: id } = await servedConversation(ts, bob, { text: 'refund' });
  const { page } = await openWorkbench(browser, ts, 'carol');
  await page.locator(convRow(id)).waitFor();
  await page.context().setOffline(true);
  await page.locator(wb.unreachable).waitFor();
  t.match(await textOf(page, wb.unreachable), /cannot be reached/);
  t.equal(await page.locator(`${wb.wall} [data-department]`).count(), 2, 'the last figures stay on the wall');
  await page.locator(convAction(id, 'watch')).click();
  await waitForText(page, wb.flash, 'Not sent: the server cannot be reached');
  await screenshot(page, 'workbench', 'unreachable');
  const alice = await onlineAgent(ts, 'alice');
  await page.context().setOffline(false);
  await page.locator(wb.unreachable).waitFor({ state: 'detached', timeout: 15_000 });
  await waitForAttribute(page, agentRow('pre-sales', 'alice'), 'data-status', 'online', 15_000);
  t.pass('after the reconnect the monitor is asked again and shows what changed meanwhile');
  await waitForText(page, wb.watchLog, 'refund', 15_000);
  t.pass('and the conversation opened while offline loads its history then');
  await alice.close();
});
