/**
 * Driving the supervisor workbench (the console's second tab) in Chromium:
 * open it signed in as a demo account, find a department's card, an agent's
 * row, a conversation's row and its action buttons, and the watch pane.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { waitForPageExpression } from './browser.js';
import { desktop, openConsole } from './console-page.js';
import type { TestServer } from './server.js';

export const wb = {
  root: '[data-testid=workbench]',
  wall: '[data-testid=wb-wall]',
  flash: '[data-testid=wb-flash]',
  unreachable: '[data-testid=wb-unreachable]',
  watch: '[data-testid=wb-watch]',
  watchLog: '[data-testid=wb-log]',
  mode: '[data-testid=wb-mode]',
  notes: '[data-testid=wb-notes]',
  reply: '[data-testid=wb-reply]',
  summary: '[data-testid=wb-summary]',
  reassign: '[data-testid=wb-reassign]',
  lend: '[data-testid=wb-lend]',
  tab: '[data-tab=workbench]',
} as const;

export const card = (department: string) => `${wb.wall} [data-department="${department}"]`;
export const agentRow = (department: string, agentId: string) => `${card(department)} [data-agent="${agentId}"]`;
export const convRow = (conversationId: string) => `${wb.wall} [data-conversation="${conversationId}"]`;
export const convAction = (conversationId: string, action: string) =>
  `${convRow(conversationId)} [data-action="${action}"]`;
export const figure = (department: string, name: string) => `${card(department)} [data-figure="${name}"] dd`;

/** Switches a signed-in console to the workbench tab and waits for the monitor's ack to fill the wall. */
export async function showWorkbench(page: Page): Promise<void> {
  await page.locator(wb.tab).click();
  await waitForPageExpression(page, `!!document.querySelector('[data-testid=wb-wall][data-loaded=yes]')`);
}

/** A new browser context with the console signed in as `staffId`, on the workbench tab. */
export async function openWorkbench(
  browser: Browser,
  ts: TestServer,
  staffId: string,
  options: BrowserContextOptions = desktop,
): Promise<{ page: Page; errors: string[] }> {
  const opened = await openConsole(browser, ts, staffId, options);
  await showWorkbench(opened.page);
  return opened;
}

/** Waits until an attribute of the first element matching `selector` has `value`; returns when it took. */
export async function waitForAttribute(
  page: Page,
  selector: string,
  name: string,
  value: string,
  timeoutMs = 10_000,
): Promise<number> {
  const started = Date.now();
  const s = JSON.stringify(selector);
  await waitForPageExpression(
    page,
    `document.querySelector(${s})?.getAttribute(${JSON.stringify(name)}) === ${JSON.stringify(value)}`,
    timeoutMs,
  );
  return Date.now() - started;
}

/** The text of the first element matching `selector` ('' when absent). */
export async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`)) as string;
}

/**
 * Sends raw staff commands from inside a page, over a WebSocket of its own with the page's stored staff token,
 * as a forged client would (ROLE-4): resolves with each command's answer frame.
 */
export async function forgeFromPage(page: Page, frames: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const script = `(async () => {
    const token = JSON.parse(localStorage.getItem('switchboard.staffSession')).token;
    const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/v1/staff?token=' + encodeURIComponent(token));
    await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
    const frames = ${JSON.stringify(frames)};
    const answers = new Map();
    const done = new Promise((ok) => {
      ws.onmessage = (m) => {
        const f = JSON.parse(m.data);
        if ((f.type === 'ack' || f.type === 'error') && typeof f.id === 'string' && f.id.startsWith('forged-')) {
          answers.set(f.id, f);
          if (answers.size === frames.length) ok();
        }
      };
    });
    frames.forEach((f, i) => ws.send(JSON.stringify({ ...f, id: 'forged-' + i })));
    await done;
    ws.close();
    return frames.map((_, i) => answers.get('forged-' + i));
  })()`;
  return (await page.evaluate(script)) as Record<string, unknown>[];
}

/** Presses Tab (the keyboard only) until the focus is on an element matching `selector`; fails after `max` presses. */
export async function tabTo(page: Page, selector: string, max = 12): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`!!document.activeElement?.matches(${JSON.stringify(selector)})`)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
