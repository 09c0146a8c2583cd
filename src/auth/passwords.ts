/**
 * Password hashing with node:crypto scrypt. Stored form:
 * `scrypt$N$r$p$<salt base64>$<hash base64>`, so parameters can be raised
 * later without invalidating existing hashes. N=2^15, r=8, p=1, 16-byte salt,
 * 32-byte key: about 50 ms and 32 MiB per hash on this class of machine.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** The scrypt cost every password is hashed with unless a caller lowers it (the demo seed of a test server). */
export const PASSWORD_COST = N;

/** `cost` is scrypt's N, a power of two; verification reads it from the stored form, so any cost verifies. */
export async function hashPassword(password: string, cost = N): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N: cost, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${cost}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scrypt(password, salt, expected.length, { N: n, r, p, maxmem: 256 * 1024 * 1024 });
  return timingSafeEqual(key, expected);
}
