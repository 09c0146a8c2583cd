/**
 * Driving the chat widget in a page, as a visitor would: the bubble, the
 * panel, the message box, and what the transcript shows. Playwright's CSS
 * locators reach into the widget's (open) shadow root.
 */
import type { Page } from 'playwright-core';

export const widget = {
  bubble: '.bubble',
  badge: '[data-testid=badge]',
  panel: '.panel',
  /** The panel once the server has answered the hello: what it shows then is what the server said. */
  ready: '.panel[data-ready=true]',
  input: '.panel .composer textarea',
  status: '[data-testid=status]',
  typing: '[data-testid=typing]',
  read: '[data-testid=read]',
  title: '.head-title',
} as const;

export async function openChat(page: Page): Promise<void> {
  await page.locator(widget.bubble).click();
  await page.locator(widget.input).waitFor();
}

export async function write(page: Page, text: string): Promise<void> {
  await page.locator(widget.input).fill(text);
  await page.locator(widget.input).press('Enter');
}

/** Waits until an element matching `selector` shows text matching `text`. */
export async function waitForText(
  page: Page,
  selector: string,
  text: RegExp | string,
  timeout = 15_000,
): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout });
}

/** The transcript lines as [seq, text] (messages and notices), in the order shown. */
export function transcript(page: Page): Promise<[number, string][]> {
  return page
    .locator('.log [data-seq]')
    .evaluateAll((els) =>
      els.map(
        (e) =>
          [Number(e.getAttribute('data-seq')), (e.querySelector('.text') ?? e).textContent ?? ''] as [number, string],
      ),
    );
}

/** Texts of the visitor's and agent's messages shown, in order (automatic notices left out). */
export async function chatTexts(page: Page): Promise<string[]> {
  return page.locator('.log .msg:not(.pending) .text').allTextContents();
}

/** The page expression naming what has the focus inside the widget: 'bubble', another element's tag, or ''. */
const FOCUS_IN_WIDGET = `(() => { const a = document.activeElement && document.activeElement.shadowRoot && document.activeElement.shadowRoot.activeElement; return !a ? '' : a.classList.contains('bubble') ? 'bubble' : a.tagName; })()`;

/** What has the keyboard focus inside the widget: 'bubble', the tag name of another element, or '' when outside it. */
export async function focusInWidget(page: Page): Promise<string> {
  return (await page.evaluate(FOCUS_IN_WIDGET)) as string;
}

/**
 * Waits (up to 5 s) until `what` (as `focusInWidget` names it) holds the focus: the widget moves the focus in
 * an effect, a frame after the element appears. The caller's assertion says whether it did.
 */
export async function waitForWidgetFocus(page: Page, what: string): Promise<void> {
  await page
    .waitForFunction(`${FOCUS_IN_WIDGET} === ${JSON.stringify(what)}`, undefined, { timeout: 5000 })
    .catch(() => undefined);
}

/** Waits (up to 5 s) until the widget's bubble holds the focus. */
export const waitForBubbleFocus = (page: Page): Promise<void> => waitForWidgetFocus(page, 'bubble');

export async function storedVisitorId(page: Page): Promise<string | null> {
  return (await page.evaluate(`localStorage.getItem('switchboard.visitorId')`)) as string | null;
}

/** A computed style property of the first element matching `selector`. */
export async function computed(page: Page, selector: string, property: string): Promise<string> {
  return page
    .locator(selector)
    .first()
    .evaluate(
      (e, p) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(e)[p] ??
        '',
      property,
    );
}
