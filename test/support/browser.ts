/**
 * Browser tests: Debian's Chromium driven by playwright-core, one browser
 * per test (torn down with it), with the flags this machine's closed
 * network needs (no QUIC, no background or component traffic, no sync).
 * Playwright gives every launch a fresh temporary profile (--user-data-dir).
 * Screenshots are saved under test-artifacts/ as the test's evidence.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { chromiumPath } from './browser-path.js';

export const artifactsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test-artifacts');

export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Teardown {
  teardown(fn: () => unknown): void;
}

export async function launchBrowser(t: Teardown): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    timeout: 60_000,
  });
  t.teardown(() => browser.close());
  return browser;
}

/** A page in its own context (its own storage), with the page's console errors collected. */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Saves a screenshot as test-artifacts/<group>/<name>.png and returns its path. */
export async function screenshot(page: Page, group: string, name: string): Promise<string> {
  const path = join(artifactsDir, group, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path });
  return path;
}

/**
 * Waits until a page expression is truthy. The expression goes through page.evaluate (CDP), not
 * page.waitForFunction: a string predicate there runs through eval, which the pages' CSP refuses.
 * The polling interval is real time, for the browser's own work (an upload, an image decode).
 */
export async function waitForPageExpression(page: Page, expression: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
