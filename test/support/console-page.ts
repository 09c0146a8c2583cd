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

/** True once the console's socket is signed in (the page exposes nothing else for tests). */
export const consoleReady = (page: Page): Promise<void> =>
  waitForPageExpression(page, `!!document.querySelector('[data-testid=desk][data-ready=true]')`);

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
