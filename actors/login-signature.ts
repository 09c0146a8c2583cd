/**
 * CUST-1 verified login. The company's own server, which knows who its user
 * is, signs the user's external id with the workspace's verification secret:
 * HMAC-SHA256 over the exact UTF-8 bytes of the external id, as lowercase or
 * uppercase hex. The widget passes id and signature along in `hello`; only
 * the external id is signed, so nothing else in a login may be trusted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** What the company's server computes (also used by tests and the docs' examples). */
export function signLogin(secret: string, externalId: string): string {
  return createHmac('sha256', secret).update(externalId, 'utf8').digest('hex');
}

/** True only for the exact signature of `externalId`; compared in constant time. */
export function isLoginSignature(secret: string, externalId: string, signature: string): boolean {
  // Buffer.from(hex) silently drops what is not hex: the shape is checked first.
  if (!HEX_SHA256.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(externalId, 'utf8').digest();
  return timingSafeEqual(Buffer.from(signature, 'hex'), expected);
}
