/**
 * CONV-1: which files may be uploaded. A type must be on the allowlist and
 * the bytes must be of that type: binary formats by their magic numbers,
 * text as valid UTF-8 without NUL bytes. The declared type alone is never
 * trusted, since whoever downloads the file gets it with that type.
 */

/** Allowed media types; SVG and HTML are left out on purpose (they can carry script). */
export const ALLOWED_MEDIA_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
] as const;
export type AllowedMediaType = (typeof ALLOWED_MEDIA_TYPES)[number];

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Byte patterns at the start of the file; `null` matches any byte. */
const MAGIC: Record<Exclude<AllowedMediaType, 'text/plain'>, (number | null)[][]> = {
  'image/png': [[0x89, ...ascii('PNG'), 0x0d, 0x0a, 0x1a, 0x0a]],
  'image/jpeg': [[0xff, 0xd8, 0xff]],
  'image/gif': [ascii('GIF87a'), ascii('GIF89a')],
  // RIFF, 4 bytes of length, WEBP.
  'image/webp': [[...ascii('RIFF'), null, null, null, null, ...ascii('WEBP')]],
  'application/pdf': [ascii('%PDF-')],
};

/**
 * The media type of a Content-Type header, lowercased and without
 * parameters (`text/plain; charset=utf-8` → `text/plain`), if it is allowed.
 */
export function allowedMediaType(header: string): AllowedMediaType | undefined {
  const type = header.split(';', 1)[0]!.trim().toLowerCase();
  return (ALLOWED_MEDIA_TYPES as readonly string[]).includes(type) ? (type as AllowedMediaType) : undefined;
}

const startsWith = (bytes: Uint8Array, pattern: readonly (number | null)[]): boolean =>
  bytes.length >= pattern.length && pattern.every((b, i) => b === null || bytes[i] === b);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether the bytes are of the given type. */
export function bytesMatchType(type: AllowedMediaType, bytes: Uint8Array): boolean {
  if (type !== 'text/plain') return MAGIC[type].some((pattern) => startsWith(bytes, pattern));
  if (bytes.includes(0)) return false;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
