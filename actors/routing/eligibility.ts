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
  const next = needs.allowNextTier ? needs.tier + 1 : needs.tier;
  const vipTop =
    needs.vip &&
    !candidates.some(
      (c) =>
        c.tier < 3 && (c.tier === needs.tier || c.tier === next) && hasFreeSlot(c) && !baseReason(c, needs, options),
    );
  const skipped = new Map<string, SkipReason>();
  const eligible: Candidate[] = [];
  for (const c of candidates) {
    const reason =
      baseReason(c, needs, options) ??
      (c.tier !== needs.tier && c.tier !== next && !(vipTop && c.tier === 3)
        ? 'tier'
        : hasFreeSlot(c)
          ? undefined
          : 'full');
    if (reason) skipped.set(c.agentId, reason);
    else eligible.push(c);
  }
  return { eligible, skipped };
}

function baseReason(c: Candidate, needs: Needs, options: ScreenOptions): SkipReason | undefined {
  if (c.status !== 'online') return 'not_online';
  if (options.tried.size > 0 && options.tried.has(c.agentId)) return 'already_tried';
  if (needs.skills.length > 0 && !needs.skills.every((s) => c.skills.includes(s))) return 'missing_skills';
  if (options.fairnessCap !== undefined && c.assignedInWindow >= options.fairnessCap) return 'fairness_cap';
  return undefined;
}
