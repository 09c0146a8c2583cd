/**
 * ROLE-4: sign-in rate limiting. Failed password sign-ins are counted per
 * account (the email as typed, case-folded, whether or not it exists, so
 * the answer does not tell which accounts exist) and per remote address,
 * in a sliding window. Past either limit, sign-ins from there or to that
 * account are refused with `rate_limited` until the oldest failure leaves
 * the window, even with the right password: guessing must stop, not only
 * fail. A success clears the account's count.
 *
 * Counts live in memory: a restart forgets them (documented). Memory is
 * bounded: at most `maxKeys` accounts and addresses are tracked; past that
 * the ones tracked longest are forgotten first.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { Clock } from '../../actors/clock.js';

export interface SignInLimits {
  /** Failed sign-ins to one account within the window. */
  perAccount: number;
  /** Failed sign-ins from one remote address within the window. */
  perAddress: number;
  windowMs: number;
  maxKeys: number;
}

export const DEFAULT_SIGNIN_LIMITS: SignInLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000, maxKeys: 100_000 };

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: SignInLimits = DEFAULT_SIGNIN_LIMITS,
  ) {}

  /** Refuses with `rate_limited` (and when to retry, in seconds, in the message) while either limit is reached. */
  check(email: string, address: string): void {
    const now = this.clock.now();
    const waits = [this.wait(accountKey(email), this.limits.perAccount, now), this.wait(addressKey(address), this.limits.perAddress, now)];
    const wait = Math.max(...waits);
    if (wait > 0) throw new RateLimited(Math.ceil(wait / 1000));
  }

  failed(email: string, address: string): void {
    const now = this.clock.now();
    for (const key of [accountKey(email), addressKey(address)]) {
      const list = this.recent(key, now);
      list.push(now);
      // Re-inserted so that Map order is "least recently failed first" for eviction.
      this.failures.delete(key);
      this.failures.set(key, list);
    }
    while (this.failures.size > this.limits.maxKeys) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(email: string): void {
    this.failures.delete(accountKey(email));
  }

  /** ms until the oldest failure in the window leaves it, when `limit` failures are in it; else 0. */
  private wait(key: string, limit: number, now: number): number {
    const list = this.recent(key, now);
    if (list.length < limit) return 0;
    return list[list.length - limit]! + this.limits.windowMs - now;
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((at) => at > now - this.limits.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }
}

/** `rate_limited`, carrying the seconds to wait (HTTP answers put it in Retry-After). */
export class RateLimited extends ProtocolError {
  constructor(readonly retryAfterSec: number) {
    super('rate_limited', `too many failed sign-ins; retry in ${retryAfterSec} s`);
  }
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
