/**
 * The usual start of a widget test: a real server, Alice online in
 * pre-sales, a visitor on the demo page who opens the chat and writes, and
 * the conversation assigned to Alice (whose connection has resumed its
 * history, so it holds the visitor's first message).
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { startTestServer, type TestServer, type TestServerOptions } from './server.js';
import type { TestClient } from './client.js';
import { openPage } from './browser.js';
import { openChat, write } from './widget-page.js';

export interface WidgetSession {
  ts: TestServer;
  alice: TestClient;
  page: Page;
  errors: string[];
  conversationId: string;
}

export async function chatWithAlice(
  t: { teardown(fn: () => unknown): void },
  browser: Browser,
  firstText: string,
  options: BrowserContextOptions = { locale: 'en-US' },
  initScript?: string,
  serverOptions: TestServerOptions = {},
): Promise<WidgetSession> {
  const ts = await startTestServer(serverOptions);
  t.teardown(() => ts.stop());
  const alice = await ts.staff('alice');
  await alice.ok({ type: 'status', status: 'online' });
  const { page, errors } = await openPage(browser, options);
  if (initScript) await page.addInitScript(initScript);
  await page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
  await openChat(page);
  await write(page, firstText);
  const conversationId = (await alice.waitFor((e) => e.type === 'assigned')).conversationId as string;
  await alice.resumeAll(conversationId, 0); // the history from before the assignment
  await alice.waitFor((e) => e.type === 'message' && e.text === firstText);
  return { ts, alice, page, errors, conversationId };
}
