/**
 * CLUSTER-1 WEB-1 WEB-3 WEB-5 in Chromium: the pages of a workspace other
 * than the default one. Its admin signs in at /w/acme/admin, and its
 * snippet names the workspace (`data-workspace="acme"`); a shop embeds that
 * snippet, and its visitor chats with acme's agent, who works in
 * /w/acme/console. The visitor's id is kept under its own key and names
 * acme, and the default workspace's console holds no trace of the chat.
 */
import t from 'tap';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { runWorkspace } from '../src/workspace-commands.js';
import { capture } from './support/captured-output.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { chooseStatus, consoleReady, desk, desktop, fillSignIn } from './support/console-page.js';
import { snippet, startHostSite } from './support/host-site.js';
import { startTestServer, tempDataDir } from './support/server.js';
import { openChat, waitForText, widget, write } from './support/widget-page.js';

const browser = await launchBrowser(t);

t.test('CLUSTER-1 WEB-1 WEB-3 WEB-5: a second workspace’s admin, console and widget in the browser', async (t) => {
  const dataDir = tempDataDir();
  await LmdbStore.open(dataDir).close();
  const io = capture();
  t.equal(await runWorkspace(['create', 'acme', '--data', dataDir, '--admin-email', 'ops@acme.example'], {}, io), 0);
  const adminPassword = /password (\S+) \(shown only this once\)/.exec(io.lines.join('\n'))?.[1] ?? '';
  const ts = await startTestServer(t, { dataDir });
  const origin = `http://127.0.0.1:${ts.server.port}`;

  // Acme's admin, in acme's admin pages: its snippet names the workspace.
  const admin = await openPage(browser, desktop);
  await admin.page.goto(`${origin}/w/acme/admin`);
  await fillSignIn(admin.page, 'ops@acme.example', adminPassword);
  await admin.page.locator('.adm-nav').waitFor();
  await admin.page.locator('.adm-nav a[data-page=widget-snippet]').click();
  await admin.page.locator('[data-testid=page-widget-snippet]').waitFor();
  t.equal(
    await admin.page.locator('[data-testid=snippet]').textContent(),
    `<script src="${origin}/widget.js" data-workspace="acme" async></script>`,
    "acme's snippet names acme",
  );
  await screenshot(admin.page, 'workspace-pages', 'acme-snippet');
  t.equal(
    await admin.page.evaluate(`localStorage.getItem('switchboard.staffSession') === null`),
    true,
    "the session is kept under acme's key, not the default workspace's",
  );

  // The admin's API session sets acme up: a department and an agent.
  const session = JSON.parse(
    (await admin.page.evaluate(`localStorage.getItem('switchboard.staffSession.acme')`)) as string,
  ) as { token: string };
  t.match(session.token, /^acme:/, "the page holds acme's token");
  const call = (path: string, body: unknown) =>
    fetch(`${origin}/w/acme/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.status);
  t.equal(await call('/departments', { id: 'support', name: 'Support', defaultMaxConcurrent: 3 }), 201);
  t.equal(
    await call('/staff', {
      id: 'ann',
      name: 'Ann of Acme',
      email: 'ann@acme.example',
      role: 'agent',
      departments: ['support'],
      password: 'ann-of-acme-password',
    }),
    201,
  );

  // Ann works in acme's console.
  const agent = await openPage(browser, desktop);
  await agent.page.goto(`${origin}/w/acme/console`);
  await fillSignIn(agent.page, 'ann@acme.example', 'ann-of-acme-password');
  await consoleReady(agent.page);
  await chooseStatus(agent.page, 'online');

  // A shop embeds acme's widget; its visitor writes, Ann answers.
  const shop = await startHostSite(
    `<!doctype html><title>Acme shop</title><h1>Acme shop</h1>${snippet(ts.server.port, { workspace: 'acme' })}`,
  );
  t.teardown(() => shop.close());
  const visitor = await openPage(browser, desktop);
  await visitor.page.goto(shop.url);
  await openChat(visitor.page);
  await write(visitor.page, 'Hello from the acme shop');
  await waitForText(agent.page, desk.transcript, 'Hello from the acme shop');
  await agent.page.locator(desk.composer).fill('Ann of Acme here, how can I help?');
  await agent.page.locator(desk.composer).press('Enter');
  await waitForText(visitor.page, widget.panel, 'Ann of Acme here, how can I help?');
  await screenshot(agent.page, 'workspace-pages', 'acme-console');
  await screenshot(visitor.page, 'workspace-pages', 'acme-widget');
  const stored = (await visitor.page.evaluate(
    `[localStorage.getItem('switchboard.visitorId.acme'), localStorage.getItem('switchboard.visitorId')]`,
  )) as [string | null, string | null];
  t.match(stored[0], /^acme:v-/, "the visitor's acme id is kept under acme's key");
  t.equal(stored[1], null, "and not under the default workspace's");

  // The default workspace knows nothing of it.
  const alice = await ts.staff('alice');
  const queue = await alice.command({ type: 'queue', department: 'pre-sales' });
  t.notMatch(JSON.stringify(queue), /acme shop/, "the default workspace's queue holds no acme chat");
  t.same([...admin.errors, ...agent.errors, ...visitor.errors], [], 'no page logged an error');
});
