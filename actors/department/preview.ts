/**
 * MON-4 dry run, the department's part: what it would do with a new
 * conversation now, from its live view of its members, with the same
 * admission and choice as a real route (choice.ts) — and nothing else. No
 * offer is made, no counter or policy state moves, no decision is handed
 * to anyone: the state is read, never written.
 */
import type { Candidate, Decision } from '../routing/decision.js';
import type { ConversationNeeds } from '../routing/needs.js';
import type { DepartmentRecord } from './records.js';
import { admission, choose } from './choice.js';
import { anyoneOnline, type DepartmentState } from './members.js';

/** Why the conversation would wait rather than be offered to an agent. */
export const PreviewWaits = [
  'closed',
  'auto_assign_off',
  'others_waiting',
  'no_agents_online',
  'nobody_eligible',
  'sticky_wait',
] as const;
export type PreviewWait = (typeof PreviewWaits)[number];

export interface PlacementPreview {
  department: string;
  /** `offered`: it would be offered to `agentId` at once (in offer mode the agent then has to accept, ROUTE-17). */
  outcome: 'offered' | 'queued';
  agentId?: string;
  agentName?: string;
  wait?: PreviewWait;
  /** The policy runs, as a real route would record them (ROUTE-16); none when admission queued it first. */
  decisions: Decision[];
  /** Agents of the department with what routing knows of them now. */
  members: number;
  /** What the department counts as waiting or being pulled from its queue. */
  waiting: number;
}

export interface PreviewRequest {
  needs: ConversationNeeds;
  /** ROUTE-9: the agent who served this customer last. */
  stickyAgent?: string;
}

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
