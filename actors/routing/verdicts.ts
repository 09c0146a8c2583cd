/** Builds a decision's per-candidate record from the screen and a policy's scores. */
import type { Candidate, CandidateVerdict, Decision, PolicyName } from './decision.js';
import type { Screened } from './eligibility.js';

export function decision(
  policy: PolicyName,
  candidates: readonly Candidate[],
  screened: Screened,
  chosen: Candidate | undefined,
  score?: (c: Candidate) => number,
): Decision {
  const verdicts = candidates.map((c): CandidateVerdict => {
    const v: CandidateVerdict = { agentId: c.agentId, active: c.active, max: c.max };
    const skipped = screened.skipped.get(c.agentId);
    if (skipped) v.skipped = skipped;
    else if (score) v.score = round(score(c));
    return v;
  });
  return { policy, agentId: chosen?.agentId, candidates: verdicts };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
