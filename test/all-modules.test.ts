/**
 * Loads every server module, so that the coverage gate counts modules no
 * other test imports (coverage only sees loaded files). cli.js is left out:
 * importing it would start its main(); it is covered by the tests that run
 * the server as a child process.
 */
import t from 'tap';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..');

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

t.test('every module of src/, actors/ and protocol/ loads', async (t) => {
  const files = ['src', 'actors', 'protocol']
    .flatMap((d) => modules(join(dist, d)))
    .filter((f) => !f.endsWith(join('src', 'cli.js')));
  t.ok(files.length > 20, `${files.length} modules`);
  for (const f of files) {
    await t.resolves(import(pathToFileURL(f).href), relative(dist, f));
  }
});
