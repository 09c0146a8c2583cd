/**
 * WEB-1's budget: at most 25 KB of gzipped JavaScript loaded before the
 * chat opens (the loader, the widget module and what it imports
 * statically); the panel loads when the chat opens. Read from the built
 * files, not from what the manifest claims.
 */
import t from 'tap';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defaultWebDir } from '../src/server/static/web-assets.js';
import type { WebManifest } from '../src/build/manifest.js';

const BUDGET = 25 * 1024;

t.test('WEB-1: the widget loads at most 25 KB of gzipped JavaScript before the chat opens', async (t) => {
  const manifest = JSON.parse(readFileSync(join(defaultWebDir, 'manifest.json'), 'utf8')) as WebManifest;
  const initial = manifest.initial.widget ?? [];
  const lazy = manifest.lazy.widget ?? [];
  t.equal(initial[0], '/widget.js', 'the stable loader first');
  t.ok(initial.length >= 2, 'and the widget module');
  t.ok(
    lazy.some((u) => /\/panel-/.test(u)),
    'the panel is loaded lazily',
  );
  t.notOk(
    initial.some((u) => /\/panel-/.test(u)),
    'and not before the chat opens',
  );
  let total = 0;
  for (const url of initial) {
    const meta = manifest.files[url]!;
    const gz = statSync(join(defaultWebDir, `${meta.file}.gz`)).size;
    t.equal(gz, meta.gzip, `${url}: the manifest's size is the file's`);
    t.ok(
      gz <= gzipSync(readFileSync(join(defaultWebDir, meta.file)), { level: 9 }).byteLength,
      `${url}: the .gz is the file, compressed`,
    );
    total += gz;
  }
  t.ok(total <= BUDGET, `${(total / 1024).toFixed(1)} KB gzipped before the chat opens (budget 25 KB)`);
  const lazyTotal = lazy.reduce((s, u) => s + (manifest.files[u]!.gzip ?? manifest.files[u]!.size), 0);
  t.comment(
    `widget: ${(total / 1024).toFixed(1)} KB gzipped before the chat opens, ${(lazyTotal / 1024).toFixed(1)} KB more when it opens`,
  );
});
