/**
 * The built web files served by the same uWS process (WEB-1, WEB-7 and
 * issue 16's serving rules), over real HTTP against a real server: media
 * types, ETag and 304, Cache-Control by class, precompressed variants by
 * Accept-Encoding, the pages' Content-Security-Policy, and no way out of
 * the list of built files.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startTestServer } from './support/server.js';
import { httpRequest } from './support/http.js';
import { rawRequest } from './support/raw-http.js';
import { defaultWebDir } from '../src/server/static/web-assets.js';
import type { WebManifest } from '../src/build/manifest.js';

const manifest = JSON.parse(readFileSync(join(defaultWebDir, 'manifest.json'), 'utf8')) as WebManifest;
const hashed = Object.keys(manifest.files).find((u) => u.startsWith('/assets/') && u.endsWith('.js'))!;

t.test(
  'WEB-1: /widget.js is the stable entry, revalidated, with a strong ETag, nosniff and readable cross-origin',
  async (t) => {
    const ts = await startTestServer(t);
    const r = await httpRequest(ts.server.port, '/widget.js');
    t.equal(r.status, 200);
    t.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
    t.equal(r.headers['cache-control'], 'no-cache');
    t.equal(r.headers.etag, `"${manifest.files['/widget.js']!.hash}"`);
    t.equal(r.headers['x-content-type-options'], 'nosniff');
    t.ok(r.headers['referrer-policy'], 'a referrer policy');
    t.equal(r.headers['access-control-allow-origin'], '*', 'customer sites import it as a module');
    t.equal(r.headers['content-encoding'], undefined, 'no Accept-Encoding: identity');
    t.same(r.body, readFileSync(join(defaultWebDir, 'widget.js')));
    t.match(r.body.toString(), /\/assets\/widget-[A-Z0-9]+\.js/, 'the loader names the hashed widget module');
  },
);

t.test(
  'WEB-1: content-hashed files are immutable for a year; precompressed br or gzip by Accept-Encoding, with Vary',
  async (t) => {
    const ts = await startTestServer(t);
    const port = ts.server.port;
    const meta = manifest.files[hashed]!;
    const plain = await httpRequest(port, hashed);
    t.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    t.equal(plain.headers.vary, 'Accept-Encoding');
    t.equal(plain.body.byteLength, meta.size);

    const br = await httpRequest(port, hashed, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    t.equal(br.headers['content-encoding'], 'br', 'brotli preferred');
    t.equal(br.headers.etag, `"${meta.hash}.br"`, 'each representation its own strong tag');
    t.equal(br.body.byteLength, meta.br);
    t.same(brotliDecompressSync(br.body), plain.body, 'the same bytes once decoded');

    const gz = await httpRequest(port, hashed, { headers: { 'accept-encoding': 'br;q=0, gzip' } });
    t.equal(gz.headers['content-encoding'], 'gzip', 'br refused with q=0: gzip');
    t.equal(gz.headers.etag, `"${meta.hash}.gz"`);
    t.same(gunzipSync(gz.body), plain.body);

    const none = await httpRequest(port, hashed, { headers: { 'accept-encoding': 'identity' } });
    t.equal(none.headers['content-encoding'], undefined);
    t.equal(none.body.byteLength, meta.size);

    const head = await httpRequest(port, hashed, { method: 'HEAD', headers: { 'accept-encoding': 'br' } });
    t.equal(head.status, 200);
    t.equal(head.body.byteLength, 0, 'HEAD: no body');
    t.equal(Number(head.headers['content-length']), meta.br, 'HEAD: the length of the body GET would send');
  },
);

t.test('WEB-1: If-None-Match with the current tag answers 304 without a body; another tag gets the file', async (t) => {
  const ts = await startTestServer(t);
  const port = ts.server.port;
  const first = await httpRequest(port, '/widget.js', { headers: { 'accept-encoding': 'gzip' } });
  const tag = first.headers.etag!;
  const again = await httpRequest(port, '/widget.js', { headers: { 'accept-encoding': 'gzip', 'if-none-match': tag } });
  t.equal(again.status, 304);
  t.equal(again.body.byteLength, 0);
  t.equal(again.headers.etag, tag);
  t.equal(again.headers['cache-control'], 'no-cache');
  t.equal(
    (
      await httpRequest(port, '/widget.js', {
        headers: { 'accept-encoding': 'gzip', 'if-none-match': `"old", W/${tag}` },
      })
    ).status,
    304,
    'a list, weak form',
  );
  t.equal(
    (await httpRequest(port, '/widget.js', { headers: { 'accept-encoding': 'gzip', 'if-none-match': '"old"' } }))
      .status,
    200,
    'a stale tag',
  );
  t.equal(
    (await httpRequest(port, '/widget.js', { headers: { 'if-none-match': tag } })).status,
    200,
    'the gzip tag does not match the identity body',
  );
});

t.test('WEB-1: every built file is served under its manifest path with its media type', async (t) => {
  const ts = await startTestServer(t);
  for (const [url, meta] of Object.entries(manifest.files)) {
    const r = await httpRequest(ts.server.port, url);
    t.equal(r.status, 200, url);
    t.equal(r.headers['content-type'], meta.type, `${url}: ${meta.type}`);
    t.same(r.body, readFileSync(join(defaultWebDir, meta.file)), `${url}: the built bytes`);
  }
  t.ok(
    Object.values(manifest.files).some((m) => m.type.startsWith('text/css')),
    'a style sheet among them',
  );
});

t.test(
  'WEB-1 WEB-7: the start page and the demo carry a strict CSP (no inline script) allowing only this server, ws and wss included',
  async (t) => {
    const ts = await startTestServer(t);
    const port = ts.server.port;
    for (const path of ['/', '/demo']) {
      const r = await httpRequest(port, path, { headers: { 'accept-encoding': 'br' } });
      t.equal(r.status, 200, path);
      t.equal(r.headers['content-type'], 'text/html; charset=utf-8');
      t.equal(r.headers['cache-control'], 'no-cache', `${path}: pages are revalidated`);
      const csp = String(r.headers['content-security-policy']);
      t.match(csp, /default-src 'none'/);
      t.match(csp, /script-src 'self'(;|$)/, `${path}: scripts from this server only`);
      t.notMatch(csp, /unsafe-inline|unsafe-eval/);
      t.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${port} wss://127\\.0\\.0\\.1:${port}`));
      t.match(csp, /frame-ancestors 'none'/);
      t.equal(r.headers['x-content-type-options'], 'nosniff');
      const html = brotliDecompressSync(r.body).toString('utf8');
      t.notMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${path}: no inline script`);
      t.notMatch(html, /\son[a-z]+=/i, `${path}: no inline event handler`);
      if (path === '/') {
        t.match(html, /href="\/demo"/, 'the start page links the demo');
        t.match(html, /docs\/widget\.md/, 'and names the docs');
      } else
        t.match(
          html,
          /<script src="\/widget\.js" data-department="pre-sales" async><\/script>/,
          'the demo embeds the snippet',
        );
    }
    const hostile = await httpRequest(port, '/', { headers: { host: 'evil.example; script-src *' } });
    t.notMatch(
      String(hostile.headers['content-security-policy']),
      /evil|script-src \*/,
      'a forged Host header does not reach the policy',
    );
  },
);

t.test('WEB-1: no directory listing and no path traversal: only the exact built paths are served', async (t) => {
  const ts = await startTestServer(t);
  const port = ts.server.port;
  const targets = [
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/%2e%2e/package.json',
    '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/..%2f..%2fpackage.json',
    '/assets%2f..%2f..%2fpackage.json',
    '/assets\\..\\..\\package.json',
    '/..\\..\\src\\cli.ts',
    '/widget.js%00.html',
    '/widget.js\u0000',
    '/assets/',
    '/assets',
    '/manifest.json',
    '/widget.js.gz',
    '/index.html',
    '/demo.html',
    '//etc/passwd',
    '/src/web/widget/main.tsx',
    '/dist/web/widget.js',
  ];
  for (const target of targets) {
    const r = await rawRequest(port, target);
    // A raw NUL in the request line is not HTTP: uWS closes the connection without an answer (status 0).
    const refused = r.status === 404 || r.status === 400 || (target.includes('\u0000') && r.status === 0);
    t.ok(refused, `${JSON.stringify(target)}: ${r.status || 'closed'}`);
    t.notMatch(r.body, /"dependencies"|root:|import |"files"/, `${JSON.stringify(target)}: nothing of a file`);
  }
  const ok = await rawRequest(port, '/widget.js?v=1');
  t.equal(ok.status, 200, 'a query string does not change the path');
});
