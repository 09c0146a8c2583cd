/**
 * Driving the admin pages (/admin) in Chromium: open them at 1280 px, sign
 * in through the shared staff form, go to a page by its menu link.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { openPage } from './browser.js';
import { desktop, fillSignIn } from './console-page.js';
import type { TestServer } from './server.js';

export const adminUrl = (ts: TestServer): string => `http://127.0.0.1:${ts.server.port}/admin`;

/** A new context signed in to /admin as `staffId`; for an admin, waits for the menu. */
export async function openAdmin(
  browser: Browser,
  ts: TestServer,
  staffId: string,
  options: BrowserContextOptions = desktop,
): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser, options);
  const c = ts.cred(staffId);
  await opened.page.goto(adminUrl(ts));
  await fillSignIn(opened.page, c.email, c.password);
  await opened.page.locator(c.role === 'admin' ? '.adm-nav' : '[data-testid=not-admin]').waitFor();
  return opened;
}

/** Follows the menu link to a page and waits for it. */
export async function goTo(page: Page, id: string): Promise<void> {
  await page.locator(`.adm-nav a[data-page=${id}]`).click();
  await page.locator(`[data-testid=page-${id}]`).waitFor();
}
