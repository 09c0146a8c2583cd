/**
 * Driving the admin pages (/admin) in Chromium: open them at 1280 px, sign
 * in through the shared staff form, go to a page by its menu link.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { openPage } from './browser.js';
import { desktop, fillSignIn } from './console-page.js';
import type { TestServer } from './server.js';

export const adminUrl = (ts: TestServer): string => `http://127.0.0.1:${ts.server.port}/admin`;

/**
 * A new context signed in to /admin as `staffId` (a demo account, or any `{email, password, role}`); for an
 * admin or a supervisor, waits for the menu, for an agent for the refusal. `browserTime` fixes the page's
 * clock (Date) at that instant, for a server on a virtual clock: the sign-in's token times are the server's.
 */
export async function openAdmin(
  browser: Browser,
  ts: TestServer,
  staffId: string | { email: string; password: string; role: string },
  options: BrowserContextOptions = desktop,
  browserTime?: number,
): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser, options);
  if (browserTime !== undefined) await opened.page.clock.setFixedTime(browserTime);
  const c = typeof staffId === 'string' ? ts.cred(staffId) : staffId;
  await opened.page.goto(adminUrl(ts));
  await fillSignIn(opened.page, c.email, c.password);
  await opened.page.locator(c.role === 'agent' ? '[data-testid=not-admin]' : '.adm-nav').waitFor();
  return opened;
}

/** Follows the menu link to a page and waits for it. */
export async function goTo(page: Page, id: string): Promise<void> {
  await page.locator(`.adm-nav a[data-page=${id}]`).click();
  await page.locator(`[data-testid=page-${id}]`).waitFor();
}
