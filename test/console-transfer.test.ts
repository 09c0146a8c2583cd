/**
 * WEB-3, XFER-1…8 in Chromium: the transfer dialog lists colleagues with
 * status and load and the transfers left; a transfer with a note and a tag
 * reaches the colleague with both (XFER-2/4); the eleventh transfer of a
 * limited agent in a day is refused, with the server's reason shown (XFER-5).
 */
import t from 'tap';
import { launchBrowser, screenshot } from './support/browser.js';
import { chooseStatus, desk, openConsole } from './support/console-page.js';
import { onlineAgent } from './support/conversations.js';
import { startTestServer } from './support/server.js';
import { waitForText } from './support/widget-page.js';

const browser = await launchBrowser(t);

t.test(
  'WEB-3, XFER-1/2/5: transfer with a note and a tag; the eleventh transfer of the day shows the refusal',
  async (t) => {
    const ts = await startTestServer(t);
    const { page, errors } = await openConsole(browser, ts, 'alice');
    await chooseStatus(page, 'online');
    const carol = await onlineAgent(ts, 'carol');
    const aliceWire = await ts.staff('alice');
    const v = await ts.visitor();
    await v.ok({ type: 'hello' });
    const { conversationId: conv } = (await v.ok({
      type: 'start',
      text: 'I was billed twice',
      clientMsgId: 'v-1',
    })) as {
      conversationId: string;
    };
    await waitForText(page, desk.transcript, 'I was billed twice');

    await page.keyboard.press('Alt+KeyT');
    await waitForText(page, '[data-testid=transfers-left]', 'Transfers left today: 10 of 10');
    await waitForText(page, '[data-testid=transfer-to]', 'Carol · Pre-sales · Online · 0/5');
    await page.locator('[data-testid=transfer-to]').selectOption('agent:carol');
    await page.locator('[data-testid=transfer-note-input]').fill('Invoice 2291 billed twice; refund approved.');
    await page.locator('[data-tag=billing]').check();
    await screenshot(page, 'console', 'transfer-dialog');
    await page.locator('[data-testid=transfer-send]').click();
    const handover = await carol.waitFor((e) => e.type === 'handover' && e.conversationId === conv);
    t.match(
      handover.transfer,
      { note: 'Invoice 2291 billed twice; refund approved.', tags: ['billing'], by: { id: 'alice' } },
      'the colleague gets the note and the tag (XFER-2/4)',
    );
    await page.locator('[data-testid=transfer-dialog]').waitFor({ state: 'detached' });
    t.equal(await page.locator(`${desk.mine} ${desk.item(conv)}`).count(), 0, 'no longer mine');

    await carol.ok({ type: 'send', conversationId: conv, clientMsgId: 'c-1', text: 'Refund is on its way' });

    // Nine more transfers today, back and forth; Carol (a supervisor) has no limit.
    for (let i = 1; i <= 10; i++) {
      await carol.ok({ type: 'transfer', conversationId: conv, to: { agentId: 'alice' }, note: `back ${i}` });
      if (i === 10) break;
      await aliceWire.ok({ type: 'transfer', conversationId: conv, to: { agentId: 'carol' }, note: `again ${i}` });
    }
    await waitForText(page, `${desk.mine} ${desk.item(conv)}`, 'Refund is on its way');
    await page.locator(`${desk.mine} ${desk.item(conv)}`).click();
    await waitForText(page, desk.transcript, 'Refund is on its way');
    t.equal(
      await page.locator(`${desk.transcript} .desk-from`).first().textContent(),
      'Carol',
      "a colleague's message is labelled with her name, not her id",
    );
    await page.locator('[data-testid=open-transfer]').click();
    await waitForText(page, '[data-testid=transfers-left]', 'Transfers left today: 0 of 10');
    await page.locator('[data-testid=transfer-to]').selectOption('agent:carol');
    await page.locator('[data-testid=transfer-note-input]').fill('one more');
    await page.locator('[data-testid=transfer-send]').click();
    await waitForText(
      page,
      '[data-testid=transfer-problem]',
      'daily transfer limit reached: 10 transfers a day for your role',
    );
    await screenshot(page, 'console', 'transfer-refused');
    t.pass('the refusal is shown as the server gives it');
    t.same(errors, [], 'no page errors');
  },
);
