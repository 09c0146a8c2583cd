/**
 * The built web files (dist/web/, see src/build/web.ts), read into memory
 * once at start: they are small, and a request then picks a buffer by its
 * exact URL path. No path built from a request ever reaches the file
 * system, so there is nothing to traverse and no directory to list.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_FILE, type ManifestFile, type WebManifest } from '../../build/manifest.js';
import type { Logger } from '../../logger.js';

export interface WebAsset {
  meta: ManifestFile;
  identity: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

/** dist/web beside dist/src, where `npm run build` puts it. */
export const defaultWebDir = fileURLToPath(new URL('../../../web/', import.meta.url));

export function loadWebAssets(log: Logger, dir = defaultWebDir): Map<string, WebAsset> {
  const assets = new Map<string, WebAsset>();
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    log.warn({ dir }, 'no built web files (run npm run build): the start page, the demo and the widget are not served');
    return assets;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as WebManifest;
  for (const [url, meta] of Object.entries(manifest.files)) {
    const path = join(dir, meta.file);
    const asset: WebAsset = { meta, identity: readFileSync(path) };
    if (meta.gzip !== undefined) asset.gzip = readFileSync(`${path}.gz`);
    if (meta.br !== undefined) asset.br = readFileSync(`${path}.br`);
    assets.set(url, asset);
  }
  log.debug({ dir, files: assets.size }, 'web files loaded');
  return assets;
}
