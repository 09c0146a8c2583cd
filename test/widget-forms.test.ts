/**
 * The widget's forms in a real Chromium (WEB-2, QUEUE-4, QUEUE-6, CUST-3):
 * the pre-chat form built from the workspace setting (validated, its
 * answers on the customer profile the agent reads), no form when the
 * setting is empty, and the leave-a-message form when the team is offline,
 * its message stored and answered later. Screenshots in
 * test-artifacts/widget-forms/.
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { apiAs } from './support/api.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { chatTexts, openChat, waitForText, widget, write } from './support/widget-page.js';

const browser = await launchBrowser(t);
const shots = 'widget-forms';

const form = {
  fields: [
    { key: 'name', required: true },
    { key: 'email', required: false },
    { key: 'order', required: true, label: { en: 'Order number', 'zh-CN': '订单号' } },
  ],
};

t.test(
  'WEB-2 CUST-3: the pre-chat form from the workspace setting: required fields checked, the answers reach the customer record the agent reads',
  async (t) => {
    const ts = await startTestServer(t);
    await apiAs(ts, 'admin')('put', '/pre-chat-form', form);
    const alice = await ts.staff('alice');
    await alice.ok({ type: 'status', status: 'online' });
    const { page, errors } = await openPage(browser, { locale: 'en-US' });
    await page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await page.locator(widget.bubble).click();
    const prechat = page.locator('[data-testid=prechat]');
    await prechat.waitFor();
    t.same(await prechat.locator('label').allTextContents(), [
      'Your name',
      'Email (optional)',
      'Order number',
      'How can we help?',
    ]);
    t.equal(await page.locator(widget.input).count(), 0, 'no message box before the form is sent');
    await screenshot(page, shots, '1-prechat-empty');

    await prechat.locator('[name=email]').fill('not an email');
    await prechat.locator('button[type=submit]').click();
    await waitForText(page, '[data-testid=field-error]', 'Please fill this in.');
    t.same(await prechat.locator('[data-testid=field-error]').allTextContents(), [
      'Please fill this in.',
      'This does not look like an email address.',
      'Please fill this in.',
      'Please fill this in.',
    ]);
    t.equal(
      await page.evaluate(`document.querySelector('switchboard-widget').shadowRoot.activeElement.name`),
      'name',
      'the focus is on the first field to mend',
    );
    await screenshot(page, shots, '2-prechat-invalid');

    await prechat.locator('[name=name]').fill('Ann Lee');
    await prechat.locator('[name=email]').fill('ann@example.com');
    await prechat.locator('[name=order]').fill('A-1001');
    await prechat.locator('[name=message]').fill('My parcel has not arrived.');
    await prechat.locator('[name=message]').press('Tab');
    await page.keyboard.press('Enter'); // the submit button, reached by the keyboard
    const conv = (await alice.waitFor((e) => e.type === 'assigned')).conversationId as string;
    await waitForText(page, widget.title, 'You are chatting with Alice');
    await waitForText(page, '.msg.mine', 'My parcel has not arrived.');
    t.equal(await prechat.count(), 0, 'the form is gone once the chat started');
    const view = (await alice.ok({ type: 'customer', conversationId: conv })) as { customer: Record<string, unknown> };
    t.match(
      view.customer,
      { name: 'Ann Lee', email: 'ann@example.com', attributes: { order: 'A-1001' } },
      'the agent sees the answers on the customer record',
    );
    await screenshot(page, shots, '3-prechat-sent');

    // A returning visitor (same storage) has a conversation: no form again.
    const again = await page.context().newPage();
    await again.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await openChat(again);
    await again.locator(widget.ready).waitFor();
    t.equal(await again.locator('[data-testid=prechat]').count(), 0, 'no form for a visitor who has chatted');
    t.same(errors, []);
  },
);

t.test(
  'WEB-2: zh-CN pre-chat form with the custom question in Chinese; no form when the setting is empty',
  async (t) => {
    const ts = await startTestServer(t);
    await apiAs(ts, 'admin')('put', '/pre-chat-form', form);
    const { page } = await openPage(browser, { locale: 'zh-CN', viewport: { width: 360, height: 740 } });
    await page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await page.locator(widget.bubble).click();
    const prechat = page.locator('[data-testid=prechat]');
    await prechat.waitFor();
    t.same(await prechat.locator('label').allTextContents(), [
      '您的姓名',
      '电子邮箱（选填）',
      '订单号',
      '请问有什么可以帮您？',
    ]);
    await prechat.locator('button[type=submit]').click();
    await waitForText(page, '[data-testid=field-error]', '此项为必填项。');
    await screenshot(page, shots, '4-prechat-zh-360');

    await apiAs(ts, 'admin')('put', '/pre-chat-form', { fields: [] });
    const { page: plain } = await openPage(browser, { locale: 'en-US' });
    await plain.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await openChat(plain);
    await plain.locator(widget.ready).waitFor();
    t.equal(await plain.locator('[data-testid=prechat]').count(), 0, 'no form when the setting is empty');
  },
);

t.test(
  'WEB-2 QUEUE-4: the team offline → the leave-a-message form → the message stored with name and email → answered later, seen when the visitor comes back',
  async (t) => {
    const ts = await startTestServer(t);
    const { page, errors } = await openPage(browser, { locale: 'en-US' });
    await page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await openChat(page);
    await write(page, 'Hello?');
    const leave = page.locator('[data-testid=leave]');
    await leave.waitFor();
    await waitForText(page, '[data-testid=leave] .form-intro', 'Nobody is online right now. Leave a message');
    t.equal(await page.locator(widget.input).count(), 0, 'the form takes the message box’s place');
    await screenshot(page, shots, '5-leave-form');

    await leave.locator('[name=name]').fill('Bo Chen');
    await leave.locator('[name=email]').fill('bo@example');
    await leave.locator('[name=message]').fill('Please send me your wholesale price list.');
    await leave.locator('button[type=submit]').click();
    await waitForText(page, '[data-testid=field-error]', 'This does not look like an email address.');
    await leave.locator('[name=email]').fill('bo@example.com');
    await leave.locator('button[type=submit]').click();
    await waitForText(
      page,
      '[data-testid=left]',
      'Thank you, Bo Chen. We have your message and will answer here and at bo@example.com.',
    );
    await waitForText(page, '.msg.mine', 'Please send me your wholesale price list.');
    t.equal(await leave.count(), 0, 'the form is gone once sent');
    await screenshot(page, shots, '6-leave-sent');
    await page.close();

    // Later: an agent comes online, gets the waiting conversation with the message and the visitor's details.
    const alice = await ts.staff('alice');
    await alice.ok({ type: 'status', status: 'online' });
    const conv = (await alice.waitFor((e) => e.type === 'assigned')).conversationId as string;
    await alice.resumeAll(conv, 0);
    await alice.waitFor((e) => e.type === 'message' && e.text === 'Please send me your wholesale price list.');
    const view = (await alice.ok({ type: 'customer', conversationId: conv })) as { customer: Record<string, unknown> };
    t.match(view.customer, { name: 'Bo Chen', email: 'bo@example.com' }, 'the left message names its writer');
    await alice.ok({
      type: 'send',
      conversationId: conv,
      clientMsgId: 'a-1',
      text: 'Here it is: prices.pdf. Anything else?',
    });

    const back = await page.context().newPage();
    await back.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await waitForText(back, widget.badge, /\d/);
    await openChat(back);
    await waitForText(back, '.msg.theirs', 'Anything else?');
    t.same(await chatTexts(back), [
      'Hello?',
      'Please send me your wholesale price list.',
      'Here it is: prices.pdf. Anything else?',
    ]);
    t.equal(await back.locator('[data-testid=leave]').count(), 0, 'no form once an agent serves');
    await screenshot(back, shots, '7-leave-answered');
    t.same(errors, []);
  },
);

t.test('WEB-2 QUEUE-6: outside business hours the form says the team is closed, in zh-CN', async (t) => {
  const ts = await startTestServer(t);
  // No opening range on any day: closed whenever the test runs.
  const closed = await apiAs(ts, 'admin')('patch', '/departments/pre-sales', {
    hours: { timeZone: 'Asia/Shanghai', weekly: {} },
  });
  t.equal(closed.status, 200, JSON.stringify(closed.body));
  const { page } = await openPage(browser, { locale: 'zh-CN' });
  await page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
  await openChat(page);
  await write(page, '你们几点上班？');
  await waitForText(page, '[data-testid=leave] .form-intro', '当前不在服务时间');
  await screenshot(page, shots, '8-leave-closed-zh');
});
