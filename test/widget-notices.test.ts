/**
 * System notices and an unreachable server in a real Chromium (WEB-2,
 * WEB-7, XFER-3, SUP-2): a supervisor joins and leaves, the conversation
 * is transferred to another agent, and the visitor's transcript and header
 * follow; a widget whose server is down from the start says so and
 * recovers once the server comes up. Screenshots in
 * test-artifacts/widget-notices/.
 */
import t from 'tap';
import { createServer } from 'node:net';
import { startTestServer } from './support/server.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { chatTexts, openChat, waitForText, widget, write } from './support/widget-page.js';
import { chatWithAlice } from './support/widget-session.js';
import { snippet, startHostSite } from './support/host-site.js';

const browser = await launchBrowser(t);
const shots = 'widget-notices';

const notices = (page: import('playwright-core').Page) => page.locator('.log [data-testid=notice]').allTextContents();

t.test(
  'WEB-2 SUP-2 XFER-3: a supervisor joins and leaves, the conversation is transferred to Bob: notices in the transcript, the header names Bob',
  async (t) => {
    const { ts, alice, page, errors, conversationId } = await chatWithAlice(t, browser, 'Can I change my order?');
    const carol = await ts.staff('carol');
    await carol.ok({ type: 'join', conversationId });
    await waitForText(page, '.log .notice', 'Carol has joined the conversation.');
    await carol.ok({
      type: 'send',
      conversationId,
      clientMsgId: 'c-1',
      text: 'Carol here, the supervisor: I am listening in.',
    });
    await waitForText(page, '.msg.theirs', 'Carol here');
    await carol.ok({ type: 'part', conversationId });
    await waitForText(page, '.log .notice', 'Carol left the conversation.');
    await screenshot(page, shots, '1-supervisor-joined-left');

    const bob = await ts.staff('bob');
    await bob.ok({ type: 'status', status: 'online' });
    await carol.ok({
      type: 'transfer',
      conversationId,
      to: { agentId: 'bob' },
      note: 'Wants to change an order: after-sales.',
    });
    await waitForText(page, '.log .notice', 'Your conversation is being transferred to another agent, please wait.');
    await waitForText(page, widget.title, 'You are chatting with Bob');
    await waitForText(page, '.log .notice', 'Bob has joined the conversation.');
    await bob.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
    await bob.ok({ type: 'send', conversationId, clientMsgId: 'b-1', text: 'Bob from after-sales: which order?' });
    await waitForText(page, '.msg.theirs', 'Bob from after-sales');
    await write(page, 'Order 1001, please.');
    await bob.waitFor((e) => e.type === 'message' && e.text === 'Order 1001, please.');
    t.same(await notices(page), [
      'Hello! Thanks for contacting us. An agent will be with you shortly.',
      'Alice has joined the conversation.',
      'Carol has joined the conversation.',
      'Carol left the conversation.',
      'Your conversation is being transferred to another agent, please wait.',
      'Bob has joined the conversation.',
    ]);
    t.same(await chatTexts(page), [
      'Can I change my order?',
      'Carol here, the supervisor: I am listening in.',
      'Bob from after-sales: which order?',
      'Order 1001, please.',
    ]);
    t.notOk(
      alice.events.some((e) => e.type === 'message' && e.text === 'Order 1001, please.'),
      'Alice no longer gets the conversation',
    );
    await screenshot(page, shots, '2-transferred-to-bob');
    t.same(errors, []);
  },
);

/** A loopback port nothing listens on now (the server comes up on it later). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

t.test(
  'WEB-7: the chat server is unreachable from the start: the widget says so, never a blank panel, and recovers when the server comes up',
  async (t) => {
    const assets = await startTestServer(t); // serves widget.js; the chat server is another origin, down
    const port = await freePort();
    const site = await startHostSite(
      `<!doctype html><html><body><h1>Shop</h1>${snippet(assets.server.port, { server: `http://127.0.0.1:${port}`, lang: 'en' })}</body></html>`,
    );
    t.teardown(() => site.close());
    const { page } = await openPage(browser);
    await page.goto(site.url);
    await openChat(page);
    await waitForText(page, widget.status, 'We cannot reach the chat server right now. We will keep trying.');
    await write(page, 'Is anyone there?');
    await page.locator('[data-testid=pending]').filter({ hasText: 'Is anyone there?' }).waitFor();
    await screenshot(page, shots, '3-unreachable');

    const chat = await startTestServer(t, { port });
    const alice = await chat.staff('alice');
    await alice.ok({ type: 'status', status: 'online' });
    // The widget retries by itself (0.25, 1, 2, 5, then every 10 s): no reload, no click.
    const assigned = await alice.waitFor((e) => e.type === 'assigned', 30_000);
    await alice.resumeAll(assigned.conversationId as string, 0);
    await alice.waitFor((e) => e.type === 'message' && e.text === 'Is anyone there?');
    await waitForText(page, widget.title, 'You are chatting with Alice', 30_000);
    t.equal(await page.locator(widget.status).count(), 0, 'the warning is gone');
    t.same(await chatTexts(page), ['Is anyone there?'], 'the message written meanwhile was sent once');
    await screenshot(page, shots, '4-recovered');
  },
);
