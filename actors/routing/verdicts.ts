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
  if (candidates.length <= MAX_VERDICTS)
    return { policy, agentId: chosen?.agentId, candidates: candidates.map(verdict) };
  const kept: CandidateVerdict[] = chosen ? [verdict(chosen)] : [];
  // The omitted are counted from the skip map (usually small) less the kept, not by a lookup per candidate.
  const counts = new Map<string, number>([['eligible', candidates.length - screened.skipped.size]]);
  for (const reason of screened.skipped.values()) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const uncount = (c: Candidate): void => {
    const reason = screened.skipped.get(c.agentId) ?? 'eligible';
    counts.set(reason, counts.get(reason)! - 1);
  };
  if (chosen) uncount(chosen);
  for (let i = 0; i < candidates.length && kept.length < MAX_VERDICTS; i++) {
    const c = candidates[i]!;
    if (c === chosen) continue;
    kept.push(verdict(c));
    uncount(c);
  }
  const omitted: Record<string, number> = {};
  for (const [reason, n] of counts) if (n > 0) omitted[reason] = n;
  return { policy, agentId: chosen?.agentId, candidates: kept, omitted };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
