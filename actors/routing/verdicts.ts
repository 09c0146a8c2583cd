/**
 * Builds a decision's per-candidate record from the screen and a policy's
 * scores. A department may have a thousand agents and a decision is stored
 * with every conversation (ROUTE-16), so past MAX_VERDICTS candidates the
 * record keeps the chosen agent and the first others in the policy's order,
 * and counts the rest by reason instead of listing them.
 */
import type { Candidate, CandidateVerdict, Decision, DecisionPolicy } from './decision.js';
import type { Screened } from './eligibility.js';

export const MAX_VERDICTS = 50;

export function decision(
  policy: DecisionPolicy,
  candidates: readonly Candidate[],
  screened: Screened,
  chosen: Candidate | undefined,
  score?: (c: Candidate) => number,
): Decision {
  const verdict = (c: Candidate): CandidateVerdict => {
    const v: CandidateVerdict = { agentId: c.agentId, active: c.active, max: c.max };
    const skipped = screened.skipped.get(c.agentId);
    if (skipped) v.skipped = skipped;
    else if (score) v.score = round(score(c));
    if (Object.keys(c.figures).length > 0) v.figures = c.figures;
    return v;
  };
  if (candidates.length <= MAX_VERDICTS) return { policy, agentId: chosen?.agentId, candidates: candidates.map(verdict) };
  const kept: CandidateVerdict[] = chosen ? [verdict(chosen)] : [];
  const omitted: Record<string, number> = {};
  for (const c of candidates) {
    if (c === chosen) continue;
    if (kept.length < MAX_VERDICTS) kept.push(verdict(c));
    else {
      const reason = screened.skipped.get(c.agentId) ?? 'eligible';
      omitted[reason] = (omitted[reason] ?? 0) + 1;
    }
  }
  return { policy, agentId: chosen?.agentId, candidates: kept, omitted };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
