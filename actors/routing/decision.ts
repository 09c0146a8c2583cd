/**
 * What every routing policy works on and returns. A policy is a pure
 * function: given the department's live view of its agents (pushed to it by
 * the agent actors) and what the conversation needs, it returns the chosen
 * agent (or none) and, for every candidate, the figures it looked at and why
 * it was passed over, so the decision can be stored with the conversation and
 * read back (ROUTE-16).
 */
import type { AgentStatus } from '../../protocol/frames.js';
import type { PolicyName, SkipReason, Tier } from '../../protocol/vocabulary.js';

/** ROUTE-5: the tiers, from the protocol's one list. */
export type { Tier };

/** Live figures of an agent (ROUTE-10); absent until measured. */
export interface AgentFigures {
  avgFirstResponseMs?: number;
  avgResponseMs?: number;
  avgHandleMs?: number;
  /** Mean satisfaction score, 1–5. */
  satisfaction?: number;
}

export interface Candidate {
  agentId: string;
  name: string;
  status: AgentStatus;
  active: number;
  /** Offers sent to this agent that have not been answered yet. */
  pending: number;
  max: number;
  /** When the agent last came online (ms). */
  onlineSince: number;
  /** Increases each time any agent comes online; orders round robin without ties. */
  onlineOrder: number;
  /** In-group priority (ROUTE-4): a higher weight gets proportionally more conversations. */
  weight: number;
  tier: Tier;
  skills: readonly string[];
  /** When this department last assigned the agent a conversation (ms), 0 if never. */
  lastAssignedAt: number;
  /** Assignments in the current fairness window (ROUTE-19). */
  assignedInWindow: number;
  figures: AgentFigures;
}

/** What a conversation asks of its agent. */
export interface Needs {
  /** Required skill tags; an agent must hold all of them (ROUTE-6). */
  skills: readonly string[];
  /** 1 = first line; 2 = needs a specialist (keyword rule or escalation) (ROUTE-5). */
  tier: 1 | 2;
  /** High-value customer: may reach tier 3 when every lower tier is full (ROUTE-5). */
  vip: boolean;
  /** Widening step reached: the next tier up is allowed too (ROUTE-18). */
  allowNextTier: boolean;
}

export const defaultNeeds: Needs = { skills: [], tier: 1, vip: false, allowNextTier: false };

/** ROUTE-16: from the protocol's one list. */
export type { SkipReason };

export interface CandidateVerdict {
  agentId: string;
  active: number;
  max: number;
  /** The policy's figure for this agent (load ratio, load index, current weight…), where it has one. */
  score?: number;
  /** Why the agent was passed over; absent for the chosen one and eligible ones not chosen. */
  skipped?: SkipReason;
  /** The agent's live figures (ROUTE-10), when measured. */
  figures?: AgentFigures;
}

export interface Decision {
  policy: DecisionPolicy;
  agentId: string | undefined;
  candidates: CandidateVerdict[];
  /** Candidates beyond the listed ones, counted by skip reason ('eligible' for those not skipped). */
  omitted?: Record<string, number>;
}

/** ROUTE-1…4: the policies, from the protocol's one list. */
export type { PolicyName };
/** ROUTE-2: the policy of a department that sets none. */
export const DEFAULT_POLICY: PolicyName = 'round_robin';
/** What made a decision: a department's policy, or the returning customer's last agent (ROUTE-9). */
export type DecisionPolicy = PolicyName | 'sticky';

export function hasFreeSlot(c: Candidate): boolean {
  return c.status === 'online' && c.active + c.pending < c.max;
}

/** Load as a ratio of capacity, offers in flight included. */
export function loadRatio(c: Candidate): number {
  return c.max > 0 ? (c.active + c.pending) / c.max : 1;
}
