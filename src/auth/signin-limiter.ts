/**
 * ROLE-4: sign-in rate limiting. Password attempts are counted in a sliding
 * window per account from one address (strict: guessing from one place
 * stops soon), per account from anywhere (looser, so that someone else
 * cannot lock a colleague out with five wrong passwords), and per remote
 * address (across accounts). The email counts as typed, case-folded,
 * whether or not it exists, so the answer does not tell which accounts
 * exist.
 *
 * An attempt is counted when it starts, before the password is checked:
 * parallel guesses cannot all pass the check while the first ones are still
 * hashing, and the scrypt work an unauthenticated caller can queue is
 * bounded. A success takes its own attempt back and clears the account's
 * counts. Past a limit, sign-ins there are refused with `rate_limited`
 * until the oldest attempt leaves the window, even with the right password.
 *
 * Counts live in memory: a restart forgets them (documented). Memory is
 * bounded: at most `maxKeys` keys are tracked; past that the ones that
 * failed longest ago are forgotten first.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { Clock } from '../../actors/clock.js';

export interface SignInLimits {
  /** Failed sign-ins to one account from one address within the window. */
  perAccountAndAddress: number;
  /** Failed sign-ins to one account from all addresses. */
  perAccount: number;
  /** Failed sign-ins from one remote address, to any accounts. */
  perAddress: number;
  windowMs: number;
  maxKeys: number;
}

export const DEFAULT_SIGNIN_LIMITS: SignInLimits = {
  perAccountAndAddress: 5,
  perAccount: 50,
  perAddress: 20,
  windowMs: 15 * 60_000,
  maxKeys: 100_000,
};

/** One counted sign-in attempt; `succeeded` takes it back. */
export interface SignInAttempt {
  succeeded(): void;
}

export class SignInLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: SignInLimits = DEFAULT_SIGNIN_LIMITS,
  ) {}

  /** Counts an attempt, or refuses with `rate_limited` (with when to retry) while a limit is reached. */
  attempt(email: string, address: string): SignInAttempt {
    const now = this.clock.now();
    const keys = this.keysOf(email, address);
    const wait = Math.max(...keys.map(([key, limit]) => this.wait(key, limit, now)));
    if (wait > 0) throw new RateLimited(Math.ceil(wait / 1000));
    for (const [key] of keys) {
      const list = this.recent(key, now);
      list.push(now);
      // Re-inserted so that Map order is "least recently attempted first" for eviction.
      this.attempts.delete(key);
      this.attempts.set(key, list);
    }
    while (this.attempts.size > this.limits.maxKeys) this.attempts.delete(this.attempts.keys().next().value!);
    return {
      succeeded: () => {
        for (const [key] of keys) {
          const list = this.attempts.get(key);
          const i = list?.lastIndexOf(now) ?? -1;
          if (list && i >= 0) list.splice(i, 1);
        }
        this.attempts.delete(accountKey(email));
        this.attempts.delete(pairKey(email, address));
      },
    };
  }

  private keysOf(email: string, address: string): [string, number][] {
    return [
      [pairKey(email, address), this.limits.perAccountAndAddress],
      [accountKey(email), this.limits.perAccount],
      [addressKey(address), this.limits.perAddress],
    ];
  }

  /** ms until the oldest attempt in the window leaves it, when `limit` attempts are in it; else 0. */
  private wait(key: string, limit: number, now: number): number {
    const list = this.recent(key, now);
    if (list.length < limit) return 0;
    return list[list.length - limit]! + this.limits.windowMs - now;
  }

  private recent(key: string, now: number): number[] {
    const list = (this.attempts.get(key) ?? []).filter((at) => at > now - this.limits.windowMs);
    if (list.length) this.attempts.set(key, list);
    else this.attempts.delete(key);
    return list;
  }
}

/** `rate_limited`, carrying the seconds to wait (HTTP answers put it in Retry-After). */
export class RateLimited extends ProtocolError {
  constructor(readonly retryAfterSec: number) {
    super('rate_limited', `too many failed sign-ins; retry in ${retryAfterSec} s`);
  }
}

const fold = (email: string) => email.trim().toLowerCase();
const accountKey = (email: string) => `account:${fold(email)}`;
const addressKey = (address: string) => `address:${address}`;
const pairKey = (email: string, address: string) => `pair:${fold(email)}|${address}`;
