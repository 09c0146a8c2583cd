/**
 * WEB-3 CONV-1 in Chromium: files both ways between the agent console and
 * the widget, against the demo workspace. The agent picks a PDF in the
 * console's composer: it uploads, goes out as a file message and the
 * visitor's widget offers it as a download of the same bytes. The visitor
 * picks an image in the widget: the console shows it inline, fetched with
 * the agent's token, at its real size. Screenshots in
 * test-artifacts/console-files/.
 */
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { launchBrowser, openPage, screenshot, waitForPageExpression } from './support/browser.js';
import { chooseStatus, desk, desktop, openConsole } from './support/console-page.js';
import { makePng } from './support/png.js';
import { startTestServer } from './support/server.js';
import { openChat, waitForText, write } from './support/widget-page.js';

const browser = await launchBrowser(t);
const shots = 'console-files';

t.test('WEB-3 CONV-1: the agent sends a file from the console, the widget gets it; and the reverse', async (t) => {
  const ts = await startTestServer(t);
  const bob = await openConsole(browser, ts, 'bob');
  await chooseStatus(bob.page, 'online');
  const visitor = await openPage(browser, desktop);
  await visitor.page.goto(`http://127.0.0.1:${ts.server.port}/demo`);
  await openChat(visitor.page);
  await write(visitor.page, 'I want a refund');
  await waitForText(bob.page, desk.transcript, 'I want a refund');

  // The agent's PDF: picked in the composer, downloaded by the visitor byte for byte.
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(30_000, 32)]);
  await bob.page
    .locator(`${desk.chat} [data-testid=file-input]`)
    .setInputFiles({ name: 'refund-form.pdf', mimeType: 'application/pdf', buffer: pdf });
  await waitForText(bob.page, `${desk.transcript} [data-seq]`, 'refund-form.pdf');
  await waitForText(visitor.page, '.msg.theirs .file', 'refund-form.pdf');
  const download = visitor.page.waitForEvent('download');
  await visitor.page.locator('.msg.theirs .file').click();
  const got = await download;
  t.equal(got.suggestedFilename(), 'refund-form.pdf', "the visitor downloads the agent's file");
  t.ok((await readFile(await got.path())).equals(pdf), 'the same bytes');
  await screenshot(visitor.page, shots, '1-visitor-gets-agent-file');

  // The visitor's image: shown inline in the console at its real size.
  const photo = makePng(320, 200);
  await visitor.page
    .locator('[data-testid=file-input]')
    .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: photo });
  const image = `${desk.transcript} [data-testid=image-preview][alt="receipt.png"]`;
  await bob.page.locator(image).waitFor();
  await waitForPageExpression(
    bob.page,
    `(() => { const i = document.querySelector('${image.replace(/'/g, "\\'")}'); return !!i && i.complete && i.naturalWidth === 320 && i.naturalHeight === 200; })()`,
  );
  t.pass("the visitor's image shows in the console, 320 × 200");
  await screenshot(bob.page, shots, '2-console-gets-visitor-image');
  t.same([...bob.errors, ...visitor.errors], [], 'no page errors');
});
