/**
 * Visitor ids are bearer credentials (the widget keeps one like a cookie and
 * whoever presents it reads that visitor's conversations), so the server
 * issues them and accepts only its own: `v-<128 random bits>.<128-bit
 * HMAC-SHA256 tag>`, both base64url. A guessed or made-up id fails the tag
 * check. The key lives in the store, so ids stay valid across restarts.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const tag = (key: Buffer, random: string): Buffer => createHmac('sha256', key).update(random).digest().subarray(0, 16);

export function issueVisitorId(key: Buffer): string {
  const random = randomBytes(16).toString('base64url');
  return `v-${random}.${tag(key, random).toString('base64url')}`;
}

/** Whether `id` was issued with `key`; the workspace prefix of a scoped id (protocol/workspace-scope.ts) is checked by the caller. */
export function isVisitorId(key: Buffer, id: string): boolean {
  const m = /^(?:[a-z0-9-]+:)?v-([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(id);
  if (!m) return false;
  // Compared as text: base64url's last character carries padding bits, so decoding would accept
  // several spellings of one tag (and thus several ids for one visitor).
  const given = Buffer.from(m[2]!);
  const expected = Buffer.from(tag(key, m[1]!).toString('base64url'));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function newVisitorIdKey(): Buffer {
  return randomBytes(32);
}
