/**
 * WEB-1, WEB-7 in a real Chromium: the demo shop page served over HTTPS from
 * a second origin (https://localhost:<port>, while Switchboard serves TLS as
 * https://127.0.0.1:<port>), with self-signed certificates made by the test.
 * On the workspace's allowlist the widget loads over https and chats over
 * wss; taken off it through the admin API, the widget says plainly that chat
 * is not available there, and neither spins nor retries. Screenshots go to
 * test-artifacts/widget-tls/.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from './support/server.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { chatTexts, openChat, waitForText, widget, write } from './support/widget-page.js';
import { startHostSite } from './support/host-site.js';
import { apiAs } from './support/api.js';
import { certDir, makeCertificate } from './support/tls-cert.js';

const browser = await launchBrowser(t);
const shots = 'widget-tls';
const demoHtml = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'demo.html');

t.test(
  'WEB-1 WEB-7: the demo page over TLS from a second origin chats while allowed, and shows a plain refusal once removed from the allowlist',
  async (t) => {
    const cert = makeCertificate(certDir(t), 'site');
    const ts = await startTestServer(t, { tls: { certFile: cert.certFile, keyFile: cert.keyFile } });
    const server = `https://127.0.0.1:${ts.server.port}`;
    // The demo shop as a customer's own site would serve it: the snippet and the styles from Switchboard's origin.
    const html = readFileSync(demoHtml, 'utf8')
      .replaceAll('src="/widget.js"', `src="${server}/widget.js" data-lang="en"`)
      .replaceAll('href="/', `href="${server}/`);
    const site = await startHostSite(html, cert);
    t.teardown(() => site.close());
    const siteOrigin = site.url.replace(/\/$/, '');
    t.match(siteOrigin, /^https:\/\/localhost:\d+$/);
    const admin = apiAs(ts, 'admin');
    const allowed = await admin('patch', '/workspace', { widgetOrigins: [siteOrigin] });
    t.same(allowed.body.widgetOrigins, [siteOrigin], 'the shop is on the allowlist');

    const alice = await ts.staff('alice');
    await alice.ok({ type: 'status', status: 'online' });
    // The browser is told to accept the test's self-signed certificates, for the page and for wss alike.
    const first = await openPage(browser, { ignoreHTTPSErrors: true, viewport: { width: 1024, height: 700 } });
    await first.page.goto(site.url);
    await openChat(first.page);
    await write(first.page, 'Hello over TLS');
    const assigned = await alice.waitFor((e) => e.type === 'assigned');
    const conversationId = assigned.conversationId as string;
    await alice.resumeAll(conversationId, 0);
    await alice.waitFor((e) => e.type === 'message' && e.text === 'Hello over TLS');
    await alice.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: 'Welcome, secure shopper' });
    await waitForText(first.page, '.log .msg', 'Welcome, secure shopper');
    t.same(await chatTexts(first.page), ['Hello over TLS', 'Welcome, secure shopper'], 'messages both ways');
    await screenshot(first.page, shots, '1-allowed-chat');
    t.same(first.errors, [], 'no errors on the page');

    const removed = await admin('patch', '/workspace', { widgetOrigins: ['https://www.example.com'] });
    t.same(removed.body.widgetOrigins, ['https://www.example.com'], 'the shop is taken off the allowlist');
    const attempts: string[] = [];
    const second = await openPage(browser, { ignoreHTTPSErrors: true, viewport: { width: 1024, height: 700 } });
    second.page.on('websocket', (ws) => attempts.push(ws.url()));
    // The page's timers on a virtual clock: the retries a spinning widget would make come due without real waiting.
    await second.page.clock.install();
    await second.page.goto(site.url);
    await second.page.locator(widget.bubble).click();
    await waitForText(second.page, widget.status, 'Chat is not available on this website.');
    t.equal(await second.page.locator(widget.input).count(), 0, 'no message box to write into');
    // A minute of the page's time: every retry (250 ms up to 10 s apart) would have come due.
    await second.page.clock.runFor(60_000);
    t.equal(attempts.length, 1, 'one refused connection, no retries');
    t.equal(
      await second.page.locator(widget.status).textContent(),
      'Chat is not available on this website.',
      'the message stays: no spinner, no "connecting"',
    );
    await screenshot(second.page, shots, '2-refused');

    // The visitor who chatted before comes back on a reload: refused the same way.
    await first.page.reload();
    await first.page.locator(widget.bubble).click();
    await waitForText(first.page, widget.status, 'Chat is not available on this website.');
    await screenshot(first.page, shots, '3-refused-returning');
  },
);
