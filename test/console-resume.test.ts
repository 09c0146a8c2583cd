/**
 * WEB-3, WEB-7, OPS-2 in Chromium: a reload and a dropped network lose
 * nothing and show nothing twice; the console in zh-CN at 1280 px, driven
 * by the keyboard alone (shortcuts listed on `?`).
 */
import t from 'tap';
import { launchBrowser, screenshot, waitForPageExpression } from './support/browser.js';
import {
  chooseStatus,
  consoleReady,
  desk,
  desktop,
  openConsole,
  shownEvents,
  statusShown,
} from './support/console-page.js';
import { startTestServer } from './support/server.js';
import { waitForText } from './support/widget-page.js';

const browser = await launchBrowser(t);

t.test('WEB-3, OPS-2: offline and back, then a reload: every message once, none lost', async (t) => {
  const ts = await startTestServer(t);
  const { page, errors } = await openConsole(browser, ts, 'alice');
  await chooseStatus(page, 'online');
  const v = await ts.visitor();
  await v.ok({ type: 'hello' });
  const { conversationId: conv } = (await v.ok({ type: 'start', text: 'first', clientMsgId: 'v-1' })) as {
    conversationId: string;
  };
  await waitForText(page, desk.transcript, 'first');
  await page.context().setOffline(true);
  await page.locator(desk.composer).fill('written while offline');
  await page.locator(desk.composer).press('Enter');
  await v.ok({ type: 'send', conversationId: conv, clientMsgId: 'v-2', text: 'sent while the agent is offline' });
  await page.locator('[data-testid=connection]').waitFor();
  await screenshot(page, 'console', 'offline');
  await page.context().setOffline(false);
  await waitForText(page, desk.transcript, 'sent while the agent is offline');
  const mine = await v.waitFor((e) => e.type === 'message' && e.text === 'written while offline');
  t.ok(mine.seq, 'the message written offline is delivered after the reconnect');
  await page.reload();
  await consoleReady(page);
  await page.locator(`${desk.mine} ${desk.item(conv)}`).click();
  // The stored event, not a pending copy the outbox may restore if the reload came before it saw the ack.
  await waitForText(page, `${desk.transcript} [data-seq]`, 'written while offline');
  const shown = await shownEvents(page);
  const seqs = shown.map(([s]) => s);
  t.same(
    seqs,
    [...new Set(seqs)].sort((a, b) => a - b),
    'each event once, in seq order',
  );
  t.equal(shown.filter(([, text]) => text === 'written while offline').length, 1, 'the retried message once');
  const stored = v.events.filter((e) => e.type === 'message' && e.text === 'written while offline');
  t.equal(stored.length, 1, 'stored once');
  t.same(
    errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(e)),
    [],
    'no page errors',
  );
});

t.test('WEB-3, WEB-7: zh-CN at 1280 px by keyboard alone: status, reply, shortcuts on ?, resolve', async (t) => {
  const ts = await startTestServer(t);
  const { page, errors } = await openConsole(browser, ts, 'alice', { ...desktop, locale: 'zh-CN' });
  t.equal(await page.locator('[data-tab]').count(), 0, 'an agent has no workbench tab');
  await waitForText(page, '[data-testid=status] legend', '状态');
  await page.keyboard.press('Alt+KeyO');
  await waitForPageExpression(page, statusShown('online'));
  const v = await ts.visitor();
  await v.ok({ type: 'hello' });
  await v.ok({ type: 'start', text: '你好，我的订单到哪了？', clientMsgId: 'v-1' });
  await waitForText(page, desk.transcript, '你好，我的订单到哪了？');
  await page.keyboard.press('Alt+KeyM');
  await page.keyboard.type('您好，正在为您查询。');
  await page.keyboard.press('Enter');
  await v.waitFor((e) => e.type === 'message' && e.text === '您好，正在为您查询。');
  await page.keyboard.press('Escape');
  await page.locator('body').focus();
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.keyboard.press('?');
  await waitForText(page, '[data-testid=shortcuts]', '键盘快捷键');
  await screenshot(page, 'console', 'shortcuts-zh');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Alt+KeyR');
  // The dialog moves the focus into its field once it has rendered; keys typed before that go elsewhere.
  await waitForPageExpression(page, `document.activeElement?.dataset.testid === 'resolve-summary'`);
  await page.keyboard.type('已告知物流信息');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const resolved = await v.waitFor((e) => e.type === 'resolved');
  t.equal(resolved.summary, '已告知物流信息', 'resolved by keyboard, with its summary');
  await waitForText(page, desk.resolved, '已告知物流信息');
  const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  t.ok(width <= 1280, `no horizontal scroll at 1280 px (${width})`);
  await screenshot(page, 'console', 'desk-zh');
  await page.locator('[data-lang=en]').click();
  await waitForText(page, '[data-testid=status] legend', 'Status');
  t.same(errors, [], 'no page errors');
});
