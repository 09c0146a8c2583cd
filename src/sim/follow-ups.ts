/**
 * What simulated people do after an assignment besides serving and leaving
 * (SIM-1): agents transfer a share of conversations to another department
 * (XFER-1, with XFER-2 tags), and a share of customers answer the survey
 * once staff resolved their conversation (MON-3). Drawn up front per
 * customer, in arrival order, from their own seeded streams, so that two
 * runs with different settings see the same decisions (as customers.ts).
 */
import { Random, sampleMs } from './random.js';
import type { Scenario } from './scenario.js';

export interface FollowUps {
  /** Per transfer rule (index-aligned with `scenario.transfers`): whether it applies, and after how long. */
  transfers?: { applies: boolean; afterMs: number }[];
  /** The survey score (1–5) the customer gives; undefined: they do not answer. */
  rating?: number;
}

/** A score of 1–5 drawn with the given relative weights. */
function score(weights: readonly number[], rng: Random): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (const [i, w] of weights.entries()) {
    if (u < w) return i + 1;
    u -= w;
  }
  // Rounding left u at the total: the last score with a weight.
  return weights.findLastIndex((w) => w > 0) + 1;
}

/** The follow-ups of `count` customers, in arrival order. */
export function drawFollowUps(s: Scenario, count: number): FollowUps[] {
  const seed = s.seed ?? 1;
  const rules = (s.transfers ?? []).map((rule, i) => ({
    rule,
    share: new Random(seed, `transfer-share/${i}`),
    after: new Random(seed, `transfer-after/${i}`),
  }));
  const rated = new Random(seed, 'rating-share');
  const scored = new Random(seed, 'rating-score');
  const out: FollowUps[] = [];
  for (let i = 0; i < count; i++) {
    const f: FollowUps = {};
    if (rules.length)
      f.transfers = rules.map((r) => ({
        applies: r.share.next() < r.rule.share,
        afterMs: sampleMs(r.rule.after, r.after),
      }));
    if (s.ratings) {
      const answers = rated.next() < s.ratings.share;
      const value = score(s.ratings.weights, scored);
      if (answers) f.rating = value;
    }
    out.push(f);
  }
  return out;
}
