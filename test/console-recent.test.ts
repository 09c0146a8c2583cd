/**
 * WEB-3: the console's recently resolved list is the server's
 * (`recent_resolved`): a conversation the agent served and resolved is in
 * their list, newest first, with its summary, and in no colleague's; a
 * console in another browser (its own empty storage) shows it too.
 */
import t from 'tap';
import { launchBrowser, screenshot } from './support/browser.js';
import { desk, openConsole } from './support/console-page.js';
import { onlineAgent, servedConversation } from './support/conversations.js';
import { startTestServer } from './support/server.js';
import { waitForText } from './support/widget-page.js';

const browser = await launchBrowser(t);

interface Entry {
  conversationId: string;
  at: number;
  department: string;
  summary?: string;
}

t.test("WEB-3: recently resolved is kept on the server: the agent's own, newest first, in every browser", async (t) => {
  const ts = await startTestServer(t, { autoMessages: false });
  const alice = await onlineAgent(ts, 'alice');
  const first = await servedConversation(ts, alice, { department: 'pre-sales', text: 'first' });
  await alice.ok({ type: 'resolve', conversationId: first.conversationId, summary: 'Sent the price list' });
  const second = await servedConversation(ts, alice, { department: 'pre-sales', text: 'second' });
  await alice.ok({ type: 'resolve', conversationId: second.conversationId });
  const unresolved = await servedConversation(ts, alice, { department: 'pre-sales', text: 'still open' });

  const mine = (await alice.ok({ type: 'recent_resolved' })).resolved as Entry[];
  t.same(
    mine.map((e) => e.conversationId),
    [second.conversationId, first.conversationId],
    'the two resolved, newest first; the open one is not there',
  );
  t.match(mine[1], { department: 'pre-sales', summary: 'Sent the price list' }, 'with department and summary');
  t.notOk(
    mine.some((e) => e.conversationId === unresolved.conversationId),
    'an open conversation is not listed',
  );
  t.same(
    ((await alice.ok({ type: 'recent_resolved', limit: 1 })).resolved as Entry[]).map((e) => e.conversationId),
    [second.conversationId],
    'limit',
  );
  const bob = await ts.staff('bob');
  t.same((await bob.ok({ type: 'recent_resolved' })).resolved, [], "not in a colleague's list");
  await alice.close();

  // A console in a fresh browser context (nothing in its storage) shows the list the server keeps.
  const { page, errors } = await openConsole(browser, ts, 'alice');
  await page.locator(`${desk.resolved} ${desk.item(first.conversationId)}`).waitFor();
  await page.locator(`${desk.resolved} ${desk.item(second.conversationId)}`).waitFor();
  await waitForText(page, desk.resolved, 'Sent the price list');
  const order = await page
    .locator(`${desk.resolved} [data-conversation]`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-conversation')));
  t.same(order, [second.conversationId, first.conversationId], 'the console lists them newest first');
  await screenshot(page, 'console', 'recently-resolved');
  t.same(errors, [], 'no page errors');
});
