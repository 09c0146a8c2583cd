/**
 * The web build's pieces that run per file (src/build/): content hash,
 * precompressed variants and media types; the bundling itself runs in
 * `npm run build`, whose output the serving and budget tests check.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { contentHash, writeAsset } from '../src/build/compress.js';
import { mediaTypeOf } from '../src/build/media-type.js';
import { pickLanguage } from '../src/web/shared/i18n.js';

t.test(
  'WEB-1: a built file is written with its hash and .gz/.br variants that decode to it; a tiny file keeps none',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'web-build-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const body = Buffer.from('export const greeting = "hello";\n'.repeat(200));
    const meta = writeAsset(dir, 'assets/x-ABC.js', body, 'immutable');
    t.same(meta, {
      file: 'assets/x-ABC.js',
      type: 'text/javascript; charset=utf-8',
      hash: contentHash(body),
      cache: 'immutable',
      html: false,
      size: body.byteLength,
      gzip: meta.gzip,
      br: meta.br,
    });
    t.match(meta.hash, /^[\w-]{22}$/);
    t.same(gunzipSync(readFileSync(join(dir, 'assets/x-ABC.js.gz'))), body);
    t.same(brotliDecompressSync(readFileSync(join(dir, 'assets/x-ABC.js.br'))), body);
    t.ok(meta.gzip! < body.byteLength && meta.br! < body.byteLength);
    const tiny = writeAsset(dir, 'a.txt', Buffer.from('x'), 'revalidate');
    t.equal(tiny.gzip, undefined, 'gzip would make it larger: no .gz');
    t.notOk(existsSync(join(dir, 'a.txt.gz')));
    t.equal(
      writeAsset(dir, 'p.html', Buffer.from('<!doctype html>'), 'revalidate').html,
      true,
      'HTML is marked for the CSP',
    );
    t.not(contentHash(Buffer.from('a')), contentHash(Buffer.from('b')));
  },
);

t.test('WEB-1: media types by extension; an unknown one fails the build instead of being guessed', async (t) => {
  t.equal(mediaTypeOf('x.css'), 'text/css; charset=utf-8');
  t.equal(mediaTypeOf('icon.SVG'), 'image/svg+xml');
  t.throws(() => mediaTypeOf('notes.exe'), /no media type/);
  t.throws(() => mediaTypeOf('README'), /no media type/);
});

t.test(
  "WEB-2: the language is the snippet's, else the browser's first Chinese or English preference, else English",
  async (t) => {
    t.equal(pickLanguage('en', ['zh-CN']), 'en');
    t.equal(pickLanguage('zh', ['en-US']), 'zh-CN');
    t.equal(pickLanguage(undefined, ['fr-FR', 'zh-TW', 'en']), 'zh-CN');
    t.equal(pickLanguage('de', ['en-GB']), 'en', 'an unknown snippet language falls back to the browser');
    t.equal(pickLanguage(null, ['fr', 'de']), 'en');
  },
);
