/**
 * The chat widget in a real Chromium against a real server (WEB-1, WEB-2):
 * a visitor on the demo page chats with an agent played by a protocol test
 * client. Screenshots of each state go to test-artifacts/widget-chat/.
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { chatTexts, openChat, transcript, waitForText, widget, write } from './support/widget-page.js';
import type { Frame } from './support/client.js';
import { Keys } from '../actors/keyspace.js';
import { chatWithAlice } from './support/widget-session.js';

const browser = await launchBrowser(t);
const shots = 'widget-chat';

const messagesOf = (events: Frame[], conversationId: string) =>
  events.filter(
    (e) =>
      e.type === 'message' && e.conversationId === conversationId && (e.from as { role: string }).role !== 'system',
  );

t.test(
  'WEB-1 WEB-2: queued with the position shown and updated live, assigned when the agent comes online, messages both ways, unread badge',
  async (t) => {
    const ts = await startTestServer(t);
    const alice = await ts.staff('alice');
    await alice.ok({ type: 'status', status: 'away' }); // present but taking nobody: the line forms
    const { v: ahead, conversationId: aheadConv } = await openConversation(ts, {
      department: 'pre-sales',
      text: 'first in line',
    });
    await ahead.waitFor((e) => e.type === 'queue_position');

    const { page, errors } = await openPage(browser, { locale: 'en-US' });
    await page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await page.locator(widget.bubble).waitFor();
    await screenshot(page, shots, '1-bubble');
    await openChat(page);
    await screenshot(page, shots, '2-open-empty');
    await write(page, 'Hello, is the Longjing in stock?');
    await waitForText(page, widget.status, 'You are number 2 in line, about 2 min.');
    await screenshot(page, shots, '3-queued-2');
    await ahead.ok({ type: 'leave', conversationId: aheadConv });
    await waitForText(page, widget.status, 'You are number 1 in line, about 1 min.');
    await screenshot(page, shots, '4-queued-1');

    await alice.ok({ type: 'status', status: 'online' });
    const assigned = await alice.waitFor((e) => e.type === 'assigned');
    const conv = assigned.conversationId as string;
    await waitForText(page, widget.title, 'You are chatting with Alice');
    t.equal(await page.locator(widget.status).count(), 0, 'no queue line once assigned');
    await alice.ok({ type: 'resume', conversationId: conv, lastSeq: 0 });
    t.same(
      messagesOf(alice.events, conv).map((m) => m.text),
      ['Hello, is the Longjing in stock?'],
      "the agent has the visitor's message",
    );
    await alice.ok({
      type: 'send',
      conversationId: conv,
      clientMsgId: 'a-1',
      text: 'Yes, it is. How much would you like?',
    });
    await waitForText(page, '.msg.theirs', 'Yes, it is.');
    await write(page, 'Two tins, please.');
    await alice.waitFor((e) => e.type === 'message' && e.text === 'Two tins, please.');
    await screenshot(page, shots, '5-assigned-chat');

    await page.keyboard.press('Escape');
    await page.locator(widget.panel).waitFor({ state: 'detached' });
    await alice.ok({ type: 'send', conversationId: conv, clientMsgId: 'a-2', text: 'Shipped today.' });
    await waitForText(page, widget.badge, '1');
    await screenshot(page, shots, '6-closed-unread');
    await openChat(page);
    t.equal(await page.locator(widget.badge).count(), 0, 'opening the chat clears the badge');
    await alice.waitFor((e) => e.type === 'read' && (e.by as { role: string }).role === 'visitor');
    t.same(await chatTexts(page), [
      'Hello, is the Longjing in stock?',
      'Yes, it is. How much would you like?',
      'Two tins, please.',
      'Shipped today.',
    ]);
    t.same(errors, [], 'no errors in the page (CSP included)');
  },
);

t.test('WEB-2: typing and read receipts both ways', async (t) => {
  const { alice, page, errors, conversationId: conv } = await chatWithAlice(t, browser, 'Do you ship to Shanghai?');
  const visitorMsg = await alice.waitFor((e) => e.type === 'message' && e.text === 'Do you ship to Shanghai?');
  await waitForText(page, widget.title, 'Alice');

  await page.locator(widget.input).pressSequentially('And to Beij', { delay: 10 });
  const typing = await alice.waitFor((e) => e.type === 'typing' && e.typing === true);
  t.same(
    typing.from,
    { role: 'visitor', id: (visitorMsg.from as { id: string }).id },
    'the agent sees the visitor type',
  );
  await page.locator(widget.input).fill('');
  await page.locator(widget.input).press('Backspace');
  await alice.waitFor((e) => e.type === 'typing' && e.typing === false);

  await alice.ok({ type: 'typing', conversationId: conv, typing: true });
  await waitForText(page, widget.typing, 'Alice is typing…');
  await screenshot(page, shots, '7-agent-typing');
  await alice.ok({ type: 'read', conversationId: conv, seq: visitorMsg.seq as number });
  await page.locator(widget.read).waitFor();
  t.equal(
    await page.locator(`.msg.mine[data-seq="${visitorMsg.seq as number}"] [data-testid=read]`).count(),
    1,
    '"Read" under the message the agent read',
  );
  await alice.ok({ type: 'send', conversationId: conv, clientMsgId: 'a-1', text: 'We do, in two days.' });
  await page.locator(widget.typing).waitFor({ state: 'detached' });
  const agentMsg = await alice.waitFor((e) => e.type === 'message' && e.text === 'We do, in two days.');
  const read = await alice.waitFor(
    (e) =>
      e.type === 'read' &&
      (e.by as { role: string }).role === 'visitor' &&
      (e.seq as number) >= (agentMsg.seq as number),
  );
  t.ok(read, "the open panel marks the agent's message read");
  await screenshot(page, shots, '8-read');
  t.same(errors, []);
});

t.test(
  'WEB-2 OPS-2: the browser goes offline while both sides write; back online, both transcripts hold every message once, in order',
  async (t) => {
    const { ts, alice, page, errors, conversationId: conv } = await chatWithAlice(t, browser, 'v1');
    const liveFrom = alice.events.length;
    await alice.ok({ type: 'send', conversationId: conv, clientMsgId: 'a1', text: 'a1' });
    await waitForText(page, '.msg.theirs', 'a1');

    await page.context().setOffline(true);
    await waitForText(page, widget.status, 'Connection lost');
    await write(page, 'v2');
    await alice.ok({ type: 'send', conversationId: conv, clientMsgId: 'a2', text: 'a2' });
    await write(page, 'v3');
    await alice.ok({ type: 'send', conversationId: conv, clientMsgId: 'a3', text: 'a3' });
    await page.locator('[data-testid=pending]').nth(1).waitFor();
    await screenshot(page, shots, '9-offline');
    t.equal(await page.locator('[data-testid=pending]').count(), 2, 'both messages wait to be sent');

    await page.context().setOffline(false);
    await alice.waitFor((e) => e.type === 'message' && e.text === 'v3');
    await waitForText(page, '.msg.theirs', 'a3');
    await page.locator('[data-testid=pending]').first().waitFor({ state: 'detached' });
    await screenshot(page, shots, '10-back-online');

    const shown = await chatTexts(page);
    t.same(shown, ['v1', 'a1', 'a2', 'a3', 'v2', 'v3'], 'the visitor sees each message once, in seq order');
    const lines = await transcript(page);
    const seqs = lines.map(([seq]) => seq);
    t.same(
      seqs,
      [...seqs].sort((a, b) => a - b),
      'lines in seq order',
    );
    t.equal(new Set(seqs).size, seqs.length, 'no seq twice');
    const live = messagesOf(alice.events.slice(liveFrom), conv);
    t.same(
      live.map((m) => m.text),
      ['a1', 'a2', 'a3', 'v2', 'v3'],
      'the agent got each later message live once, in order',
    );
    t.same(
      live.map((m) => m.seq),
      [...new Set(live.map((m) => m.seq))],
      'no seq twice on the agent side',
    );
    const check = await ts.staff('alice');
    await check.resumeAll(conv, 0);
    const stored = messagesOf(check.events, conv);
    t.same(
      stored.map((m) => m.text),
      ['v1', 'a1', 'a2', 'a3', 'v2', 'v3'],
      'the stored transcript: every message once, in order',
    );
    const agentView = new Map(stored.map((m) => [m.seq as number, m.text as string]));
    for (const [seq, text] of lines.filter(([, text]) => /^[av]\d$/.test(text)))
      t.equal(agentView.get(seq), text, `seq ${seq} is "${text}" on both sides`);
    t.same(
      errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(e)),
      [],
      'no page errors beyond the refused connections while offline',
    );
  },
);

t.test('WEB-2 MON-3: resolve offers the survey; the rating is stored', async (t) => {
  const { ts, alice, page, conversationId: conv } = await chatWithAlice(t, browser, 'Thanks for the tea!');
  await alice.ok({ type: 'resolve', conversationId: conv, summary: 'happy customer' });
  await page.locator('.survey').waitFor();
  await waitForText(page, widget.status, 'This conversation has ended.');
  await screenshot(page, shots, '11-survey');
  await page.getByRole('button', { name: '4 of 5' }).click();
  await waitForText(page, '.notice', 'Thank you for your rating.');
  const rating = ts.server.directory.deps.journal.getRecord<{ score: number }>(Keys.rating(conv));
  t.equal(rating?.score, 4, 'the rating is stored');
  await screenshot(page, shots, '12-rated');
});
