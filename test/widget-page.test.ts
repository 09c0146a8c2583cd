/**
 * The widget on a page, in a real Chromium (WEB-1, WEB-2, WEB-7): isolation
 * from a hostile host page on another origin, zh-CN and en, keyboard-only
 * use at 360 px, and the history kept across page loads. Screenshots go to
 * test-artifacts/widget-page/.
 */
import t from 'tap';
import { startTestServer } from './support/server.js';
import { onlineAgent } from './support/conversations.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import {
  chatTexts,
  computed,
  focusInWidget,
  openChat,
  storedVisitorId,
  waitForBubbleFocus,
  waitForWidgetFocus,
  waitForText,
  widget,
  write,
} from './support/widget-page.js';
import { snippet, startHostSite } from './support/host-site.js';
import { chatWithAlice } from './support/widget-session.js';

const browser = await launchBrowser(t);
const shots = 'widget-page';

const hostileCss = `
*:not(html):not(body) { display: none !important; font-size: 60px !important; color: red !important; background: yellow !important; position: static !important; opacity: 0.1 !important; }
html { font-size: 48px; } body { font: 40px/4 serif; letter-spacing: 8px; }
button, textarea, div { all: unset; border: 12px dashed magenta; width: 10px; }
switchboard-widget { visibility: hidden !important; transform: scale(0.1) !important; }
`;

t.test(
  'WEB-1: a host page on another origin with hostile CSS (every element display:none !important, huge fonts) leaves the widget intact',
  async (t) => {
    const ts = await startTestServer(t);
    const alice = await onlineAgent(ts, 'alice');
    const site = await startHostSite(
      `<!doctype html><html><head><style>${hostileCss}</style></head><body><h1>Hostile shop</h1><p>Every element hidden.</p>${snippet(ts.server.port, { lang: 'en', color: '#047857' })}</body></html>`,
    );
    t.teardown(() => site.close());
    const { page, errors } = await openPage(browser, { viewport: { width: 1024, height: 700 } });
    await page.goto(site.url);
    const bubble = page.locator(widget.bubble);
    await bubble.waitFor({ state: 'visible' });
    const box = await bubble.boundingBox();
    t.ok(box && box.width === 56 && box.height === 56, `the bubble keeps its size (${JSON.stringify(box)})`);
    t.ok(box && box.x + box.width <= 1024 - 8 && box.y + box.height <= 700 - 8, 'in the corner of the viewport');
    t.equal(await computed(page, widget.bubble, 'backgroundColor'), 'rgb(4, 120, 87)', "the snippet's colour");
    await screenshot(page, shots, '1-hostile-bubble');
    await openChat(page);
    await write(page, 'Hello from a hostile page');
    await waitForText(page, widget.title, 'You are chatting with Alice');
    t.equal(await computed(page, widget.input, 'fontSize'), '14px', "the page's font sizes stop at the shadow root");
    const panel = await page.locator(widget.panel).boundingBox();
    t.ok(panel && panel.width === 360, `the panel keeps its width (${panel?.width})`);
    await alice.waitFor((e) => e.type === 'assigned');
    await screenshot(page, shots, '2-hostile-chat');
    t.same(errors, [], 'loads and connects across origins without errors');
  },
);

t.test(
  "WEB-2: zh-CN by the browser's language, with Chinese automatic messages; en by the snippet overrides it",
  async (t) => {
    const ts = await startTestServer(t);
    const { page } = await openPage(browser, { locale: 'zh-CN' });
    await page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    t.equal(await page.locator(widget.bubble).getAttribute('aria-label'), '在线咨询');
    await openChat(page);
    await waitForText(page, '.notice', '有任何问题都可以问我们');
    await write(page, '你好，请问龙井有货吗？');
    await waitForText(page, '[data-testid=leave] .form-intro', '当前没有客服在线'); // nobody online in pre-sales: the leave-a-message form says so
    await waitForText(page, '.notice', /[\u4e00-\u9fff]/); // the server's automatic messages, in the language the widget started with
    t.equal(await page.locator('switchboard-widget').getAttribute('lang'), 'zh-CN');
    await screenshot(page, shots, '3-zh-CN');

    const site = await startHostSite(
      `<!doctype html><html><body><h1>Shop</h1>${snippet(ts.server.port, { lang: 'en' })}</body></html>`,
    );
    t.teardown(() => site.close());
    const en = await openPage(browser, { locale: 'zh-CN' });
    await en.page.goto(site.url);
    t.equal(
      await en.page.locator(widget.bubble).getAttribute('aria-label'),
      'Chat with us',
      'data-lang="en" wins over a Chinese browser',
    );
    await openChat(en.page);
    await waitForText(en.page, '.notice', 'Ask us anything');
    await screenshot(en.page, shots, '4-en-by-snippet');
  },
);

t.test(
  'WEB-7: keyboard only at 360 px: Tab reaches the bubble, Enter opens, Enter sends, Esc closes and gives the focus back',
  async (t) => {
    const ts = await startTestServer(t);
    const alice = await onlineAgent(ts, 'alice');
    const { page, errors } = await openPage(browser, {
      viewport: { width: 360, height: 740 },
      locale: 'en-US',
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
    await page.locator(widget.bubble).waitFor();
    const focusedIsBubble = async () => (await focusInWidget(page)) === 'bubble';
    let presses = 0;
    while (!(await focusedIsBubble()) && presses < 20) {
      await page.keyboard.press('Tab');
      presses++;
    }
    t.ok(await focusedIsBubble(), `Tab reaches the bubble (${presses} presses)`);
    await page.keyboard.press('Enter');
    await page.locator(widget.input).waitFor();
    await waitForWidgetFocus(page, 'TEXTAREA');
    t.ok((await focusInWidget(page)) === 'TEXTAREA', 'the message box has the focus');
    const panel = await page.locator(widget.panel).boundingBox();
    t.ok(panel && panel.x >= 0 && panel.x + panel.width <= 360, `the panel fits 360 px (${JSON.stringify(panel)})`);
    await page.keyboard.type('Typed with the keyboard');
    await page.keyboard.press('Enter');
    await alice.waitFor((e) => e.type === 'assigned');
    await waitForText(page, '.msg.mine', 'Typed with the keyboard');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    t.ok((await focusInWidget(page)) === 'TEXTAREA', 'Tab moves within the panel');
    // The tab order of the panel: close, the transcript (it scrolls), the message box, attach, send.
    await page.keyboard.type('draft');
    const focusName = () =>
      page.evaluate(
        `(() => { const a = document.querySelector('switchboard-widget').shadowRoot.activeElement; return a ? a.className || a.tagName : ''; })()`,
      );
    const order: unknown[] = [];
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    order.push(await focusName());
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await focusName());
    }
    t.same(order, ['close', 'log', 'TEXTAREA', 'attach', 'send'], 'the tab order follows the panel top to bottom');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await screenshot(page, shots, '5-360px-keyboard');
    await page.keyboard.press('Escape');
    await page.locator(widget.panel).waitFor({ state: 'detached' });
    await waitForBubbleFocus(page);
    t.ok(await focusedIsBubble(), 'Esc closes and the focus is on the bubble again');
    await screenshot(page, shots, '6-360px-closed');
    t.same(errors, []);
  },
);

t.test(
  'WEB-2: the history is kept across page loads (the visitor id in localStorage); a returning visitor sees the unread badge',
  async (t) => {
    const { alice, page, conversationId: conv } = await chatWithAlice(t, browser, 'before the reload');
    const answer = await alice.ok({ type: 'send', conversationId: conv, clientMsgId: 'a-1', text: 'an answer' });
    await waitForText(page, '.msg.theirs', 'an answer');
    // The open panel marks the answer read a frame after showing it; a reload before that would leave it unread.
    await alice.waitFor(
      (e) => e.type === 'read' && (e.by as { role: string }).role === 'visitor' && Number(e.seq) >= Number(answer.seq),
    );
    const visitorId = await storedVisitorId(page);
    t.match(visitorId, /^v-[\w-]{22}\.[\w-]{22}$/, 'the signed visitor id is kept');

    await page.reload();
    await page.locator(widget.bubble).waitFor();
    await alice.ok({ type: 'send', conversationId: conv, clientMsgId: 'a-2', text: 'while the chat was closed' });
    await waitForText(page, widget.badge, '1');
    await openChat(page);
    await waitForText(page, '.msg.theirs', 'while the chat was closed');
    t.same(
      await chatTexts(page),
      ['before the reload', 'an answer', 'while the chat was closed'],
      'the same conversation, whole',
    );
    t.equal(await storedVisitorId(page), visitorId, 'the same visitor');
    await screenshot(page, shots, '7-after-reload');
  },
);
