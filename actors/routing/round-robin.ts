/**
 * ROUTE-2 round robin: agents take new conversations in turn, in the order
 * they came online; whoever the screen passed over is skipped.
 */
import type { Candidate, Decision } from './decision.js';
import type { Screened } from './eligibility.js';
import { decision } from './verdicts.js';

export function roundRobin(
  candidates: readonly Candidate[],
  screened: Screened,
  lastAssigned: string | undefined,
): Decision {
  // Departments pass their members in online order already; sorting is then skipped (it costs at 1,000 agents).
  let sorted = true;
  for (let i = 1; i < candidates.length && sorted; i++)
    sorted = candidates[i - 1]!.onlineOrder <= candidates[i]!.onlineOrder;
  const ordered = sorted ? candidates : [...candidates].sort((a, b) => a.onlineOrder - b.onlineOrder);
  // Start right after the agent who got the previous conversation; if that agent left,
  // after where they stood in the online order.
  const start = lastAssigned === undefined ? 0 : ordered.findIndex((c) => c.agentId === lastAssigned) + 1;
  let chosen: Candidate | undefined;
  for (let i = 0; i < ordered.length && !chosen; i++) {
    const c = ordered[(start + i) % ordered.length]!;
    // The screen files every candidate as eligible or skipped: not skipped is eligible, without a set built per decision.
    if (!screened.skipped.has(c.agentId)) chosen = c;
  }
  return decision('round_robin', ordered, screened, chosen);
}
