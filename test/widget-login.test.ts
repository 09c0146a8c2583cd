/**
 * The widget in a real Chromium (WEB-1, WEB-2, CUST-1, QUEUE-4): a verified
 * login from the snippet, and a message written while the team is offline
 * that is kept and answered later. Screenshots in test-artifacts/widget-login/.
 */
import t from 'tap';
import { createHmac } from 'node:crypto';
import { startTestServer } from './support/server.js';
import { onlineAgent } from './support/conversations.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { chatTexts, openChat, waitForText, widget, write } from './support/widget-page.js';
import { snippet, startHostSite } from './support/host-site.js';

const browser = await launchBrowser(t);
const shots = 'widget-login';

t.test(
  "WEB-1 CUST-1: a verified login in the snippet (signed by the host site's server) makes the visitor that customer",
  async (t) => {
    const ts = await startTestServer(t);
    const secret = ts.server.demoVerificationSecret!;
    const signature = createHmac('sha256', secret).update('user-42', 'utf8').digest('hex');
    const site = await startHostSite(
      `<!doctype html><html><body><h1>Signed-in shop</h1>${snippet(ts.server.port, { 'external-id': 'user-42', signature, name: 'Ann Lee', lang: 'en' })}</body></html>`,
    );
    t.teardown(() => site.close());
    const { page, errors } = await openPage(browser);
    const hello = new Promise<Record<string, unknown>>((resolve) =>
      page.on('websocket', (ws) =>
        ws.on('framereceived', (f) => {
          const frame = JSON.parse(String(f.payload)) as Record<string, unknown>;
          if (frame.type === 'ack' && frame.id === 1) resolve(frame.result as Record<string, unknown>);
        }),
      ),
    );
    await page.goto(site.url);
    await openChat(page);
    const result = await hello;
    t.equal(result.verified, true, 'the hello carried the signed login');
    await write(page, 'Where is my order?');
    const alice = await onlineAgent(ts, 'alice');
    const conv = (await alice.waitFor((e) => e.type === 'assigned')).conversationId as string;
    const customer = await alice.ok({ type: 'customer', conversationId: conv });
    t.match(JSON.stringify(customer), /user-42/, 'staff see the customer of that external id');
    t.match(JSON.stringify(customer), /Ann Lee/, 'with the name the login gave');
    t.same(errors, []);
  },
);

t.test(
  'WEB-2 QUEUE-4: the team offline, the widget says so; the message is kept and answered when an agent comes online, after a reload too',
  async (t) => {
    const ts = await startTestServer(t);
    const { page } = await openPage(browser, { locale: 'en-US' });
    await page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await openChat(page);
    await write(page, 'Please call me back about a wholesale order.');
    await waitForText(page, '[data-testid=leave] .form-intro', 'Nobody is online right now. Leave a message');
    await screenshot(page, shots, '1-offline-left-message');
    await page.close();

    const alice = await onlineAgent(ts, 'alice');
    const conv = (await alice.waitFor((e) => e.type === 'assigned')).conversationId as string;
    await alice.resumeAll(conv, 0);
    await alice.waitFor((e) => e.type === 'message' && e.text === 'Please call me back about a wholesale order.');
    await alice.ok({ type: 'send', conversationId: conv, clientMsgId: 'a-1', text: 'Happy to: what is your number?' });

    const back = await page.context().newPage();
    await back.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await waitForText(back, widget.badge, /\d/);
    await openChat(back);
    await waitForText(back, '.msg.theirs', 'what is your number?');
    t.same(await chatTexts(back), ['Please call me back about a wholesale order.', 'Happy to: what is your number?']);
    await screenshot(back, shots, '2-answered-later');
  },
);
