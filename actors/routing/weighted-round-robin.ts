/**
 * ROUTE-4 priority-weighted round robin, deterministic and smooth (the
 * algorithm nginx uses): each pick adds every eligible agent's weight to its
 * running score, the highest score wins and gives back the sum of the
 * weights. Over any run of picks each agent's share converges to its weight's
 * share, without the bursts of a naive "w times in a row".
 *
 * The running scores are the department's state, passed in and returned.
 */
import type { Candidate, Decision } from './decision.js';
import type { Screened } from './eligibility.js';
import { decision } from './verdicts.js';

export type WrrState = ReadonlyMap<string, number>;

export function weightedRoundRobin(
  candidates: readonly Candidate[],
  screened: Screened,
  state: WrrState,
): { decision: Decision; state: WrrState } {
  const next = new Map(state);
  let total = 0;
  let chosen: Candidate | undefined;
  for (const c of [...screened.eligible].sort((a, b) => a.onlineOrder - b.onlineOrder)) {
    const weight = Math.max(0, c.weight);
    total += weight;
    const score = (next.get(c.agentId) ?? 0) + weight;
    next.set(c.agentId, score);
    if (!chosen || score > next.get(chosen.agentId)!) chosen = c;
  }
  if (chosen) next.set(chosen.agentId, next.get(chosen.agentId)! - total);
  const result = decision('weighted_round_robin', candidates, screened, chosen, (c) => next.get(c.agentId) ?? 0);
  return { decision: result, state: next };
}
