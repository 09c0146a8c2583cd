/**
 * WEB-5 MON-4 in Chromium against a real server: an admin sets up a department, a staff member and a
 * keyword rule in the admin pages, a visitor is then routed by them, and the conversation test page
 * explains a routing. Screenshots under test-artifacts/admin/.
 */
import t from 'tap';
import { launchBrowser, screenshot, waitForPageExpression } from './support/browser.js';
import { startTestServer } from './support/server.js';
import { openAdmin, goTo } from './support/admin-page.js';
import { TestClient } from './support/client.js';
import { apiAs } from './support/api.js';

t.test(
  'WEB-5 ROUTE-7 ROLE-3 MON-4: an admin creates a department, a staff member and a keyword rule in the pages; a visitor is routed by them and the test page explains it',
  async (t) => {
    const s = await startTestServer(t, { autoMessages: false });
    const browser = await launchBrowser(t);
    const { page, errors } = await openAdmin(browser, s, 'admin');

    // A department, refused first at the field the server names, then made.
    await goTo(page, 'departments');
    const create = page.locator('[data-testid=new-department]');
    await create.locator('input[name=id]').fill('bad id');
    await create.locator('input[name=name]').fill('账单');
    await create.locator('input[name=defaultMaxConcurrent]').fill('3');
    await create.locator('button[type=submit]').click();
    await create.locator('[data-field-error=id]').waitFor();
    t.ok(
      await create.locator('[data-field=id].adm-invalid').isVisible(),
      'WEB-5: the server refuses the id, shown at the id field',
    );
    // The form moves the focus in an effect, a frame after the field error shows.
    const focusedName = `document.activeElement && document.activeElement.getAttribute('name')`;
    await waitForPageExpression(page, `${focusedName} === 'id'`, 5000).catch(() => undefined);
    t.equal(await page.evaluate(focusedName), 'id', 'the keyboard is taken to the refused field');
    await screenshot(page, 'admin', 'department-refused');
    await create.locator('input[name=id]').fill('billing');
    await create.locator('button[type=submit]').click();
    await page.locator('[data-testid=department-settings] h2', { hasText: '账单' }).waitFor();

    // A setting of the new department refused at its nested field, then a good one saved.
    const settings = page.locator('[data-testid=department-settings]');
    await settings.locator('input[name="hours.timeZone"]').fill('Asia/Shanghai');
    await settings.locator('input[name="hours.weekly.mon"]').fill('9-18');
    await settings.locator('button[type=submit]').click();
    await settings.locator('[data-field-error="hours.weekly.mon"]').waitFor();
    await screenshot(page, 'admin', 'department-hours-refused');
    await settings.locator('input[name="hours.timeZone"]').fill('');
    await settings.locator('input[name="hours.weekly.mon"]').fill('');
    await settings.locator('select[name=policy]').selectOption('least_load');
    await settings.locator('input[name=maxQueueLength]').fill('20');
    await settings.locator('button[type=submit]').click();
    await settings.locator('.adm-ok').waitFor();
    const stored = (await apiAs(s, 'admin')('get', '/departments/billing')).body;
    t.match(
      stored,
      { name: '账单', policy: 'least_load', maxQueueLength: 20, defaultMaxConcurrent: 3 },
      'the settings are stored',
    );
    t.notOk(stored.hours, 'no hours: always open');
    await screenshot(page, 'admin', 'departments');

    // A staff member of that department.
    await goTo(page, 'staff');
    const staff = page.locator('[data-testid=staff-form]');
    await staff.locator('input[name=id]').fill('dora');
    await staff.locator('input[name=name]').fill('Dora');
    await staff.locator('input[name=email]').fill('dora@example.com');
    await staff.locator('input[name=department-billing]').check();
    await staff.locator('input[name=password]').fill('short');
    await staff.locator('button[type=submit]').click();
    await staff.locator('[data-field-error=password]').waitFor();
    t.pass('WEB-5: a short password is refused at the password field');
    await staff.locator('input[name=password]').fill('dora has a long secret');
    await staff.locator('input[name=skills]').fill('invoices, 发票');
    await staff.locator('input[name=maxConcurrent]').fill('2');
    await staff.locator('button[type=submit]').click();
    await page.locator('[data-testid=staff-table] [data-staff=dora]').waitFor();
    await screenshot(page, 'admin', 'staff');

    // A keyword rule, tried live before it is saved.
    await goTo(page, 'keyword-rules');
    await page.locator('[data-testid=rule-add]').click();
    const rule = page.locator('.adm-rule').last();
    await rule.locator('input[name$=".id"]').fill('invoice');
    await rule.locator('input[name$=".keywords"]').fill('发票, invoice');
    await rule.locator('select[name$=".department"]').selectOption('billing');
    await page.locator('textarea[name=preview]').fill('你好，我的发票开错了');
    await page.locator('[data-testid=preview-department]', { hasText: '账单' }).waitFor();
    t.ok(
      await rule.locator('.adm-badge').isVisible(),
      'ROUTE-7: the preview marks the unsaved rule that matches the Chinese text',
    );
    await page.locator('[data-testid=rules-form] button[type=submit]').click();
    await page.locator('[data-testid=rules-form] .adm-ok').waitFor();
    await screenshot(page, 'admin', 'keyword-rules');

    // Dora comes online; a visitor writing about an invoice from the pre-sales page reaches her.
    const dora = await TestClient.connect(s.staffUrl);
    await dora.ok({ type: 'signin', email: 'dora@example.com', password: 'dora has a long secret' });
    await dora.ok({ type: 'status', status: 'online' });

    // The test page first: where would such a customer go, and why?
    await goTo(page, 'routing-test');
    const form = page.locator('[data-testid=routing-test-form]');
    await form.locator('select[name=department]').selectOption('pre-sales');
    await form.locator('textarea[name=text]').fill('我的 INVOICE 有问题');
    await form.locator('button[type=submit]').click();
    await page.locator('[data-testid=test-outcome]', { hasText: 'Dora' }).waitFor();
    t.match(await page.locator('[data-testid=test-outcome]').textContent(), /It would go to Dora in 账单/);
    t.match(await page.locator('[data-testid=test-rules]').textContent(), /invoice/);
    t.equal(await page.locator('tr[data-agent=dora] [data-testid=verdict]').textContent(), 'Chosen');
    await screenshot(page, 'admin', 'routing-test-offered');
    await form.locator('input[name=skills]').fill('refunds');
    await form.locator('button[type=submit]').click();
    await page.locator('[data-testid=test-outcome]', { hasText: 'queue' }).waitFor();
    t.equal(
      await page.locator('tr[data-agent=dora] [data-testid=verdict]').textContent(),
      'Passed over: lacks a required skill',
      'MON-4 ROUTE-16: each candidate and why it was passed over',
    );
    await screenshot(page, 'admin', 'routing-test-queued');
    t.equal(
      dora.events.filter((e) => e.type === 'offer' || e.type === 'assigned').length,
      0,
      'MON-4: the dry runs offered Dora nothing',
    );

    const visitor = await s.visitor();
    await visitor.ok({ type: 'hello' });
    const started = await visitor.ok({ type: 'start', department: 'pre-sales', text: '我的 INVOICE 有问题' });
    const assigned = await dora.waitFor((e) => e.type === 'assigned' && e.conversationId === started.conversationId);
    t.ok(assigned, 'the visitor is routed by the new rule to the new department and its new agent');
    await dora.close();
    // The refused requests are logged by the browser itself; anything else would be the page's fault.
    t.same(
      errors.filter((e) => !/Failed to load resource: the server responded with a status of 400/.test(e)),
      [],
      'no errors in the page',
    );
  },
);
