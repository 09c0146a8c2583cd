/**
 * WEB-5 WEB-7 ROLE-* in Chromium against a real server: the admin pages refuse agents and show supervisors
 * only the reports (the API still refuses them the settings), say so when the server cannot be reached, work
 * in zh-CN and with the keyboard, make the widget snippet, filter the audit log (the backup download:
 * admin-backup-page.test.ts; the reports: reports-page.test.ts).
 */
import t from 'tap';
import { launchBrowser, screenshot, waitForPageExpression } from './support/browser.js';
import { startTestServer } from './support/server.js';
import { openAdmin, goTo } from './support/admin-page.js';
import { apiAs } from './support/api.js';

t.test(
  'ROLE-1 ROLE-2 WEB-5 WEB-6: an agent is refused the admin pages, a supervisor sees only the reports; the API agrees',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const browser = await launchBrowser(t);
    for (const who of ['alice', 'carol']) {
      const { page } = await openAdmin(browser, s, who);
      if (who === 'alice') {
        const refusal = await page.locator('[data-testid=not-admin]').textContent();
        t.match(refusal, /These pages are for administrators/, `${who} is told the pages are not theirs`);
        t.match(refusal, new RegExp(`signed in as ${s.cred(who).name}`), 'naming who they are signed in as');
        t.equal(await page.locator('.adm-nav').count(), 0, 'no settings menu');
        await screenshot(page, 'admin', 'agent-refused');
      } else {
        t.same(
          await page.locator('.adm-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('data-page'))),
          ['reports'],
          'a supervisor: the reports alone in the menu',
        );
        // Loaded afresh with the settings page in the URL, so the reports shown cannot be the ones shown before.
        await page.evaluate(`location.hash = '#/workspace'`);
        await page.reload();
        await page.locator('[data-testid=page-reports]').waitFor();
        t.equal(
          await page.evaluate('location.hash'),
          '#/workspace',
          'the URL still names the settings page after the reload',
        );
        t.equal(
          await page.locator('main[data-testid^=page-]').getAttribute('data-testid'),
          'page-reports',
          'a settings page named in the URL shows the reports instead',
        );
      }
      const api = await apiAs(s, who)('get', '/workspace');
      const expected = who === 'alice' ? 403 : 200;
      t.equal(api.status, expected, `${who}: the API answers ${expected} to GET /workspace by the permission table`);
      t.equal(
        (await apiAs(s, who)('patch', '/workspace', { autoAssign: false })).status,
        403,
        `${who} may not change settings`,
      );
    }
  },
);

t.test('WEB-7 WEB-5 WEB-1: unreachable server, zh-CN, keyboard, the widget snippet and the audit log', async (t) => {
  const s = await startTestServer(t, { autoMessages: false });
  const browser = await launchBrowser(t);
  const { page } = await openAdmin(browser, s, 'admin');

  // Keyboard alone: Tab to the menu, Enter follows a link, the page's heading takes the focus.
  await page.locator('.adm-nav a[data-page=departments]').focus();
  for (let i = 0; i < 9; i++) await page.keyboard.press('Tab');
  t.equal(
    await page.evaluate(`document.activeElement.getAttribute('data-page')`),
    'widget-snippet',
    'Tab walks the menu',
  );
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=page-widget-snippet]').waitFor();
  await waitForPageExpression(page, `document.activeElement && document.activeElement.tagName === 'H1'`);
  t.pass('WEB-7: Enter opens the page and the keyboard lands on its heading');

  // WEB-1: the snippet names the entry department, language and colour.
  const form = page.locator('[data-testid=snippet-form]');
  await form.locator('select[name=department]').selectOption('after-sales');
  await form.locator('select[name=lang]').selectOption('zh-CN');
  await form.locator('input[name=color]').fill('#16a34a');
  const snippet = await page.locator('[data-testid=snippet]').textContent();
  t.equal(
    snippet,
    `<script src="http://127.0.0.1:${s.server.port}/widget.js" data-department="after-sales" data-lang="zh-CN" data-color="#16a34a" async></script>`,
  );
  await screenshot(page, 'admin', 'widget-snippet');

  // zh-CN everywhere, kept across a reload.
  await page.locator('[data-lang=zh-CN]').click();
  await page.locator('.adm-nav a[data-page=audit]', { hasText: '审计日志' }).waitFor();
  await page.reload();
  await page.locator('.adm-nav a[data-page=departments]', { hasText: '部门' }).waitFor();
  t.pass('the language switch holds across a reload');

  // ROLE-5: the audit log filtered by action.
  await apiAs(s, 'admin')('patch', '/workspace', { tags: ['发票'] });
  await goTo(page, 'audit');
  await page.locator('[data-testid=audit-filters] select[name=action]').selectOption('workspace.configure');
  await page.locator('[data-testid=audit-filters] button[type=submit]').click();
  // The previous rows stay on screen while the filtered ones load; aria-busy says when they have come.
  await page
    .locator('section[aria-busy=false] [data-testid=audit-table] tr[data-action="workspace.configure"]')
    .first()
    .waitFor();
  t.equal(
    await page
      .locator('[data-testid=audit-table] tbody tr[data-action]:not([data-action="workspace.configure"])')
      .count(),
    0,
    'only that action',
  );
  await page.locator('[data-testid=audit-table] tbody tr button').first().click();
  await page.locator('[data-testid=audit-table] pre', { hasText: '发票' }).waitFor();
  await screenshot(page, 'admin', 'audit-zh');

  // WEB-7: the server unreachable: a clear message, never a blank page.
  await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
  await goTo(page, 'staff');
  await page.locator('[data-testid=load-problem]').waitFor();
  t.match(
    await page.locator('[data-testid=load-problem]').textContent(),
    /无法连接服务器/,
    'the page says the server cannot be reached',
  );
  t.ok(await page.locator('[data-testid=unreachable]').isVisible(), 'and the banner says so');
  await screenshot(page, 'admin', 'unreachable-zh');
  await page.unroute('**/api/v1/**');
  await page.locator('[data-testid=load-problem] button').click();
  await page.locator('[data-testid=staff-table]').waitFor();
  t.equal(await page.locator('[data-testid=unreachable]').count(), 0, 'back: the banner goes');
});
