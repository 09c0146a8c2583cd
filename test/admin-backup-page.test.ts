/** OPS-3 WEB-5 in Chromium against a real server: the admin pages' backup download. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { launchBrowser, screenshot } from './support/browser.js';
import { startTestServer } from './support/server.js';
import { openAdmin, goTo } from './support/admin-page.js';

t.test('OPS-3 WEB-5: an admin downloads a backup from the backup page', async (t) => {
  const s = await startTestServer(t, { autoMessages: false });
  const browser = await launchBrowser(t);
  const { page } = await openAdmin(browser, s, 'admin');
  await goTo(page, 'backup');
  const download = page.waitForEvent('download');
  await page.locator('[data-testid=backup-download]').click();
  const file = await download;
  t.match(file.suggestedFilename(), /^switchboard-backup-.*\.mdb$/);
  const path = await file.path();
  const bytes = readFileSync(path);
  t.ok(bytes.length > 4096, `a store of ${bytes.length} bytes`);
  await page.locator('[data-testid=backup-done]').waitFor();
  await screenshot(page, 'admin', 'backup');
});
