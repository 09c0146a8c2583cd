/**
 * Writes one built file with its content hash and precompressed variants
 * (gzip level 9, brotli quality 11): compression happens once, at build time,
 * so the server only picks a buffer per request.
 */
import { createHash } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { CacheClass, ManifestFile } from './manifest.js';
import { mediaTypeOf } from './media-type.js';

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
}

/** Writes `bytes` as `outDir/file` (+ .gz, .br where smaller) and describes it. */
export function writeAsset(outDir: string, file: string, bytes: Uint8Array, cache: CacheClass): ManifestFile {
  const path = join(outDir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  const type = mediaTypeOf(file);
  const entry: ManifestFile = {
    file,
    type,
    hash: contentHash(bytes),
    cache,
    html: type.startsWith('text/html'),
    size: bytes.byteLength,
  };
  const gz = gzipSync(bytes, { level: 9 });
  if (gz.byteLength < bytes.byteLength) {
    writeFileSync(`${path}.gz`, gz);
    entry.gzip = gz.byteLength;
  }
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  if (br.byteLength < bytes.byteLength) {
    writeFileSync(`${path}.br`, br);
    entry.br = br.byteLength;
  }
  return entry;
}
