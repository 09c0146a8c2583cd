/**
 * WEB-3 in a real Chromium against a real server: Alice's console and a
 * visitor (a protocol client) at once. Status switch; a new assignment
 * with a desktop notification and a sound; the chat both ways with typing
 * and read receipts; a canned reply on `/`; an internal note drawn apart
 * and never sent to the customer (SUP-5); the customer panel edited
 * (CUST-3); resolve with a summary, then in recently resolved.
 */
import t from 'tap';
import { launchBrowser, screenshot, waitForPageExpression } from './support/browser.js';
import { chooseStatus, attentionStub, desk, openConsole, shownEvents } from './support/console-page.js';
import { startTestServer } from './support/server.js';
import { waitForText } from './support/widget-page.js';

const browser = await launchBrowser(t);

t.test(
  'WEB-3: status, notification and sound on assignment, typing and read both ways, canned /, notes apart (SUP-5), customer edit (CUST-3), resolve with summary (XFER-7)',
  async (t) => {
    const ts = await startTestServer(t);
    const carol = await ts.staff('carol');
    await carol.ok({
      type: 'canned_save',
      scope: 'workspace',
      title: 'Refund policy',
      text: 'Hello {customer.name}, {agent.name} here: refunds are possible within 30 days.',
      shortcut: 'refund',
    });
    const { page, errors } = await openConsole(browser, ts, 'alice', undefined, attentionStub);
    await chooseStatus(page, 'online');

    const v = await ts.visitor();
    await v.ok({ type: 'hello' });
    const { conversationId: conv } = (await v.ok({
      type: 'start',
      text: 'Where is my tea order?',
      clientMsgId: 'v-1',
    })) as {
      conversationId: string;
    };
    await waitForText(page, `${desk.mine} ${desk.item(conv)}`, 'Where is my tea order?');
    await waitForText(page, desk.transcript, 'Where is my tea order?');
    await waitForPageExpression(page, 'window.__notes.length >= 1');
    t.match(
      await page.evaluate('window.__notes[0]'),
      { title: 'New conversation', body: 'Where is my tea order?' },
      'a desktop notification',
    );
    t.ok(((await page.evaluate('window.__tones')) as number) >= 2, 'and a sound');

    // The agent read the customer's message: the visitor is told (CONV-2).
    const read = await v.waitFor((e) => e.type === 'read' && e.conversationId === conv);
    t.ok((read.seq as number) >= 2, 'the customer sees the agent read it');

    // The customer types: the console shows it; the agent types: the customer is told.
    await v.ok({ type: 'typing', conversationId: conv, typing: true });
    await page.locator('[data-testid=typing]').waitFor();
    await page.locator(desk.composer).pressSequentially('Let me', { delay: 10 });
    await v.waitFor((e) => e.type === 'typing' && e.typing === true && e.conversationId === conv);
    await page.locator(desk.composer).fill('');

    // CUST-3: the customer panel, edited; an agent may not set VIP.
    await page.locator('[data-testid=edit-customer]').click();
    await page.locator('[data-testid=customer-form] input[name=name]').fill('Ann Lee');
    await page.locator('[data-testid=customer-form] input[name=newKey]').fill('plan');
    await page.locator('[data-testid=customer-form] input[name=newValue]').fill('pro');
    t.ok(await page.locator('[data-testid=customer-form] input[name=vip]').isDisabled(), 'VIP is for supervisors');
    await page.locator('[data-testid=save-customer]').click();
    await waitForText(page, `${desk.customer} h3`, 'Ann Lee');
    await waitForText(page, `${desk.customer} dl`, 'pro');
    const profile = (await carol.ok({ type: 'customer', conversationId: conv })) as {
      customer: { name: string; attributes: Record<string, string> };
    };
    t.equal(profile.customer.name, 'Ann Lee', 'the edit is stored');
    t.same(profile.customer.attributes, { plan: 'pro' });

    // CONV-3: `/ref` lists the canned reply; Enter puts it in the box with the placeholders filled.
    await page.locator(desk.composer).fill('/ref');
    await waitForText(page, '[data-testid=canned]', 'Refund policy');
    await screenshot(page, 'console', 'desk-canned');
    await page.locator(desk.composer).press('Enter');
    t.equal(
      await page.locator(desk.composer).inputValue(),
      'Hello Ann Lee, Alice here: refunds are possible within 30 days.',
      'the reply with its placeholders filled',
    );
    await page.locator(desk.composer).press('Enter');
    const sent = await v.waitFor(
      (e) => e.type === 'message' && e.from !== undefined && (e.from as { role: string }).role === 'agent',
    );
    t.equal(sent.text, 'Hello Ann Lee, Alice here: refunds are possible within 30 days.', 'the customer gets it');
    await v.ok({ type: 'read', conversationId: conv, seq: sent.seq as number });
    await page.locator('[data-testid=read]').waitFor();

    // SUP-5: an internal note, drawn apart, never sent to the customer.
    await page.keyboard.press('Alt+KeyN');
    await page.locator(desk.composer).fill('Customer ordered twice; refund one.');
    await page.locator(desk.composer).press('Enter');
    await waitForText(page, desk.notes, 'Customer ordered twice; refund one.');
    t.equal(
      await page.locator(`${desk.transcript} >> text=Customer ordered twice`).count(),
      0,
      'the note is not in the chat',
    );
    await page.keyboard.press('Alt+KeyN');
    await v.ok({ type: 'send', conversationId: conv, clientMsgId: 'v-2', text: 'Thanks!' });
    await waitForText(page, desk.transcript, 'Thanks!');
    await screenshot(page, 'console', 'desk-chat');
    t.notOk(
      v.events.some((e) => JSON.stringify(e).includes('ordered twice')),
      'the customer never receives the note',
    );

    // XFER-7: resolve with a summary.
    await page.keyboard.press('Alt+KeyR');
    await page.locator('[data-testid=resolve-summary]').fill('Refund of the double order');
    await page.locator('[data-testid=resolve-send]').click();
    const resolved = await v.waitFor((e) => e.type === 'resolved' && e.conversationId === conv);
    t.equal(resolved.summary, 'Refund of the double order', 'resolved with the summary');
    await waitForText(page, desk.resolved, 'Refund of the double order');
    t.equal(await page.locator(`${desk.mine} ${desk.item(conv)}`).count(), 0, 'no longer in my conversations');
    await screenshot(page, 'console', 'desk-resolved');
    const seqs = (await shownEvents(page)).map(([s]) => s);
    t.same(
      seqs,
      [...new Set(seqs)].sort((a, b) => a - b),
      'every event once, in order',
    );
    t.same(errors, [], 'no page errors');
  },
);
