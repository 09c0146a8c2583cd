/**
 * What every routing policy returns: the chosen agent (or none) and why, so
 * that the decision can be stored with the conversation and read back
 * (ROUTE-16).
 */
export interface Candidate {
  agentId: string;
  name: string;
  status: 'online' | 'busy' | 'away' | 'offline';
  active: number;
  /** Offers sent to this agent that have not been answered yet. */
  pending: number;
  max: number;
  /** When the agent last came online (ms). */
  onlineSince: number;
  /** Increases each time any agent comes online; orders round robin without ties. */
  onlineOrder: number;
}

export interface CandidateVerdict {
  agentId: string;
  active: number;
  max: number;
  /** Why the agent was passed over; absent for the chosen one and those never reached. */
  skipped?: 'not_online' | 'full' | 'already_tried';
}

export interface Decision {
  policy: string;
  agentId: string | undefined;
  candidates: CandidateVerdict[];
}

export function hasFreeSlot(c: Candidate): boolean {
  return c.status === 'online' && c.active + c.pending < c.max;
}
