/**
 * Driving the agent console (/console) in Chromium: open it at 1280 px,
 * sign in through its form as a demo account, and wait until its socket is
 * signed in. `openConsole` is the usual start of a console test; pass an
 * init script to stub browser APIs (Notification, AudioContext) before the
 * console's code runs.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { openPage, waitForPageExpression } from './browser.js';
import type { TestServer } from './server.js';

export const desktop: BrowserContextOptions = { locale: 'en-US', viewport: { width: 1280, height: 800 } };

export const consoleSel = {
  form: '[data-testid=sign-in]',
  email: '[data-testid=sign-in] input[name=email]',
  password: '[data-testid=sign-in] input[name=password]',
  problem: '[data-testid=sign-in-problem]',
  who: '[data-testid=who]',
  desk: '[data-testid=desk]',
  connection: '[data-testid=connection]',
} as const;

export const consoleUrl = (ts: TestServer): string => `http://127.0.0.1:${ts.server.port}/console`;

/** Fills and sends the sign-in form (the page shows it). */
export async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.locator(consoleSel.email).fill(email);
  await page.locator(consoleSel.password).fill(password);
  await page.locator(consoleSel.password).press('Enter');
}

const DESK_READY = `!!document.querySelector('[data-testid=desk][data-ready=true]')`;

/** True once the console's socket is signed in (the page exposes nothing else for tests). */
export const consoleReady = (page: Page): Promise<void> => waitForPageExpression(page, DESK_READY);

/** Waits until the console has seen its socket close (a stopped server): its desk is no longer ready. */
export const consoleDisconnected = (page: Page): Promise<void> => waitForPageExpression(page, `!${DESK_READY}`);

/** The page expression that is true while the desk shows `status`. */
export const statusShown = (status: string): string =>
  `document.querySelector('[data-testid=status]')?.dataset.status === '${status}'`;

/**
 * Clicks a status and waits until the desk shows it. The desk shows a status only from the server's answer, so
 * the server has it too; without the wait a test's next step can race the click.
 */
export async function chooseStatus(page: Page, status: string): Promise<void> {
  await page.locator(desk.status(status)).click();
  await waitForPageExpression(page, statusShown(status));
}

/** Signs the page in as a demo account through the form and waits for the desk to be connected. */
export async function signInConsole(page: Page, ts: TestServer, staffId: string): Promise<void> {
  const c = ts.cred(staffId);
  await page.goto(consoleUrl(ts));
  await fillSignIn(page, c.email, c.password);
  await consoleReady(page);
}

/** A new browser context (its own storage) with the console signed in as `staffId`. */
export async function openConsole(
  browser: Browser,
  ts: TestServer,
  staffId: string,
  options: BrowserContextOptions = desktop,
  initScript?: string,
): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser, options);
  if (initScript) await opened.page.addInitScript(initScript);
  await signInConsole(opened.page, ts, staffId);
  return opened;
}

/**
 * An init script that records desktop notifications and sounds instead of making them (WEB-3): `window.__notes`
 * lists `{title, body}`, `window.__tones` counts oscillator beeps. The permission reads as granted.
 */
export const attentionStub = `
(() => {
  window.__notes = [];
  window.__tones = 0;
  class StubNotification {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__notes.push({ title, body: options && options.body }); }
    close() {}
  }
  window.Notification = StubNotification;
  const make = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () { window.__tones++; return make.call(this); };
})();
`;

export const desk = {
  status: (s: string) => `[data-testid=status] button[data-status=${s}]`,
  mine: '[data-testid=list-mine]',
  queue: '[data-testid=list-queue]',
  resolved: '[data-testid=list-resolved]',
  item: (conversationId: string) => `[data-conversation="${conversationId}"]`,
  chat: '[data-testid=chat]',
  composer: '[data-testid=composer]',
  transcript: '[data-testid=transcript]',
  notes: '[data-testid=notes]',
  customer: '[data-testid=customer]',
  notice: '[data-testid=notice]',
} as const;

/** The chat pane's lines as [seq, text], in the order shown. */
export function shownEvents(page: Page): Promise<[number, string][]> {
  return page
    .locator('[data-testid=transcript] [data-seq]')
    .evaluateAll((els) =>
      els.map(
        (e) =>
          [Number(e.getAttribute('data-seq')), (e.querySelector('.text') ?? e).textContent ?? ''] as [number, string],
      ),
    );
}
