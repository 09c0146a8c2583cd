/**
 * WEB-3 sign-in and WEB-7 refusals of the agent console in a real Chromium:
 * the form at /console, a wrong password refused in words, the right one
 * signing in (kept across a reload), the language switch, and sign-out.
 */
import t from 'tap';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { consoleReady, consoleSel, consoleUrl, desktop, fillSignIn } from './support/console-page.js';
import { startTestServer } from './support/server.js';
import { waitForText } from './support/widget-page.js';

const browser = await launchBrowser(t);

t.test('WEB-3: sign-in at /console; a wrong password is refused in words, the right one signs in', async (t) => {
  const ts = await startTestServer(t);
  const { page, errors } = await openPage(browser, desktop);
  await page.goto(consoleUrl(ts));
  await page.locator(consoleSel.form).waitFor();
  const alice = ts.cred('alice');
  await fillSignIn(page, alice.email, 'not-her-password');
  await waitForText(page, consoleSel.problem, 'Wrong email or password.');
  await screenshot(page, 'console', 'sign-in-refused');
  t.equal(await page.locator(consoleSel.email).inputValue(), alice.email, 'the email stays for another try');
  await fillSignIn(page, alice.email, alice.password);
  await consoleReady(page);
  await waitForText(page, consoleSel.who, 'Alice');
  t.ok(await page.evaluate(`!!localStorage.getItem('switchboard.staffSession')`), 'the session is kept');
  await page.reload();
  await consoleReady(page);
  t.equal(await page.locator(consoleSel.form).count(), 0, 'a reload stays signed in');
  await page.locator('[data-testid=sign-out]').click();
  await page.locator(consoleSel.form).waitFor();
  t.notOk(await page.evaluate(`localStorage.getItem('switchboard.staffSession')`), 'signed out, forgotten');
  t.same(
    errors.filter((e) => !/401/.test(e)),
    [],
    'no page errors',
  );
});

t.test('WEB-7: the sign-in form says so when the server cannot be reached', async (t) => {
  const ts = await startTestServer(t);
  const { page } = await openPage(browser, { ...desktop, locale: 'zh-CN' });
  await page.goto(consoleUrl(ts));
  await page.locator(consoleSel.form).waitFor();
  t.equal(await page.locator('h1').textContent(), '登录', 'zh-CN from the browser language');
  await page.context().setOffline(true);
  await fillSignIn(page, 'alice@demo.switchboard.local', 'whatever-it-is');
  await waitForText(page, consoleSel.problem, '无法连接服务器');
  await page.locator('[data-lang=en]').click();
  await waitForText(page, 'h1', 'Sign in');
  await waitForText(page, consoleSel.problem, 'The server cannot be reached');
  await screenshot(page, 'console', 'sign-in-unreachable');
  await page.context().setOffline(false);
});
