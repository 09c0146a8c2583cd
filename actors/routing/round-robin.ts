/**
 * ROUTE-2 round robin: agents take new conversations in turn, in the order
 * they came online; whoever is not online, is full, or has already been tried
 * for this conversation is skipped.
 */
import { hasFreeSlot, type Candidate, type CandidateVerdict, type Decision } from './decision.js';

export function roundRobin(candidates: readonly Candidate[], lastAssigned: string | undefined, tried: ReadonlySet<string>): Decision {
  const ordered = [...candidates].sort((a, b) => a.onlineOrder - b.onlineOrder);
  // Start right after the agent who got the previous conversation.
  const lastIndex = lastAssigned === undefined ? -1 : ordered.findIndex((c) => c.agentId === lastAssigned);
  const verdicts: CandidateVerdict[] = [];
  let chosen: string | undefined;
  for (let i = 1; i <= ordered.length; i++) {
    const c = ordered[(lastIndex + i + ordered.length) % ordered.length]!;
    const verdict: CandidateVerdict = { agentId: c.agentId, active: c.active, max: c.max };
    if (chosen === undefined) {
      if (c.status !== 'online') verdict.skipped = 'not_online';
      else if (tried.has(c.agentId)) verdict.skipped = 'already_tried';
      else if (!hasFreeSlot(c)) verdict.skipped = 'full';
      else chosen = c.agentId;
    }
    verdicts.push(verdict);
  }
  return { policy: 'round_robin', agentId: chosen, candidates: verdicts };
}
