/**
 * ROLE-4 with WEB-4 in a real Chromium against a real server: the console
 * offers no supervision action to an agent, and a supervisor only their own
 * departments; a forged supervision command sent from such a page (over a
 * socket of its own, with the page's token) is refused by the server's
 * permission table all the same.
 */
import t from 'tap';
import { hashPassword } from '../src/auth/passwords.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { consoleReady, consoleSel, consoleUrl, desktop, fillSignIn, openConsole } from './support/console-page.js';
import { onlineAgent, servedConversation } from './support/conversations.js';
import { startTestServer } from './support/server.js';
import { createStaffWithToken } from './support/staff.js';
import { convRow, forgeFromPage, openWorkbench, showWorkbench, wb } from './support/workbench-page.js';

const browser = await launchBrowser(t);

const supervisionActions = ['watch', 'join', 'part', 'takeover', 'reassign', 'lend'];

t.test('ROLE-4 WEB-4: an agent’s console offers no supervisor action, and a forged one is refused', async (t) => {
  const ts = await startTestServer(t);
  const requested: string[] = [];
  const { page, errors } = await openConsole(browser, ts, 'alice', desktop, undefined);
  page.on('request', (r) => requested.push(r.url()));
  const { conversationId: id } = await servedConversation(ts, await onlineAgent(ts, 'alice'), {
    department: 'pre-sales',
    text: 'hello',
  });
  await page.locator(consoleSel.desk).waitFor();
  t.equal(await page.locator(wb.tab).count(), 0, 'no workbench tab');
  t.equal(await page.locator(wb.root).count(), 0, 'no workbench');
  await page.keyboard.press('Alt+2');
  t.equal(await page.locator(wb.root).count(), 0, 'its shortcut opens nothing either');
  for (const a of supervisionActions)
    t.equal(await page.locator(`[data-action="${a}"]`).count(), 0, `no "${a}" button anywhere`);
  await screenshot(page, 'workbench', 'agent-console-no-workbench');
  await page.reload();
  await page.locator(consoleSel.desk).waitFor();
  t.same(
    requested.filter((u) => /console-workbench/.test(u)),
    [],
    'the workbench code is never downloaded to an agent',
  );

  const answers = await forgeFromPage(page, [
    { type: 'monitor_departments' },
    { type: 'monitor' },
    { type: 'takeover', conversationId: id },
    { type: 'join', conversationId: id },
    { type: 'loan', agentId: 'bob', department: 'pre-sales', minutes: 30 },
  ]);
  t.same(
    answers.map((a) => [a.type, a.code]),
    [
      ['error', 'forbidden'],
      ['error', 'forbidden'],
      ['error', 'forbidden'],
      ['error', 'forbidden'],
      ['error', 'forbidden'],
    ],
    'the server refuses every forged supervision command with forbidden',
  );
  t.same(errors, [], 'no page errors');
});

t.test(
  'ROLE-4 MON-1 SUP-1: a supervisor of after-sales sees only after-sales; a forged take-over elsewhere is refused',
  async (t) => {
    const ts = await startTestServer(t);
    const dir = ts.server.directory;
    const password = 'sam-secret-42';
    await createStaffWithToken(dir, {
      id: 'sam',
      name: 'Sam',
      role: 'supervisor',
      departments: ['after-sales'],
      email: 'sam@test.local',
      passwordHash: await hashPassword(password),
    });
    const alice = await onlineAgent(ts, 'alice');
    const { conversationId: preSales } = await servedConversation(ts, alice, { department: 'pre-sales', text: 'hi' });
    const { page, errors } = await openPage(browser, desktop);
    await page.goto(consoleUrl(ts));
    await fillSignIn(page, 'sam@test.local', password);
    await consoleReady(page);
    await showWorkbench(page);
    const shown = await page
      .locator(`${wb.wall} [data-department]`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-department')));
    t.same(shown, ['after-sales'], 'only his department');
    t.equal(await page.locator(convRow(preSales)).count(), 0, 'no pre-sales conversation on his wall');
    const [takeover, watch, monitor] = await forgeFromPage(page, [
      { type: 'takeover', conversationId: preSales },
      { type: 'resume', conversationId: preSales, lastSeq: 0 },
      { type: 'monitor_departments', departments: ['pre-sales'] },
    ]);
    t.match(takeover, { type: 'error', code: 'not_found', field: 'conversationId' }, 'take-over refused');
    t.match(watch, { type: 'error', code: 'not_found' }, 'watching refused');
    t.match(monitor, { type: 'error', code: 'not_found', field: 'departments.0' }, 'monitoring refused');
    t.same(errors, [], 'no page errors');
  },
);

t.test('ROLE-4 WEB-4: an admin’s wall has every department and every action', async (t) => {
  const ts = await startTestServer(t);
  const bob = await onlineAgent(ts, 'bob');
  const { conversationId: id } = await servedConversation(ts, bob, { text: 'refund please' });
  const { page } = await openWorkbench(browser, ts, 'admin');
  await page.locator(convRow(id)).waitFor();
  const actions = await page
    .locator(`${convRow(id)} [data-action]`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
  t.same(actions, ['watch', 'join', 'takeover', 'reassign']);
});
