/**
 * Runs a department's configured policy over the eligibility screen. The
 * department keeps the policies' state (last assigned agent for round
 * robin, running scores for weighted round robin) and passes it in.
 */
import type { Candidate, Decision, Needs, PolicyName } from './decision.js';
import { screen, type ScreenOptions } from './eligibility.js';
import { roundRobin } from './round-robin.js';
import { leastLoad } from './least-load.js';
import { weightedRoundRobin, type WrrState } from './weighted-round-robin.js';
import { smart, defaultLoadIndexWeights, type LoadIndexWeights } from './load-index.js';

export interface PolicyState {
  lastAssigned: string | undefined;
  wrr: WrrState;
}

export function decide(
  policy: PolicyName,
  candidates: readonly Candidate[],
  needs: Needs,
  options: ScreenOptions,
  state: PolicyState,
  weights: LoadIndexWeights = defaultLoadIndexWeights,
): { decision: Decision; wrr: WrrState } {
  const screened = screen(candidates, needs, options);
  switch (policy) {
    case 'round_robin':
      return { decision: roundRobin(candidates, screened, state.lastAssigned), wrr: state.wrr };
    case 'least_load':
      return { decision: leastLoad(candidates, screened), wrr: state.wrr };
    case 'weighted_round_robin': {
      const r = weightedRoundRobin(candidates, screened, state.wrr);
      return { decision: r.decision, wrr: r.state };
    }
    case 'smart':
      return { decision: smart(candidates, screened, weights), wrr: state.wrr };
  }
}
