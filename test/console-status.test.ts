/**
 * WEB-3, ROLE-5 in Chromium: the agent's status. A second tab of the same
 * agent shows the current status as soon as it is signed in (the `signin`
 * ack carries it; no status change is pushed to make it show); after a
 * server restart the console sets again the status the agent last chose,
 * with no click; and the console's reconnects (a second tab, the restart)
 * write no sign-in audit entry: only the sign-in with the password does.
 */
import { type AddressInfo, createServer } from 'node:net';
import t, { type Test } from 'tap';
import { Keys } from '../actors/keyspace.js';
import { launchBrowser, screenshot, waitForPageExpression } from './support/browser.js';
import {
  chooseStatus,
  consoleDisconnected,
  consoleReady,
  consoleUrl,
  openConsole,
  statusShown,
} from './support/console-page.js';
import { type TestServer, startTestServer } from './support/server.js';

const browser = await launchBrowser(t);

interface Entry {
  action: string;
  outcome: string;
  actor?: { id: string };
}

/**
 * alice's sign-in entries in the audit log, as stored (the HTTP reading is audit.test.ts's; here a pooled
 * keep-alive connection to the stopped server would answer instead of the restarted one).
 */
function aliceSignIns(ts: TestServer): Entry[] {
  const entries = [...ts.server.directory.deps.journal.records<Entry>(Keys.allAudit)].map((r) => r.value);
  return entries.filter((e) => e.action === 'signin' && e.actor?.id === 'alice');
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The same port as before, once the old server's sockets have let it go (a browser reconnecting holds it a moment). */
async function restartOn(t: Test, dataDir: string, port: number): Promise<TestServer> {
  for (let i = 0; ; i++) {
    try {
      return await startTestServer(t, { dataDir, port, demo: false });
    } catch (err) {
      if (i >= 50 || !String(err).includes('cannot listen')) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

t.test(
  'WEB-3, ROLE-5: a second tab shows the status at once; after a restart the chosen status is back; reconnects are not sign-ins',
  async (t) => {
    // A named port from the start: uWS sets SO_REUSEPORT only on a named port, and the restart takes it again.
    const ts = await startTestServer(t, { keepData: true, port: await freePort() });
    const { page, errors } = await openConsole(browser, ts, 'alice');
    await chooseStatus(page, 'busy');
    t.equal(
      (await ts.server.directory.deps.runtime.ask(ts.server.directory.agent('alice')!, { type: 'describe' })).status,
      'busy',
      'the server has alice busy',
    );
    t.equal(aliceSignIns(ts).length, 1, "alice's sign-in with her password is audited once");

    // A second tab of the same browser: signed in by the stored session, its status is there at once.
    const second = await page.context().newPage();
    await second.goto(consoleUrl(ts));
    await consoleReady(second);
    t.equal(
      await second.locator('[data-testid=status]').getAttribute('data-status'),
      'busy',
      'the second tab shows busy as soon as it is ready',
    );
    await second.close();

    // The server restarts on the same port and data; the console reconnects with its session.
    const port = ts.server.port;
    await ts.stop();
    // The page must have seen the socket close; otherwise its old ready desk would pass the waits below.
    await consoleDisconnected(page);
    const again = await restartOn(t, ts.dataDir, port);
    await consoleReady(page);
    await waitForPageExpression(page, statusShown('busy'));
    const agent = again.server.directory.agent('alice');
    t.equal(
      (await again.server.directory.deps.runtime.ask(agent!, { type: 'describe' })).status,
      'busy',
      'the console set busy again on the restarted server, with no click',
    );
    await screenshot(page, 'console', 'status-after-restart');
    t.equal(aliceSignIns(again).length, 1, 'the second tab and the reconnect wrote no sign-in entry');
    t.same(
      errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(e)),
      [],
      'no page errors',
    );
  },
);

t.test('WEB-3: a status the agent chose offline stays offline after a reconnect', async (t) => {
  const ts = await startTestServer(t);
  const { page } = await openConsole(browser, ts, 'alice');
  await chooseStatus(page, 'online');
  await chooseStatus(page, 'offline');
  await page.reload();
  await consoleReady(page);
  t.equal(await page.locator('[data-testid=status]').getAttribute('data-status'), 'offline', 'offline after reload');
  const dir = ts.server.directory;
  t.equal(
    (await dir.deps.runtime.ask(dir.agent('alice')!, { type: 'describe' })).status,
    'offline',
    'and on the server',
  );
});
