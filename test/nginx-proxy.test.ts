/**
 * WEB-1: the reverse-proxy configuration docs/tls.md gives, run as given:
 * the test reads the nginx block from the page, changes only the listen
 * address, the upstream port and the certificate paths (each must be there
 * exactly once), and runs Debian's nginx with it in front of a real server.
 * A visitor and an agent chat through it over wss, a file goes up through
 * it with its CORS answer, and the demo page comes through it.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from './support/server.js';
import { TestClient } from './support/client.js';
import { certDir, makeCertificate } from './support/tls-cert.js';
import { accessLog, freePort, startNginx } from './support/nginx.js';
import { apiAs } from './support/api.js';

const tlsDoc = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'tls.md');

/** The one ```nginx block of docs/tls.md. */
function documentedConfig(): string {
  const blocks = [...readFileSync(tlsDoc, 'utf8').matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1]!);
  if (blocks.length !== 1) throw new Error(`docs/tls.md has ${blocks.length} nginx blocks, not one`);
  return blocks[0]!;
}

/** Replaces `from` (which must occur exactly once) with `to`. */
function once(text: string, from: string, to: string): string {
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`docs/tls.md's nginx block has "${from}" ${n} times, not once`);
  return text.replace(from, to);
}

function httpsGet(
  port: number,
  path: string,
  ca: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, ca, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

t.test('WEB-1: the documented nginx configuration proxies chat, uploads and pages to a real server', async (t) => {
  const cert = makeCertificate(certDir(t), 'proxy');
  const s = await startTestServer(t);
  const port = await freePort();
  const site = [
    ['listen 443 ssl;', `listen 127.0.0.1:${port} ssl;`],
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${s.server.port};`],
    ['/etc/ssl/certs/chat.example.com.pem', cert.certFile],
    ['/etc/ssl/private/chat.example.com.key', cert.keyFile],
  ].reduce((text, [from, to]) => once(text, from!, to!), documentedConfig());
  const { prefix } = await startNginx(t, site, port);
  const proxied = `wss://127.0.0.1:${port}`;

  // An agent and a visitor, both through nginx.
  const token = s.cred('alice').token;
  const alice = await TestClient.connect(`${proxied}/v1/staff?token=${token}`, { ca: cert.pem });
  t.teardown(() => alice.close());
  await alice.ok({ type: 'status', status: 'online' });
  const visitor = await TestClient.connect(`${proxied}/v1/visitor`, {
    ca: cert.pem,
    headers: { origin: 'https://shop.example.com' },
  });
  t.teardown(() => visitor.close());
  const hello = await visitor.ok({ type: 'hello' });
  const started = await visitor.ok({ type: 'start', text: 'Hello through nginx', clientMsgId: 'v1' });
  const conversationId = started.conversationId as string;
  await alice.waitFor((e) => e.type === 'assigned' && e.conversationId === conversationId);
  await alice.resumeAll(conversationId, 0);
  await alice.waitFor((e) => e.type === 'message' && e.text === 'Hello through nginx');
  await alice.ok({ type: 'send', conversationId, clientMsgId: 'a1', text: 'Hello back through nginx' });
  await visitor.waitFor((e) => e.type === 'message' && e.text === 'Hello back through nginx');
  t.pass('messages both ways over wss through nginx');

  // An upload from the shop's page, on the allowlist, with its preflight.
  await apiAs(s, 'admin')('patch', '/workspace', { widgetOrigins: ['https://shop.example.com'] });
  const origin = { origin: 'https://shop.example.com' };
  const preflight = await httpsGet(port, '/v1/files', cert.pem, origin, 'OPTIONS');
  t.equal(preflight.status, 204);
  t.equal(preflight.headers['access-control-allow-origin'], 'https://shop.example.com', 'CORS through nginx');
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    randomBytes(2 * 1024 * 1024),
  ]);
  const up = await httpsGet(
    port,
    `/v1/files?conversationId=${conversationId}&name=photo.png`,
    cert.pem,
    { ...origin, authorization: `Visitor ${hello.visitorId as string}`, 'content-type': 'image/png' },
    'POST',
    bytes,
  );
  t.equal(up.status, 201, 'a 2 MiB upload goes through (client_max_body_size)');
  t.equal(up.headers['access-control-allow-origin'], 'https://shop.example.com');

  // The demo page, and its own widget connection: the server's own page through nginx ($http_host).
  const demo = await httpsGet(port, '/demo', cert.pem);
  t.equal(demo.status, 200);
  t.match(demo.body, /widget\.js/);
  const own = await TestClient.connect(`${proxied}/v1/visitor`, {
    ca: cert.pem,
    headers: { origin: `https://127.0.0.1:${port}` },
  });
  t.teardown(() => own.close());
  const ownHello = await own.command({ type: 'hello' });
  t.equal(ownHello.type, 'ack', "the demo page's widget is the server's own page, allowed through the proxy");
  // nginx logs a WebSocket when it ends.
  await own.close();
  let log = '';
  for (let i = 0; i < 100 && !/GET \/v1\/visitor HTTP\/1\.1" 101/.test(log); i++) {
    await new Promise((r) => setTimeout(r, 50));
    log = accessLog(prefix);
  }
  t.match(log, /GET \/v1\/visitor HTTP\/1\.1" 101/, 'the WebSocket upgrade went through nginx');
});
