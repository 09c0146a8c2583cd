/**
 * WEB-1: the per-workspace list of sites that may embed the widget, at the
 * protocol level: the admin API stores it in canonical form and refuses what
 * is no origin; the visitor WebSocket upgrade of a page from another site is
 * closed with 4003 `origin_not_allowed`; file uploads answer CORS for allowed
 * origins only. Staff are not affected. (The browser side: widget-tls.test.ts.)
 */
import t from 'tap';
import { WebSocket } from 'ws';
import { randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from './support/server.js';
import { apiAs } from './support/api.js';
import { httpRequest } from './support/http.js';
import { openConversation } from './support/conversations.js';
import { CloseCodes } from '../protocol/close-codes.js';
import { canonicalOrigin, widgetOriginAllowed } from '../actors/workspace/widget-origins.js';

const SHOP = 'https://shop.example.com';
const png = (): Buffer =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(500)]);

/** Opens a raw visitor socket from a page of `origin`; resolves with how it ended or that it stayed open. */
function visitorFrom(
  s: TestServer,
  headers: Record<string, string>,
): Promise<{ open: true; ws: WebSocket } | { open: false; code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(s.visitorUrl, { headers });
    let settled = false;
    ws.on('error', reject);
    ws.on('close', (code, reason) => {
      if (!settled) resolve({ open: false, code, reason: reason.toString() });
      settled = true;
    });
    ws.on('open', () => {
      // A refused socket is closed as it opens: a hello answered proves this one is served.
      ws.send(JSON.stringify({ type: 'hello', id: 1 }));
      ws.once('message', () => {
        if (!settled) resolve({ open: true, ws });
        settled = true;
      });
    });
  });
}

t.test('WEB-1: allowlist entries are origins, stored in canonical form; anything else is refused', async (t) => {
  t.equal(canonicalOrigin('https://Shop.Example.com/'), SHOP);
  t.equal(canonicalOrigin('https://shop.example.com:443'), SHOP, 'the default port is dropped');
  t.equal(canonicalOrigin('http://localhost:8000'), 'http://localhost:8000');
  t.equal(canonicalOrigin('https://*.example.com'), 'https://*.example.com');
  for (const bad of [
    'shop.example.com',
    'https://shop.example.com/page',
    'ftp://x.com',
    'https://*.com',
    'https://a@b.com',
  ])
    t.equal(canonicalOrigin(bad), undefined, `${bad} is no origin`);
  t.ok(widgetOriginAllowed('https://eu.example.com', ['https://*.example.com']), 'a wildcard lets in subdomains');
  t.notOk(widgetOriginAllowed('https://example.com', ['https://*.example.com']), 'but not the domain itself');
  t.notOk(widgetOriginAllowed('http://eu.example.com', ['https://*.example.com']), 'nor another scheme');
  t.notOk(widgetOriginAllowed('https://evilexample.com', ['https://*.example.com']), 'nor a longer name');
  t.ok(widgetOriginAllowed('https://anything.test', undefined), 'no list: every site (a fresh install)');
  t.notOk(widgetOriginAllowed(SHOP, []), 'an empty list: no other site');

  const s = await startTestServer(t);
  const admin = apiAs(s, 'admin');
  t.notOk((await admin('get', '/workspace')).body.widgetOrigins, 'a fresh install names no site');
  const set = await admin('patch', '/workspace', {
    widgetOrigins: ['https://Shop.Example.com/', 'https://*.example.org'],
  });
  t.equal(set.status, 200);
  t.same(set.body.widgetOrigins, [SHOP, 'https://*.example.org'], 'stored as a browser writes an Origin');
  const bad = await admin('patch', '/workspace', { widgetOrigins: [SHOP, 'shop.example.net'] });
  t.equal(bad.status, 400);
  t.match(bad.body.error, { code: 'invalid_field', field: 'widgetOrigins.1' });
  const agent = await apiAs(s, 'alice')('patch', '/workspace', { widgetOrigins: null });
  t.equal(agent.status, 403, 'only an admin changes it');
  const cleared = await admin('patch', '/workspace', { widgetOrigins: null });
  t.notOk(cleared.body.widgetOrigins, 'null removes the list: every site again');
});

t.test('WEB-1: a visitor socket from a site not on the allowlist is closed with 4003 origin_not_allowed', async (t) => {
  const s = await startTestServer(t);
  const admin = apiAs(s, 'admin');
  const before = await visitorFrom(s, { origin: 'https://elsewhere.example.net' });
  t.ok(before.open, 'no list yet: any site is served');
  if (before.open) before.ws.close();

  await admin('patch', '/workspace', { widgetOrigins: [SHOP] });
  const refused = await visitorFrom(s, { origin: 'https://elsewhere.example.net' });
  t.same(
    refused,
    { open: false, code: CloseCodes.originNotAllowed.code, reason: 'origin_not_allowed' },
    'refused with the stable code and reason a browser can read',
  );
  const allowed = await visitorFrom(s, { origin: SHOP });
  t.ok(allowed.open, 'a site on the list is served');
  if (allowed.open) allowed.ws.close();
  const own = await visitorFrom(s, { origin: `http://127.0.0.1:${s.server.port}` });
  t.ok(own.open, "the server's own pages (the demo shop) are always served");
  if (own.open) own.ws.close();
  const app = await visitorFrom(s, {});
  t.ok(app.open, 'a client that is no web page (no Origin) is served');
  if (app.open) app.ws.close();

  await admin('patch', '/workspace', { widgetOrigins: [] });
  const none = await visitorFrom(s, { origin: SHOP });
  t.match(none, { open: false, code: 4003 }, 'an empty list lets in no other site');

  const staff = await s.staff('alice', { headers: { origin: 'https://elsewhere.example.net' } });
  const status = await staff.command({ type: 'status', status: 'online' });
  t.equal(status.type, 'ack', 'staff connections are not affected by the widget allowlist');
});

t.test('WEB-1 CONV-1: uploads answer CORS for allowed origins only, with Vary: Origin', async (t) => {
  const s = await startTestServer(t);
  const port = s.server.port;
  const { visitorId, conversationId } = await openConversation(s, { text: 'hello' });
  await apiAs(s, 'admin')('patch', '/workspace', { widgetOrigins: [SHOP] });
  const preflight = (origin: string) =>
    httpRequest(port, '/v1/files', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
  const upload = (origin: string) =>
    httpRequest(port, `/v1/files?conversationId=${conversationId}&name=a.png`, {
      method: 'POST',
      headers: { origin, authorization: `Visitor ${visitorId}`, 'content-type': 'image/png' },
      body: png(),
    });

  const ok = await preflight(SHOP);
  t.equal(ok.status, 204);
  t.equal(ok.headers['access-control-allow-origin'], SHOP, 'the allowed origin is echoed, never *');
  t.equal(ok.headers.vary, 'Origin');
  t.match(ok.headers['access-control-allow-methods'], /POST/);
  t.match(ok.headers['access-control-allow-headers'], /authorization/);
  const no = await preflight('https://elsewhere.example.net');
  t.notOk(no.headers['access-control-allow-origin'], 'another site gets no CORS grant: its browser refuses');
  t.equal(no.headers.vary, 'Origin');

  const stored = await upload(SHOP);
  t.equal(stored.status, 201, 'an upload from an allowed page is stored');
  t.equal(stored.headers['access-control-allow-origin'], SHOP);
  const refused = await upload('https://elsewhere.example.net');
  t.equal(refused.status, 403, 'a visitor upload from another site is refused, whatever its browser does');
  t.match(refused.json(), { error: { code: 'origin_not_allowed' } });
  t.notOk(refused.headers['access-control-allow-origin']);

  const fileId = (stored.json().file as { id: string }).id;
  const staffRead = await httpRequest(port, `/v1/files/${fileId}`, {
    headers: { origin: 'https://elsewhere.example.net', authorization: `Bearer ${s.cred('admin').token}` },
  });
  t.equal(staffRead.status, 200, 'staff file requests are not affected by the widget allowlist');
});
