/**
 * The screen every policy shares: which candidates may take this
 * conversation, and why each of the others may not. Checks run in a fixed
 * order so that a candidate's reason is the first that applies.
 */
import { hasFreeSlot, type Candidate, type Needs, type SkipReason } from './decision.js';

export interface ScreenOptions {
  /** Agents already offered this conversation (never offered twice, ROUTE-17). */
  tried: ReadonlySet<string>;
  /** Maximum assignments per agent per fairness window, if capped (ROUTE-19). */
  fairnessCap?: number;
}

export interface Screened {
  eligible: Candidate[];
  skipped: Map<string, SkipReason>;
}

export function screen(candidates: readonly Candidate[], needs: Needs, options: ScreenOptions): Screened {
  // Tiers (ROUTE-5): the conversation's own tier, the next one once widened, and
  // tier 3 for a VIP only when every lower-tier agent otherwise eligible is full.
  // One pass over the members (this runs for every decision, over the whole department); a VIP's needs a pre-pass.
  const vipTop =
    needs.vip &&
    !candidates.some((c) => lowerTierFor(c.tier, needs) && hasFreeSlot(c) && !baseReason(c, needs, options));
  const skipped = new Map<string, SkipReason>();
  const eligible: Candidate[] = [];
  for (const c of candidates) {
    const reason = reasonOf(c, needs, options, vipTop);
    if (reason) skipped.set(c.agentId, reason);
    else eligible.push(c);
  }
  return { eligible, skipped };
}

/** Why the screen passes `c` over (the first reason that applies), or undefined when `c` may take it. */
export function reasonOf(c: Candidate, needs: Needs, options: ScreenOptions, vipTop: boolean): SkipReason | undefined {
  return (
    baseReason(c, needs, options) ??
    (!tierAllowed(c.tier, needs, vipTop) ? 'tier' : hasFreeSlot(c) ? undefined : 'full')
  );
}

function baseReason(c: Candidate, needs: Needs, options: ScreenOptions): SkipReason | undefined {
  if (c.status !== 'online') return 'not_online';
  if (options.tried.size > 0 && options.tried.has(c.agentId)) return 'already_tried';
  if (!hasSkills(c.skills, needs)) return 'missing_skills';
  if (atCap(c, options.fairnessCap)) return 'fairness_cap';
  return undefined;
}

/** ROUTE-6: the agent holds every skill the conversation requires. */
export function hasSkills(skills: readonly string[], needs: Needs): boolean {
  return needs.skills.length === 0 || needs.skills.every((s) => skills.includes(s));
}

/** ROUTE-19: the agent has had its share of this fairness window. */
export function atCap(c: Candidate, fairnessCap: number | undefined): boolean {
  return fairnessCap !== undefined && c.assignedInWindow >= fairnessCap;
}

/** ROUTE-5: the conversation's own tier, the next one once widened, and tier 3 when `vipTop`. */
export function tierAllowed(tier: number, needs: Needs, vipTop: boolean): boolean {
  const next = needs.allowNextTier ? needs.tier + 1 : needs.tier;
  return tier === needs.tier || tier === next || (vipTop && tier === 3);
}

/** ROUTE-5: a tier whose free agents keep a VIP from tier 3 (`vipTop` holds when none of them is otherwise eligible). */
export function lowerTierFor(tier: number, needs: Needs): boolean {
  return tier < 3 && tierAllowed(tier, needs, false);
}
