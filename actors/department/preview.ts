/**
 * MON-4 dry run, the department's part: what it would do with a new
 * conversation now, from its live view of its members, with the same
 * admission and choice as a real route (choice.ts) — and nothing else. No
 * offer is made, no counter or policy state moves, no decision is handed
 * to anyone: the state is read, never written.
 */
import type { Candidate } from '../routing/decision.js';
import type { DepartmentRecord } from './records.js';
import type { PlacementPreview, PreviewRequest, PreviewWait } from './messages.js';
import { admission, choose } from './choice.js';
import { anyoneOnline, type DepartmentState } from './members.js';

/** The members as a decision now would see them: fairness counts of a window that has ended count as zero. */
function membersNow(s: DepartmentState, cfg: DepartmentRecord | undefined, now: number): Candidate[] {
  const ordered = [...s.members.values()].sort((a, b) => a.onlineOrder - b.onlineOrder);
  const cap = cfg?.fairnessCap;
  if (!cap) return ordered;
  const windowStart = Math.floor(now / (cap.windowSec * 1000)) * cap.windowSec * 1000;
  return windowStart === s.windowStart ? ordered : ordered.map((c) => ({ ...c, assignedInWindow: 0 }));
}

export function previewPlacement(
  s: DepartmentState,
  departmentId: string,
  cfg: DepartmentRecord | undefined,
  req: PreviewRequest,
  now: number,
): PlacementPreview {
  const base = { department: departmentId, members: s.members.size, waiting: s.queued + s.pulling };
  const waits = admission(cfg, s, now);
  if (waits) return { ...base, outcome: 'queued', wait: waits.wait, decisions: [] };
  const members = membersNow(s, cfg, now);
  const choice = choose(
    cfg,
    members,
    new Map(members.map((c) => [c.agentId, c])),
    { needs: req.needs, waitedMs: 0, tried: new Set(), ...(req.stickyAgent ? { stickyAgent: req.stickyAgent } : {}) },
    { lastAssigned: s.lastAssigned, wrr: s.wrr },
    now,
  );
  if (choice.chosen)
    return {
      ...base,
      outcome: 'offered',
      agentId: choice.chosen.agentId,
      agentName: choice.chosen.name,
      decisions: choice.decisions,
    };
  const wait: PreviewWait = choice.waitsForSticky
    ? 'sticky_wait'
    : anyoneOnline(s)
      ? 'nobody_eligible'
      : 'no_agents_online';
  return { ...base, outcome: 'queued', wait, decisions: choice.decisions };
}
