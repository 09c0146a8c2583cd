/**
 * Files and images from the widget in a real Chromium (WEB-2, CONV-1): a
 * picked image uploads with a progress bar (the upload throttled through
 * the DevTools protocol so progress is visible), reaches the agent as a
 * file message the agent downloads byte for byte, and shows as a thumbnail
 * that opens full size; a dropped file is sent too; an agent's file shows
 * as a download; too large and refused types say so clearly.
 * Screenshots in test-artifacts/widget-files/.
 */
import t from 'tap';
import { launchBrowser, screenshot, waitForPageExpression } from './support/browser.js';
import { waitForText } from './support/widget-page.js';
import { chatWithAlice } from './support/widget-session.js';
import { makePng } from './support/png.js';
import type { Page } from 'playwright-core';

const browser = await launchBrowser(t);
const shots = 'widget-files';

const pick = (page: Page, name: string, mimeType: string, buffer: Buffer) =>
  page.locator('[data-testid=file-input]').setInputFiles({ name, mimeType, buffer });

/** Every value the progress bar shows, collected in the page as it changes. */
const watchProgress = (page: Page) =>
  page.evaluate(`(() => {
    window.__progress = [];
    const root = document.querySelector('switchboard-widget').shadowRoot;
    new MutationObserver(() => {
      for (const b of root.querySelectorAll('[role=progressbar]')) window.__progress.push(Number(b.getAttribute('aria-valuenow')));
    }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  })()`);

t.test(
  'WEB-2 CONV-1: an image picked in the widget uploads with a progress bar, reaches the agent, who downloads it; the visitor sees a thumbnail that opens',
  async (t) => {
    const { ts, alice, page, errors, conversationId } = await chatWithAlice(
      t,
      browser,
      'I have a photo of the damage.',
    );
    const token = ts.cred('alice').token;
    const photo = makePng(900, 600, true); // noise: about 1.6 MB, it does not compress
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 400 * 1024,
    });
    await watchProgress(page);
    await pick(page, 'damage.png', 'image/png', photo);
    await page.locator('[data-testid=progress]').waitFor();
    await waitForPageExpression(page, 'window.__progress.some((p) => p > 0 && p < 100)');
    await screenshot(page, shots, '1-uploading');
    const message = await alice.waitFor(
      (e) => e.type === 'message' && e.conversationId === conversationId && e.file !== undefined,
      30_000,
    );
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const progress = (await page.evaluate('window.__progress')) as number[];
    t.ok(
      progress.filter((p) => p > 0 && p < 100).length >= 2,
      `the bar moved through several values (${[...new Set(progress)].join(', ')})`,
    );
    const file = message.file as { id: string; name: string; type: string; size: number };
    t.match(file, { name: 'damage.png', type: 'image/png', size: photo.length }, 'the agent gets the file message');
    const res = await fetch(`http://127.0.0.1:${ts.server.port}/v1/files/${file.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    t.equal(res.status, 200);
    t.ok(Buffer.from(await res.arrayBuffer()).equals(photo), 'the agent downloads the same bytes');

    const thumb = page.locator('[data-testid=thumb]');
    await thumb.waitFor();
    await waitForPageExpression(
      page,
      `document.querySelector('switchboard-widget').shadowRoot.querySelector('[data-testid=thumb]').naturalWidth === 900`,
    );
    t.equal(await page.locator('[data-testid=upload]').count(), 0, 'the progress bar is gone once sent');
    await screenshot(page, shots, '2-thumbnail');
    await page.locator('.thumb').click();
    await page.locator('[data-testid=viewer]').waitFor();
    await screenshot(page, shots, '3-viewer');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=viewer]').waitFor({ state: 'detached' });
    t.equal(await page.locator('.panel').count(), 1, 'Esc closes the image, not the chat');

    // The agent sends a PDF: the visitor sees a download button with its name and size.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20_000, 32)]);
    const up = await fetch(
      `http://127.0.0.1:${ts.server.port}/v1/files?conversationId=${conversationId}&name=invoice-1001.pdf`,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' }, body: pdf },
    );
    t.equal(up.status, 201);
    const agentFile = ((await up.json()) as { file: { id: string } }).file;
    await alice.ok({ type: 'send', conversationId, clientMsgId: 'a-pdf', fileId: agentFile.id, text: 'Your invoice.' });
    await waitForText(page, '.msg.theirs .file', 'invoice-1001.pdf');
    const download = page.waitForEvent('download');
    await page.locator('.msg.theirs .file').click();
    t.equal((await download).suggestedFilename(), 'invoice-1001.pdf', 'the visitor downloads the agent’s file');
    await screenshot(page, shots, '4-agent-file');
    t.same(errors, []);
  },
);

t.test('WEB-2 CONV-1: a dropped file is sent; too large and refused types are told clearly', async (t) => {
  const { ts, alice, page, errors, conversationId } = await chatWithAlice(t, browser, 'Two files coming.', {
    locale: 'en-US',
  });
  void ts;
  // Drop a text file on the panel, as a person dragging it from their desktop would.
  const transfer = await page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['order 1001: 2 x Longjing'], 'order.txt', { type: 'text/plain' }));
    return dt;
  })()`);
  await page.locator('.panel').dispatchEvent('dragover', { dataTransfer: transfer });
  await waitForText(page, '.drop', 'Drop the file to send it');
  await screenshot(page, shots, '5-drop');
  await page.locator('.panel').dispatchEvent('drop', { dataTransfer: transfer });
  const dropped = await alice.waitFor(
    (e) => e.type === 'message' && e.conversationId === conversationId && e.file !== undefined,
  );
  t.match(dropped.file, { name: 'order.txt', type: 'text/plain' }, 'the dropped file reaches the agent');

  await pick(page, 'drawing.svg', 'image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
  await waitForText(page, '[data-testid=upload-error]', 'This kind of file cannot be sent.');
  await pick(page, 'fake.png', 'image/png', Buffer.from('this is not a png'));
  // The first refusal's text is there already: wait for the second refusal itself, the server's.
  const second = page.locator('[data-testid=upload-error]').nth(1);
  await second.waitFor();
  t.match(await second.textContent(), /cannot be sent/, "the server's refusal of a file that is not what it says");
  t.equal(
    await page.locator('[data-testid=upload-error]').count(),
    2,
    'a refused type, by the widget and by the server',
  );
  await screenshot(page, shots, '6-refused-type');
  for (let n = 2; n > 0; n--) await page.locator('[data-testid=upload-error] .link').first().click();
  t.equal(await page.locator('[data-testid=upload-error]').count(), 0, 'a failed file can be removed');
  t.same(
    errors.filter((e) => !/Failed to load resource/.test(e)),
    [],
  );
});

t.test('WEB-2 CONV-1: a file over the server’s size limit is refused with a clear message', async (t) => {
  const { page } = await chatWithAlice(t, browser, 'A big one.', { locale: 'en-US' }, undefined, {
    maxUploadBytes: 64 * 1024,
  });
  await pick(page, 'scan.png', 'image/png', makePng(400, 300, true));
  await waitForText(page, '[data-testid=upload-error]', 'This file is too large.');
  await screenshot(page, shots, '7-too-large');
});
