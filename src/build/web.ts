/**
 * The web build (run by `npm run build` after tsc): bundles the browser apps
 * under src/web/ with esbuild into dist/web/, with content-hashed chunk names
 * (served immutable), one stable entry loader per app (served revalidated),
 * the static pages, precompressed .gz/.br files and manifest.json.
 *
 * An app is an ES module entry (its chunks load each other by relative
 * import) plus a tiny classic-script loader with a stable URL that host
 * pages embed; the loader knows the entry's hashed name, fixed at build time.
 */
import { build, type Metafile, type OutputFile } from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAsset } from './compress.js';
import { MANIFEST_FILE, type ManifestFile, type WebManifest } from './manifest.js';
import { writeFileSync } from 'node:fs';

const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const outDir = join(root, 'dist/web');
const assetsDir = 'assets';

interface App {
  name: string;
  entry: string;
  loader: string;
  /** The loader's stable URL path. */
  loaderPath: string;
}

const apps: App[] = [
  { name: 'widget', entry: 'src/web/widget/main.tsx', loader: 'src/web/widget/loader.ts', loaderPath: '/widget.js' },
  {
    name: 'console',
    entry: 'src/web/console/main.tsx',
    loader: 'src/web/shared/page-loader.ts',
    loaderPath: '/console.js',
  },
  { name: 'admin', entry: 'src/web/admin/main.tsx', loader: 'src/web/shared/page-loader.ts', loaderPath: '/admin.js' },
];

/** Static pages: URL path → source file under src/web/pages/. */
const pages: Record<string, string> = {
  '/': 'index.html',
  '/demo': 'demo.html',
  '/console': 'console.html',
  '/console.css': 'console.css',
  '/admin': 'admin.html',
  '/admin.css': 'admin.css',
  '/site.css': 'site.css',
  '/favicon.svg': 'favicon.svg',
};

const browsers = ['es2020'];

async function buildApp(app: App, files: Record<string, ManifestFile>): Promise<{ initial: string[]; lazy: string[] }> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { [app.name]: app.entry },
    outdir: join('dist/web', assetsDir),
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: browsers,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: 'src/web/tsconfig.json',
    // A library's style sheet (uPlot's) is imported as text and adopted as a constructed sheet (CSP).
    loader: { '.css': 'text' },
    legalComments: 'none',
    charset: 'utf8',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const urlOf = (outPath: string) => `/${relative(outDir, resolve(root, outPath)).split('\\').join('/')}`;
  for (const out of result.outputFiles) add(files, urlOf(relative(root, out.path)), out, 'immutable');
  const { initial, lazy } = splitByLoading(result.metafile, app.entry, urlOf);

  const loader = await build({
    absWorkingDir: root,
    entryPoints: [app.loader],
    bundle: true,
    format: 'iife',
    minify: true,
    target: browsers,
    tsconfig: 'src/web/tsconfig.json',
    define: { __APP_ENTRY__: JSON.stringify(initial[0]) },
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'warning',
  });
  const [loaderFile] = loader.outputFiles;
  if (!loaderFile) throw new Error(`web build: no loader output for ${app.name}`);
  files[app.loaderPath] = writeAsset(outDir, app.loaderPath.slice(1), loaderFile.contents, 'revalidate');
  return { initial: [app.loaderPath, ...initial], lazy };
}

function add(
  files: Record<string, ManifestFile>,
  url: string,
  out: OutputFile,
  cache: 'immutable' | 'revalidate',
): void {
  files[url] = writeAsset(outDir, url.slice(1), out.contents, cache);
}

/** The entry's output and what it imports statically load at once; dynamic imports (and theirs) load later. */
function splitByLoading(
  meta: Metafile,
  entry: string,
  urlOf: (p: string) => string,
): { initial: string[]; lazy: string[] } {
  const entryOut = Object.keys(meta.outputs).find((p) => meta.outputs[p]?.entryPoint === entry);
  if (!entryOut) throw new Error(`web build: no output for ${entry}`);
  const initial = new Set<string>();
  const walk = (p: string) => {
    if (initial.has(p)) return;
    initial.add(p);
    for (const imp of meta.outputs[p]?.imports ?? [])
      if (imp.kind === 'import-statement' && !imp.external) walk(imp.path);
  };
  walk(entryOut);
  const js = Object.keys(meta.outputs).filter((p) => p.endsWith('.js'));
  return { initial: [...initial].map(urlOf), lazy: js.filter((p) => !initial.has(p)).map(urlOf) };
}

async function main(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const manifest: WebManifest = { version: 1, files: {}, initial: {}, lazy: {} };
  for (const app of apps) {
    const { initial, lazy } = await buildApp(app, manifest.files);
    manifest.initial[app.name] = initial;
    manifest.lazy[app.name] = lazy;
  }
  const pagesDir = join(root, 'src/web/pages');
  const known = new Set(Object.values(pages));
  for (const f of readdirSync(pagesDir))
    if (!known.has(f)) throw new Error(`web build: src/web/pages/${f} has no URL in src/build/web.ts`);
  for (const [url, file] of Object.entries(pages)) {
    manifest.files[url] = writeAsset(outDir, file, readFileSync(join(pagesDir, file)), 'revalidate');
  }
  writeFileSync(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const kb = (n: number) => (n / 1024).toFixed(1);
  for (const app of apps) {
    const gz = manifest.initial[app.name]!.reduce(
      (s, u) => s + (manifest.files[u]!.gzip ?? manifest.files[u]!.size),
      0,
    );
    const lazyGz = manifest.lazy[app.name]!.reduce(
      (s, u) => s + (manifest.files[u]!.gzip ?? manifest.files[u]!.size),
      0,
    );
    process.stdout.write(
      `web build: ${app.name}: ${kb(gz)} KB gzipped before the chat opens, ${kb(lazyGz)} KB when it opens\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`web build failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
