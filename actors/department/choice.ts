/**
 * How a department chooses for one conversation, as pure functions of what
 * it knows: whether a newcomer may be placed at all (`admission`), and who
 * to offer it to (`choose`: the customer's last agent first, then the
 * department's policy over the eligibility screen). The behaviour
 * (behavior.ts) acts on the answer; the routing dry run (preview.ts) only
 * reports it, so the test page (MON-4) explains with the very code that
 * routes.
 */
import type { Candidate, Decision } from '../routing/decision.js';
import type { PolicyState } from '../routing/decide.js';
import { decideIndexed } from '../routing/decide-indexed.js';
import type { CandidateIndex } from '../routing/candidate-index.js';
import { screen } from '../routing/eligibility.js';
import { decision as decisionOf } from '../routing/verdicts.js';
import { defaultLoadIndexWeights } from '../routing/load-index.js';
import { needsAfterWait } from '../routing/widening.js';
import { isOpen } from '../routing/business-hours.js';
import type { WrrState } from '../routing/weighted-round-robin.js';
import type { ConversationNeeds } from '../routing/needs.js';
import type { DepartmentRecord } from './records.js';

/** Why a newcomer is queued without being placed; undefined when it may be placed now. */
export type Admission =
  | { wait: 'closed' }
  | { wait: 'auto_assign_off'; note: string }
  | { wait: 'others_waiting'; note: string };

/** QUEUE-6, ROUTE-1: outside business hours, with automatic assignment off, or behind customers already waiting. */
export function admission(
  cfg: DepartmentRecord | undefined,
  s: { autoAssign: boolean; queued: number; pulling: number },
  now: number,
): Admission | undefined {
  if (cfg?.hours && !isOpen(cfg.hours, now)) return { wait: 'closed' };
  if (!s.autoAssign) return { wait: 'auto_assign_off', note: 'automatic assignment is off' };
  // Newcomers never overtake customers already waiting, nor those being pulled for a free slot.
  if (s.queued + s.pulling > 0) return { wait: 'others_waiting', note: 'others were waiting' };
  return undefined;
}

export interface ChoiceInput {
  needs: ConversationNeeds;
  /** How long it has waited in this department's queue (widening, ROUTE-18). */
  waitedMs: number;
  tried: ReadonlySet<string>;
  stickyAgent?: string;
  stickyUntil?: number;
  preferSticky?: boolean;
}

export interface Choice {
  /** The policy runs, in order: the sticky screen (if any), then the department's policy (if it ran). */
  decisions: Decision[];
  /** The agent to offer it to; undefined: it waits. */
  chosen: Candidate | undefined;
  /** ROUTE-9: it waits for its last agent until then. */
  stickyUntil?: number;
  /** It waits for its last agent rather than for anyone (`sticky_wait`). */
  waitsForSticky: boolean;
  /** Weighted round robin's running scores after this choice, when the policy ran. */
  wrr?: WrrState;
}

/**
 * `members` in online order (round robin's order), `byId` the same
 * candidates by agent id; `index` follows them when given (the department's
 * own view: the policy then examines only the members it needs), and the
 * policy screens every member without it. Nothing passed in is changed but
 * the index, which only catches up.
 */
export function choose(
  cfg: DepartmentRecord | undefined,
  members: readonly Candidate[],
  byId: ReadonlyMap<string, Candidate>,
  input: ChoiceInput,
  state: PolicyState,
  now: number,
  index?: CandidateIndex,
): Choice {
  const needs = needsAfterWait(input.needs, input.waitedMs, cfg?.widening);
  const options = { tried: input.tried, ...(cfg?.fairnessCap ? { fairnessCap: cfg.fairnessCap.max } : {}) };
  const decisions: Decision[] = [];
  let stickyUntil = input.stickyUntil;
  // ROUTE-9: the customer's last agent first, when eligible with a free slot.
  const sticky =
    (cfg?.sticky || input.preferSticky) && input.stickyAgent !== undefined ? byId.get(input.stickyAgent) : undefined;
  if (sticky && !input.tried.has(sticky.agentId)) {
    const screened = screen([sticky], needs, options);
    const chosen = screened.eligible[0];
    decisions.push(decisionOf('sticky', [sticky], screened, chosen));
    if (chosen)
      return { decisions, chosen, waitsForSticky: false, ...(stickyUntil !== undefined ? { stickyUntil } : {}) };
    // Not free now: wait for them a while, unless they are gone.
    const waitMs = cfg?.sticky ? (cfg.stickyWaitSec ?? 0) * 1000 : 0;
    stickyUntil ??= now + waitMs;
    if (sticky.status !== 'offline' && now < stickyUntil)
      return { decisions, chosen: undefined, waitsForSticky: true, stickyUntil };
  }
  const { decision, wrr } = decideIndexed(cfg?.policy ?? 'round_robin', members, index, needs, options, state, {
    ...defaultLoadIndexWeights,
    ...cfg?.loadIndexWeights,
  });
  decisions.push(decision);
  const chosen = decision.agentId === undefined ? undefined : byId.get(decision.agentId);
  return { decisions, chosen, waitsForSticky: false, wrr, ...(stickyUntil !== undefined ? { stickyUntil } : {}) };
}
