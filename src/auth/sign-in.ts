/**
 * ROLE-4: password sign-in, shared by the HTTP sign-in route and the staff
 * WebSocket `signin` frame. Rate limited per account and per address
 * (src/auth/signin-limiter.ts); an unknown email costs the same scrypt run
 * as a wrong password, so neither the answer nor its timing tells which
 * accounts exist.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { Directory } from '../../actors/directory.js';
import type { StaffRecord } from '../../actors/agent/records.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { SignInLimiter } from './signin-limiter.js';

let decoy: Promise<string> | undefined;
/** Made once, on first use or at start (`warmDecoy`), so the first unknown-email sign-in costs one scrypt run like any other. */
const decoyHash = (): Promise<string> => (decoy ??= hashPassword('decoy password, never matches a real one'));
export const warmDecoy = (): void => void decoyHash();

export async function checkPassword(
  dir: Directory,
  limiter: SignInLimiter,
  email: string,
  password: string,
  address: string,
): Promise<StaffRecord> {
  const attempt = limiter.attempt(email, address);
  const staff = await dir.deps.runtime
    .ask(dir.workspace, { type: 'findStaff', by: { email } })
    .catch((err: unknown) => {
      if (err instanceof ProtocolError && err.code === 'unauthorized') return undefined;
      throw err;
    });
  const ok = await verifyPassword(password, staff?.passwordHash || (await decoyHash()));
  if (!staff || !ok) throw new ProtocolError('unauthorized', 'unknown or wrong credentials');
  attempt.succeeded();
  return staff;
}

/** New passwords (src/server/api/schemas/staff.ts Password): long enough to resist guessing within the rate limits, short enough to bound scrypt's input. */
export const PASSWORD_RULE = { minLength: 10, maxLength: 200 } as const;
