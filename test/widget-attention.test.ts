/**
 * WEB-2: sound and title blink while the tab is hidden, in a real Chromium.
 * Headless Chromium never hides a tab, so the page's visibility is driven
 * by an init script (document.visibilityState and the visibilitychange
 * event); the widget's code is the real one. Tones are counted where the
 * widget makes them (AudioContext oscillators).
 */
import t from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot } from './support/browser.js';
import { chatWithAlice } from './support/widget-session.js';
import { waitForText, widget } from './support/widget-page.js';

const browser = await launchBrowser(t);

/** Waits for the page's title to be one of `titles` (the page's CSP forbids the string predicates of waitForFunction). */
async function titleBecomes(page: Page, ...titles: string[]): Promise<string> {
  const until = Date.now() + 15_000;
  for (;;) {
    const now = await page.title();
    if (titles.includes(now)) return now;
    if (Date.now() > until) throw new Error(`title is ${JSON.stringify(now)}, not ${JSON.stringify(titles)}`);
    await page.waitForTimeout(50);
  }
}

const hiddenTab = `
(() => {
  let hidden = false;
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  window.__setHidden = (h) => { hidden = h; document.dispatchEvent(new Event('visibilitychange')); };
  window.__tones = 0;
  const make = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () { window.__tones++; return make.call(this); };
})();
`;

t.test(
  'WEB-2: a message while the tab is hidden blinks the title and plays a tone; looking again restores the title and marks it read',
  async (t) => {
    const {
      alice,
      page,
      conversationId: conv,
      errors,
    } = await chatWithAlice(t, browser, 'I will wait in another tab', { locale: 'en-US' }, hiddenTab);
    const title = await page.title();
    await page.evaluate('window.__setHidden(true)');
    const sent = await alice.ok({
      type: 'send',
      conversationId: conv,
      clientMsgId: 'a-1',
      text: 'Your order is ready.',
    });
    await waitForText(page, '.msg.theirs', 'Your order is ready.');
    await titleBecomes(page, '(1) New message');
    t.ok(((await page.evaluate('window.__tones')) as number) >= 1, 'a tone was played');
    await alice.ok({ type: 'send', conversationId: conv, clientMsgId: 'a-2', text: 'Pick it up any time.' });
    t.equal(await titleBecomes(page, title), title, "the title blinks back to the page's own");
    await titleBecomes(page, '(2) New message');
    t.notOk(
      alice.events.some((e) => e.type === 'read' && (e.seq as number) >= (sent.seq as number)),
      'nothing is marked read while the tab is hidden',
    );
    await screenshot(page, 'widget-attention', '1-hidden-tab');

    await page.evaluate('window.__setHidden(false)');
    await titleBecomes(page, title);
    await alice.waitFor(
      (e) =>
        e.type === 'read' && (e.by as { role: string }).role === 'visitor' && (e.seq as number) >= (sent.seq as number),
    );
    t.pass('looking again marks the messages read');
    await waitForText(page, widget.title, 'Alice');
    t.same(errors, []);
  },
);
