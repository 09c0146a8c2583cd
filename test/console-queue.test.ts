/**
 * WEB-3 in Chromium: the queue of my departments with claim (ROUTE-12),
 * and an offer (ROUTE-17) shown with a notification, declined with a
 * reason, which then goes to the next agent.
 */
import t from 'tap';
import { launchBrowser, screenshot, waitForPageExpression } from './support/browser.js';
import { chooseStatus, attentionStub, desk, openConsole } from './support/console-page.js';
import { onlineAgent } from './support/conversations.js';
import { configure } from './support/routing.js';
import { startTestServer } from './support/server.js';
import { waitForText } from './support/widget-page.js';

const browser = await launchBrowser(t);

t.test(
  'WEB-3, ROUTE-12: a waiting conversation shows in my departments queue and Claim makes it mine with its history',
  async (t) => {
    const ts = await startTestServer(t);
    const { page, errors } = await openConsole(browser, ts, 'alice');
    await chooseStatus(page, 'busy');
    const v = await ts.visitor();
    await v.ok({ type: 'hello' });
    const { conversationId: conv } = (await v.ok({ type: 'start', text: 'Is anyone there?', clientMsgId: 'v-1' })) as {
      conversationId: string;
    };
    await v.waitFor((e) => e.type === 'queued');
    await page.locator(`${desk.queue} ${desk.item(conv)}`).waitFor();
    await screenshot(page, 'console', 'queue');
    await page.locator(`${desk.queue} ${desk.item(conv)} [data-testid=claim]`).click();
    const assigned = await v.waitFor((e) => e.type === 'assigned');
    t.equal(assigned.policy, 'manual', 'claimed (ROUTE-12)');
    await waitForText(page, `${desk.mine} ${desk.item(conv)}`, 'Is anyone there?');
    await waitForText(page, desk.transcript, 'Is anyone there?');
    t.equal(await page.locator(`${desk.queue} ${desk.item(conv)}`).count(), 0, 'gone from the queue');
    t.same(errors, [], 'no page errors');
  },
);

t.test('WEB-3, ROUTE-17: an offer notifies the agent; declined with a reason it goes to the next agent', async (t) => {
  const ts = await startTestServer(t);
  await configure(ts, 'pre-sales', { offerMode: 'offer', offerTimeoutSec: 60 });
  const { page, errors } = await openConsole(browser, ts, 'alice', undefined, attentionStub);
  await chooseStatus(page, 'online');
  const carol = await onlineAgent(ts, 'carol');
  const v = await ts.visitor();
  await v.ok({ type: 'hello' });
  const { conversationId: conv } = (await v.ok({ type: 'start', text: 'Hello', clientMsgId: 'v-1' })) as {
    conversationId: string;
  };
  await page.locator('[data-testid=offer]').waitFor();
  await waitForPageExpression(page, `window.__notes.some((n) => n.title === 'A conversation is offered to you')`);
  t.ok(((await page.evaluate('window.__tones')) as number) >= 3, 'a sound for the offer');
  await screenshot(page, 'console', 'offer');
  await page.locator('[data-testid=offer-decline]').click();
  await page.locator('[data-testid=decline-reason]').fill('on a phone call');
  await page.locator('[data-testid=decline-send]').click();
  const offer = await carol.waitFor((e) => e.type === 'offer' && e.conversationId === conv);
  t.equal(offer.conversationId, conv, 'the next agent is offered it');
  await waitForPageExpression(page, `!document.querySelector('[data-testid=offer]')`);
  // The routing decisions are stored with the assignment that ends them.
  await carol.ok({ type: 'accept', conversationId: conv });
  await v.waitFor((e) => e.type === 'assigned');
  const explained = (await carol.ok({ type: 'explain', conversationId: conv })) as {
    decisions: { decisions: { agentId?: string; answer?: string }[] }[];
  };
  const runs = explained.decisions.flatMap((d) => d.decisions);
  t.ok(
    runs.some((r) => r.agentId === 'alice' && r.answer === 'declined: on a phone call'),
    'the decline and its reason are recorded',
  );
  t.same(errors, [], 'no page errors');
});
