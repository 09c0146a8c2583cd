/**
 * Builds a decision's per-candidate record from the screen and a policy's
 * scores. A department may have a thousand agents and a decision is stored
 * with every conversation (ROUTE-16), so past MAX_VERDICTS candidates the
 * record keeps the chosen agent and the first others in the policy's order,
 * and counts the rest by reason instead of listing them.
 */
import type { Candidate, CandidateVerdict, Decision, DecisionPolicy, SkipReason } from './decision.js';
import type { Screened } from './eligibility.js';

export const MAX_VERDICTS = 50;

export function decision(
  policy: DecisionPolicy,
  candidates: readonly Candidate[],
  screened: Screened,
  chosen: Candidate | undefined,
  score?: (c: Candidate) => number,
): Decision {
  const reason = (c: Candidate): SkipReason | undefined => screened.skipped.get(c.agentId);
  if (candidates.length <= MAX_VERDICTS)
    return { policy, agentId: chosen?.agentId, candidates: candidates.map((c) => verdict(c, reason(c), score)) };
  // The omitted are counted from the skip map (usually small), not by a lookup per candidate.
  const counts = new Map<string, number>([['eligible', candidates.length - screened.skipped.size]]);
  for (const r of screened.skipped.values()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return sampledDecision(policy, candidates, chosen, reason, counts, score);
}

/**
 * A decision over more than MAX_VERDICTS candidates: the chosen agent and
 * the first others in the policy's order, listed with `reason` (the screen's
 * verdict on each), and the rest counted from `counts`, every candidate's
 * verdict counted once (by the screen's skip map, or by the candidate
 * index's groups). Takes `counts` over.
 */
export function sampledDecision(
  policy: DecisionPolicy,
  candidates: readonly Candidate[],
  chosen: Candidate | undefined,
  reason: (c: Candidate) => SkipReason | undefined,
  counts: Map<string, number>,
  score?: (c: Candidate) => number,
): Decision {
  const kept: CandidateVerdict[] = [];
  const keep = (c: Candidate): void => {
    const r = reason(c);
    kept.push(verdict(c, r, score));
    const key = r ?? 'eligible';
    counts.set(key, counts.get(key)! - 1);
  };
  if (chosen) keep(chosen);
  for (let i = 0; i < candidates.length && kept.length < MAX_VERDICTS; i++)
    if (candidates[i] !== chosen) keep(candidates[i]!);
  const omitted: Record<string, number> = {};
  for (const [r, n] of counts) if (n > 0) omitted[r] = n;
  return { policy, agentId: chosen?.agentId, candidates: kept, omitted };
}

function verdict(c: Candidate, skipped: SkipReason | undefined, score?: (c: Candidate) => number): CandidateVerdict {
  const v: CandidateVerdict = { agentId: c.agentId, active: c.active, max: c.max };
  if (skipped) v.skipped = skipped;
  else if (score) v.score = round(score(c));
  if (Object.keys(c.figures).length > 0) v.figures = c.figures;
  return v;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
