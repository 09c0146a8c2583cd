/**
 * ROUTE-3 least load: the eligible agent with the lowest (active + offers in
 * flight) / max wins; a tie goes to whoever has waited longest since their
 * last assignment, then to whoever came online first.
 */
import { loadRatio, type Candidate, type Decision } from './decision.js';
import type { Screened } from './eligibility.js';
import { decision } from './verdicts.js';

export function leastLoad(candidates: readonly Candidate[], screened: Screened): Decision {
  let chosen: Candidate | undefined;
  for (const c of screened.eligible) {
    if (!chosen || better(c, chosen)) chosen = c;
  }
  return decision('least_load', candidates, screened, chosen, loadRatio);
}

function better(a: Candidate, b: Candidate): boolean {
  const ra = loadRatio(a);
  const rb = loadRatio(b);
  if (ra !== rb) return ra < rb;
  if (a.lastAssignedAt !== b.lastAssignedAt) return a.lastAssignedAt < b.lastAssignedAt;
  return a.onlineOrder < b.onlineOrder;
}
