/**
 * The department's policy run, on its candidate index when that pays: the
 * same winner and the same record as `decide` (decide.ts) over the whole
 * department, but examining only the members the policy needs
 * (candidate-index.ts).
 *
 * The linear `decide` still runs
 * - for departments of at most MAX_VERDICTS members: their record lists
 *   every member's verdict, so every member is screened anyway;
 * - for weighted round robin (ROUTE-4): each pick adds every eligible
 *   agent's weight to its running score, so it touches them all by
 *   definition;
 * - without an index (the routing dry run, MON-4, which explains every
 *   candidate and is rare).
 */
import { loadRatio, type Candidate, type Needs, type PolicyName } from './decision.js';
import { decide, type PolicyState } from './decide.js';
import { reasonOf, type ScreenOptions } from './eligibility.js';
import { loadIndex, type LoadIndexWeights } from './load-index.js';
import { MAX_VERDICTS, sampledDecision } from './verdicts.js';
import type { CandidateIndex } from './candidate-index.js';
import type { Decision } from './decision.js';
import type { WrrState } from './weighted-round-robin.js';

/** `members` in online order, the array the index follows (a new one whenever someone's place changes). */
export function decideIndexed(
  policy: PolicyName,
  members: readonly Candidate[],
  index: CandidateIndex | undefined,
  needs: Needs,
  options: ScreenOptions,
  state: PolicyState,
  weights: LoadIndexWeights,
): { decision: Decision; wrr: WrrState } {
  if (!index || policy === 'weighted_round_robin' || members.length <= MAX_VERDICTS)
    return decide(policy, members, needs, options, state, weights);
  index.sync(members, options.fairnessCap);
  const vipTop = index.vipTop(needs, options.tried);
  const reason = (c: Candidate) => reasonOf(c, needs, options, vipTop);
  const accepts = (c: Candidate): boolean => reason(c) === undefined;
  let chosen: Candidate | undefined;
  let score: ((c: Candidate) => number) | undefined;
  switch (policy) {
    case 'round_robin':
      chosen = index.roundRobin(state.lastAssigned, accepts);
      break;
    case 'least_load':
      chosen = index.leastLoad(accepts);
      score = loadRatio;
      break;
    case 'smart':
      chosen = index.smart(weights, accepts);
      score = (c) => loadIndex(c, weights);
      break;
  }
  const counts = index.counts(needs, options.tried, vipTop);
  return { decision: sampledDecision(policy, members, chosen, reason, counts, score), wrr: state.wrr };
}
