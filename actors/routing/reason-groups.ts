/**
 * Members grouped by what decides the screen's verdict on them (online,
 * free slot, at the fairness cap, tier, skills), with a count per group. A
 * decision's record counts the candidates it does not list by skip reason
 * (ROUTE-16, verdicts.ts); with the groups that costs one step per group
 * plus one per agent already tried, not one per member. Departments hold
 * few distinct skill sets, so there are few groups; at worst (every agent
 * with its own skills) there are as many groups as members and this is the
 * scan it replaces.
 */
import { hasFreeSlot, type Candidate, type Needs, type SkipReason } from './decision.js';
import { atCap, hasSkills, lowerTierFor, tierAllowed } from './eligibility.js';
import { SkipReasons } from '../../protocol/vocabulary.js';

interface Group {
  key: string;
  online: boolean;
  free: boolean;
  capped: boolean;
  tier: number;
  skills: readonly string[];
  count: number;
}

/** The screen's reason for any member of `g` not tried yet (eligibility.ts `reasonOf`, in the same order). */
function groupReason(g: Group, needs: Needs, vipTop: boolean): SkipReason | undefined {
  if (!g.online) return 'not_online';
  if (!hasSkills(g.skills, needs)) return 'missing_skills';
  if (g.capped) return 'fairness_cap';
  if (!tierAllowed(g.tier, needs, vipTop)) return 'tier';
  return g.free ? undefined : 'full';
}

export class ReasonGroups {
  private readonly groups = new Map<string, Group>();
  private readonly of = new Map<string, Group>();
  /** Skill lists are usually shared between loads of one agent: their key is computed once per list. */
  private readonly skillKeys = new WeakMap<readonly string[], string>();

  clear(): void {
    this.groups.clear();
    this.of.clear();
  }

  /** Files `c` under its group now, `cap` being the department's fairness cap. */
  put(c: Candidate, cap: number | undefined): void {
    const online = c.status === 'online';
    const free = hasFreeSlot(c);
    const capped = atCap(c, cap);
    const key = `${online ? 1 : 0}${free ? 1 : 0}${capped ? 1 : 0}${c.tier}${this.skillKey(c.skills)}`;
    const before = this.of.get(c.agentId);
    let g = this.groups.get(key);
    if (before === g && g !== undefined) return;
    if (before && --before.count === 0) this.groups.delete(before.key);
    if (!g) {
      g = { key, online, free, capped, tier: c.tier, skills: [...c.skills], count: 0 };
      this.groups.set(key, g);
    }
    g.count++;
    this.of.set(c.agentId, g);
  }

  /** ROUTE-5: no agent of a lower tier the conversation may reach is otherwise eligible with a free slot (screen's `vipTop`). */
  vipTop(needs: Needs, tried: ReadonlySet<string>): boolean {
    if (!needs.vip) return false;
    const triedIn = this.triedPerGroup(tried);
    for (const g of this.groups.values()) {
      if (!(g.online && g.free && !g.capped && lowerTierFor(g.tier, needs) && hasSkills(g.skills, needs))) continue;
      if (g.count > (triedIn.get(g) ?? 0)) return false;
    }
    return true;
  }

  /** Members by the screen's verdict: `eligible`, then each skip reason, as verdicts.ts counts them. */
  counts(needs: Needs, tried: ReadonlySet<string>, vipTop: boolean): Map<string, number> {
    const counts = new Map<string, number>([['eligible', 0]]);
    for (const r of SkipReasons) counts.set(r, 0);
    const add = (reason: string, n: number): void => {
      counts.set(reason, counts.get(reason)! + n);
    };
    for (const g of this.groups.values()) add(groupReason(g, needs, vipTop) ?? 'eligible', g.count);
    // An online member already offered this conversation is skipped for that first (eligibility.ts `baseReason`).
    for (const id of tried) {
      const g = this.of.get(id);
      if (!g?.online) continue;
      add(groupReason(g, needs, vipTop) ?? 'eligible', -1);
      add('already_tried', 1);
    }
    return counts;
  }

  private triedPerGroup(tried: ReadonlySet<string>): Map<Group, number> {
    const n = new Map<Group, number>();
    for (const id of tried) {
      const g = this.of.get(id);
      if (g) n.set(g, (n.get(g) ?? 0) + 1);
    }
    return n;
  }

  private skillKey(skills: readonly string[]): string {
    let key = this.skillKeys.get(skills);
    if (key === undefined) {
      key = [...new Set(skills)].sort().join('\u0000');
      this.skillKeys.set(skills, key);
    }
    return key;
  }
}
