/**
 * The department's view of its members and of what it routes: each member's
 * last pushed load with what only the department knows (offers pending,
 * ROUTE-19 assignments in the fairness window), and the conversations it is
 * offering. Pure functions of that state; the behaviour (behavior.ts) calls
 * them.
 */
import type { TimerHandle } from '../clock.js';
import { hasFreeSlot, type Candidate, type Decision } from '../routing/decision.js';
import type { WrrState } from '../routing/weighted-round-robin.js';
import type { CandidateIndex } from '../routing/candidate-index.js';
import type { ConversationNeeds } from '../routing/needs.js';
import type { DepartmentRecord } from './records.js';
import type { AgentLoad, RouteRequest } from './messages.js';

export type FairnessCap = NonNullable<DepartmentRecord['fairnessCap']>;

export interface Routing extends RouteRequest {
  needs: ConversationNeeds;
  exclude: string[];
  tried: Set<string>;
  decisions: (Decision & { answer?: string })[];
  fromQueue: boolean;
}

export interface DepartmentState {
  members: Map<string, Candidate>;
  lastAssigned: string | undefined;
  /** Running scores of weighted round robin. */
  wrr: WrrState;
  /** Conversations with an offer in flight, by conversation id. */
  routing: Map<string, Routing>;
  /**
   * Conversations in the queue or on their way to it, and not pulled. Only
   * this department enqueues and pulls, and the queue handles its messages
   * in order, so this count is exact without asking the queue: a pull of n
   * always finds n entries.
   */
  queued: number;
  /** Pulled from the queue and not yet back here as routes. */
  pulling: number;
  /** Off (ROUTE-1): everything waits in the queue for agents to claim (ROUTE-12). */
  autoAssign: boolean;
  /**
   * The last pull found nothing any free agent may take (every waiting
   * conversation excludes them or needs what they lack): pulling again
   * before capacity or the queue changes would only repeat that.
   */
  stalled: boolean;
  /** Start of the current fairness window (ROUTE-19), ms. */
  windowStart: number;
  /** Members sorted by online order; undefined when it must be rebuilt. */
  ordered: Candidate[] | undefined;
  /**
   * Who has a free slot, by policy order, for decisions that examine only
   * the members they need. Every change to a member's figures goes through
   * the functions below, which keep it up to date.
   */
  index: CandidateIndex;
  /** Fires at the next fairness window while capped agents leave customers waiting (ROUTE-19). */
  windowTimer: TimerHandle | undefined;
}

/** ROUTE-19: counts restart at each window boundary, aligned to the clock so they do not drift. */
export function rollWindow(s: DepartmentState, cap: FairnessCap | undefined, now: number): void {
  if (!cap) return;
  const windowMs = cap.windowSec * 1000;
  const start = Math.floor(now / windowMs) * windowMs;
  if (start === s.windowStart) return;
  s.windowStart = start;
  for (const m of s.members.values()) m.assignedInWindow = 0;
  s.index.invalidate();
}

export const mayTakeMore = (c: Candidate, cap: FairnessCap | undefined): boolean =>
  hasFreeSlot(c) && (cap === undefined || c.assignedInWindow < cap.max);

/** Members in online order (round robin's order), re-sorted only when someone's place in it changes. */
export function ordered(s: DepartmentState): Candidate[] {
  if (!s.ordered) s.ordered = [...s.members.values()].sort((a, b) => a.onlineOrder - b.onlineOrder);
  return s.ordered;
}

export function freeSlots(s: DepartmentState, cap: FairnessCap | undefined): number {
  let n = 0;
  for (const c of s.members.values()) if (mayTakeMore(c, cap)) n += c.max - c.active - c.pending;
  return n;
}

export function anyoneOnline(s: DepartmentState): boolean {
  for (const c of s.members.values()) if (c.status !== 'offline') return true;
  return false;
}

/** A member's pushed load replaces what the department knew of them, keeping what only the department counts. */
export function updateMember(s: DepartmentState, l: AgentLoad): void {
  const prev = s.members.get(l.agentId);
  s.stalled = false;
  if (prev && prev.onlineOrder === l.onlineOrder) {
    // Updated in place: the sorted view holds the same objects and stays valid.
    Object.assign(prev, l);
    s.index.update(prev);
  } else {
    s.members.set(l.agentId, {
      ...l,
      pending: prev?.pending ?? 0,
      lastAssignedAt: prev?.lastAssignedAt ?? 0,
      assignedInWindow: prev?.assignedInWindow ?? 0,
    });
    s.ordered = undefined;
  }
}

/** An offer went out to `c`: it counts as load until answered (ROUTE-11). */
export function offered(s: DepartmentState, c: Candidate): void {
  c.pending++;
  s.index.update(c);
}

/** `c` answered an offer; `acceptedAt` when it took the conversation (ROUTE-3 tie-break, ROUTE-19 count). */
export function answered(s: DepartmentState, c: Candidate, acceptedAt?: number): void {
  c.pending = Math.max(0, c.pending - 1);
  if (acceptedAt !== undefined) {
    c.lastAssignedAt = acceptedAt;
    c.assignedInWindow++;
  }
  s.index.update(c);
}
