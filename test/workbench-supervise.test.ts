/**
 * SUP-1…4 from the supervisor workbench in a real Chromium against a real
 * server: carol watches a conversation silently, joins it, takes it over and
 * resolves it; she re-assigns conversations to an agent and to a department
 * and lends an agent, with the keyboard alone for a dialog; a refusal shows
 * the server's reason (WEB-7). Agents and visitors are protocol clients.
 */
import t from 'tap';
import { launchBrowser, screenshot } from './support/browser.js';
import type { Frame } from './support/client.js';
import { onlineAgent, servedConversation } from './support/conversations.js';
import { startTestServer } from './support/server.js';
import { waitForText } from './support/widget-page.js';
import {
  agentRow,
  card,
  convAction,
  convRow,
  openWorkbench,
  tabTo,
  textOf,
  waitForAttribute,
  wb,
} from './support/workbench-page.js';

const browser = await launchBrowser(t);

const messageIn = (conversationId: string, text: string) => (e: Frame) =>
  e.type === 'message' && e.conversationId === conversationId && e.text === text;

t.test('SUP-1 SUP-2 SUP-3 WEB-4: from the wall carol watches silently, joins, takes over and resolves', async (t) => {
  const ts = await startTestServer(t);
  const bob = await onlineAgent(ts, 'bob');
  const { v, conversationId: id } = await servedConversation(ts, bob, { text: '我要退款' });
  await bob.ok({ type: 'note', conversationId: id, text: 'order 2291, customer upset' });
  const { page, errors } = await openWorkbench(browser, ts, 'carol');

  // SUP-1: watch silently, the whole history and the notes, then live.
  await page.locator(convAction(id, 'watch')).click();
  await waitForText(page, wb.watchLog, '我要退款');
  await waitForText(page, wb.notes, 'order 2291, customer upset');
  t.match(await textOf(page, wb.mode), /silently/);
  await v.ok({ type: 'send', conversationId: id, clientMsgId: 'v-2', text: 'are you there?' });
  await waitForText(page, wb.watchLog, 'are you there?');
  const seqs = await page
    .locator(`${wb.watchLog} [data-seq]`)
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
  t.same(
    seqs,
    [...new Set(seqs)].sort((a, b) => a - b),
    'each event once, in seq order',
  );
  t.notOk(
    v.events.some((e) => e.conversationId === id && (e.type === 'joined' || (e.text as string)?.includes('Carol'))),
    'the customer is not told of a silent watch',
  );
  t.equal(await page.locator(wb.reply).count(), 0, 'a silent watcher cannot write');
  await screenshot(page, 'workbench', 'watch-silently');

  // SUP-2: join visibly; the customer sees Carol and what she writes.
  await page.locator(`${wb.watch} [data-action=join]`).click();
  await v.waitFor((e) => e.type === 'joined' && e.conversationId === id);
  await waitForAttribute(page, wb.watch, 'data-mode', 'joined');
  await page.locator(wb.reply).fill('Carol here, I am looking into it.');
  await page.locator(wb.reply).press('Enter');
  await v.waitFor(messageIn(id, 'Carol here, I am looking into it.'));
  t.pass('the customer receives what the joined supervisor writes');
  t.ok(await page.locator(convAction(id, 'part')).count(), 'the wall now offers Leave instead of Join');

  // SUP-3: take over; bob is told and loses it; the wall shows carol serving it.
  await page.locator(`${wb.watch} [data-action=takeover]`).click();
  const notice = await bob.waitFor((e) => e.type === 'notice' && e.code === 'taken_over');
  t.equal(notice.conversationId, id, 'bob gets taken_over');
  await waitForAttribute(page, wb.watch, 'data-mode', 'serving');
  await waitForAttribute(page, convRow(id), 'data-agent', 'carol');
  await waitForAttribute(page, agentRow('after-sales', 'bob'), 'data-active', '0');
  await waitForAttribute(page, agentRow('after-sales', 'carol'), 'data-active', '1');
  t.equal(await page.locator(convAction(id, 'takeover')).count(), 0, 'no take-over of her own conversation');
  await screenshot(page, 'workbench', 'taken-over');

  await page.locator(wb.summary).fill('refund approved by the supervisor');
  await page.locator(wb.summary).press('Enter');
  const resolved = await v.waitFor((e) => e.type === 'resolved' && e.conversationId === id);
  t.equal(resolved.summary, 'refund approved by the supervisor', 'resolved with her summary');
  await page.locator(convRow(id)).waitFor({ state: 'detached' });
  t.same(errors, [], 'no page errors');
});

t.test('SUP-4 WEB-4 WEB-7: re-assign to an agent and to a department, lend an agent, refusals in words', async (t) => {
  const ts = await startTestServer(t);
  const alice = await onlineAgent(ts, 'alice');
  const bob = await onlineAgent(ts, 'bob');
  const { v, conversationId: id } = await servedConversation(ts, alice, { department: 'pre-sales', text: 'price?' });
  const { page, errors } = await openWorkbench(browser, ts, 'carol');
  await waitForAttribute(page, convRow(id), 'data-agent', 'alice');

  // A refusal: admin is offline, so the server refuses with its reason, shown as it gives it.
  await page.locator(convAction(id, 'reassign')).click();
  await page.locator(wb.reassign).waitFor();
  await page.locator('[data-testid=wb-to-agent]').selectOption('admin');
  await page.locator('[data-testid=wb-note]').fill('needs admin');
  await page.locator(`${wb.reassign} [data-action=confirm-reassign]`).click();
  await waitForText(page, wb.flash, 'Admin cannot take it now (offline)');
  t.equal(await page.locator(wb.flash).getAttribute('data-tone'), 'error');
  t.ok(await page.locator(wb.reassign).isVisible(), 'the dialog stays open for another choice');
  await screenshot(page, 'workbench', 'reassign-refused');

  // With the keyboard alone: the agent list, the note, Enter on the button.
  await page.locator('[data-testid=wb-note]').fill('');
  await page.locator(`${wb.reassign} input[value=agent]`).focus();
  await tabTo(page, '[data-testid=wb-to-agent]');
  await page.keyboard.press('ArrowDown');
  t.equal(await page.locator('[data-testid=wb-to-agent]').inputValue(), 'bob', 'ArrowDown picks the next agent');
  await tabTo(page, '[data-testid=wb-note]');
  await page.keyboard.type('billing question, bob knows');
  await tabTo(page, '[data-action=confirm-reassign]');
  await page.keyboard.press('Enter');
  await v.waitFor((e) => e.type === 'assigned' && e.conversationId === id && (e.agent as { id: string }).id === 'bob');
  const reassigned = await alice.waitFor((e) => e.type === 'notice' && e.code === 'reassigned');
  t.equal(reassigned.conversationId, id, 'alice is told');
  const handover = await bob.waitFor((e) => e.type === 'handover' && e.conversationId === id);
  t.equal((handover.transfer as { note: string }).note, 'billing question, bob knows', 'bob gets the note');
  await page.locator(wb.reassign).waitFor({ state: 'detached' });
  await waitForAttribute(page, convRow(id), 'data-agent', 'bob');

  // To a department: pre-sales routes it to alice (bob served it, so routing never offers it to him).
  await page.locator(convAction(id, 'reassign')).click();
  await page.locator(`${wb.reassign} input[value=department]`).check();
  await page.locator('[data-testid=wb-to-department]').selectOption('pre-sales');
  await page.locator(`${wb.reassign} [data-action=confirm-reassign]`).click();
  await v.waitFor(
    (e) => e.type === 'assigned' && e.conversationId === id && (e.agent as { id: string }).id === 'alice',
  );
  await waitForAttribute(page, convRow(id), 'data-agent', 'alice');
  t.pass('re-assigned to the department, routed there');

  // WEB-7: a dialog closes on Escape and gives the focus back to the button that opened it.
  const lendAlice = page.locator(`${agentRow('pre-sales', 'alice')} [data-action=lend]`);
  await lendAlice.focus();
  await page.keyboard.press('Enter');
  await page.locator(wb.lend).waitFor();
  // The focus moves into the dialog once it has drawn (an effect); Escape is the dialog's key from then on.
  await page.waitForFunction(
    (sel) =>
      (
        globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null } }
      ).document.activeElement?.closest(sel),
    wb.lend,
  );
  await page.keyboard.press('Escape');
  await page.locator(wb.lend).waitFor({ state: 'detached' });
  t.ok(
    await lendAlice.evaluate((e) => e === (e.ownerDocument as { activeElement: unknown }).activeElement),
    'Escape closes the dialog, the focus is back on Lend',
  );

  // Lend alice to after-sales, then end the loan.
  await lendAlice.click();
  await page.locator('[data-testid=wb-lend-department]').selectOption('after-sales');
  await page.locator('[data-testid=wb-lend-minutes]').fill('30');
  await page.locator(`${wb.lend} [data-action=confirm-lend]`).click();
  const started = await alice.waitFor((e) => e.type === 'notice' && e.code === 'loan_started');
  t.ok(started, 'alice is told of the loan');
  await page.locator(agentRow('after-sales', 'alice')).waitFor();
  await waitForText(page, wb.flash, 'Alice is lent to After-sales');
  await screenshot(page, 'workbench', 'lent');
  await page.locator(`${agentRow('after-sales', 'alice')} [data-action=lend]`).click();
  await page.locator('[data-testid=wb-lend-department]').selectOption('after-sales');
  await page.locator(`${wb.lend} [data-action=end-loan]`).click();
  await alice.waitFor((e) => e.type === 'notice' && e.code === 'loan_ended');
  await page.locator(agentRow('after-sales', 'alice')).waitFor({ state: 'detached' });
  t.ok(await page.locator(card('pre-sales')).isVisible(), 'alice back in pre-sales only');
  t.same(errors, [], 'no page errors');
});
