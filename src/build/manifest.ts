/**
 * The manifest the web build writes to dist/web/manifest.json and the server
 * reads at start: every servable file under its URL path, with the facts the
 * HTTP layer needs (media type, content hash for the ETag, cache class,
 * precompressed variants) and the sizes the budget test checks (WEB-1).
 */
export type CacheClass = 'immutable' | 'revalidate';

export interface ManifestFile {
  /** File name under dist/web/ (never taken from a request). */
  file: string;
  /** Media type, with charset for text. */
  type: string;
  /** Content hash (sha256, base64url, 22 characters): the strong ETag's value. */
  hash: string;
  cache: CacheClass;
  /** True for HTML pages: they get the Content-Security-Policy. */
  html: boolean;
  size: number;
  /** Size of the .gz beside it, absent when gzip does not make it smaller. */
  gzip?: number;
  /** Size of the .br beside it, absent when brotli does not make it smaller. */
  br?: number;
}

export interface WebManifest {
  version: 1;
  /** URL path → file. */
  files: Record<string, ManifestFile>;
  /** WEB-1: per app, the URL paths of the JavaScript a host page loads before the chat opens. */
  initial: Record<string, string[]>;
  /** Per app, the URL paths loaded lazily (when the chat opens). */
  lazy: Record<string, string[]>;
}

export const MANIFEST_FILE = 'manifest.json';
