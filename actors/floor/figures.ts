/**
 * MON-1: the department monitor's figures and what changed since the last
 * frame. Pure functions of the state: the behaviour (behavior.ts) feeds them
 * the reports it is sent and turns the dirty set into frames.
 */
import type { ConversationSummary, DepartmentDelta, DepartmentFigures, MonitoredAgent } from '../../protocol/frames.js';
import type { AgentReport, QueueReport } from './messages.js';
import type { FloorDepartment } from './ports.js';
import { dayOf } from './local-day.js';

export interface Department {
  id: string;
  name: string;
  timeZone: string | undefined;
  agents: Map<string, MonitoredAgent>;
  queueLength: number;
  backlog: number;
  oldestQueuedAt: number | undefined;
  active: number;
  day: string;
  assignedToday: number;
  resolvedToday: number;
}

/** What changed in one department since the last frame. */
export interface Dirty {
  agents: Set<string>;
  gone: Set<string>;
}

export interface Figures {
  departments: Map<string, Department>;
  /** The departments each agent is listed in. */
  agentDepartments: Map<string, readonly string[]>;
  /** Open conversations: their department and whether an agent serves them. */
  conversations: Map<string, { department: string; assigned: boolean }>;
  dirty: Map<string, Dirty>;
  /** Whether changes are tracked: only while someone watches. */
  tracking: boolean;
}

export const newFigures = (): Figures => ({
  departments: new Map(),
  agentDepartments: new Map(),
  conversations: new Map(),
  dirty: new Map(),
  tracking: false,
});

/** A department's figures, created on first mention; a new day starts its counts at 0. */
export function departmentOf(f: Figures, id: string, config: FloorDepartment | undefined, now: number): Department {
  let d = f.departments.get(id);
  const timeZone = config?.hours?.timeZone;
  if (!d) {
    d = {
      id,
      name: config?.name ?? id,
      timeZone,
      agents: new Map(),
      queueLength: 0,
      backlog: 0,
      oldestQueuedAt: undefined,
      active: 0,
      day: dayOf(timeZone, now),
      assignedToday: 0,
      resolvedToday: 0,
    };
    f.departments.set(id, d);
    touch(f, id);
    return d;
  }
  if (config && (config.name !== d.name || timeZone !== d.timeZone)) {
    d.name = config.name;
    d.timeZone = timeZone;
    touch(f, id);
  }
  rollDay(f, d, now);
  return d;
}

/** Starts the department's counts afresh when its day has changed. */
export function rollDay(f: Figures, d: Department, now: number): void {
  const day = dayOf(d.timeZone, now);
  if (day === d.day) return;
  d.day = day;
  d.assignedToday = 0;
  d.resolvedToday = 0;
  touch(f, d.id);
}

/** Marks a department changed; returns its dirty entry (undefined while nobody watches). */
export function touch(f: Figures, id: string): Dirty | undefined {
  if (!f.tracking) return undefined;
  let d = f.dirty.get(id);
  if (!d) f.dirty.set(id, (d = { agents: new Set(), gone: new Set() }));
  return d;
}

type Lookup = (id: string) => Department;

export function applyAgent(f: Figures, dept: Lookup, r: AgentReport): void {
  const before = f.agentDepartments.get(r.agentId) ?? [];
  for (const id of before) {
    if (r.departments.includes(id)) continue;
    dept(id).agents.delete(r.agentId);
    touch(f, id)?.gone.add(r.agentId);
  }
  const agent: MonitoredAgent = { agentId: r.agentId, name: r.name, status: r.status, active: r.active, max: r.max };
  for (const id of r.departments) {
    const d = dept(id);
    const cur = d.agents.get(r.agentId);
    if (
      cur &&
      cur.status === agent.status &&
      cur.active === agent.active &&
      cur.max === agent.max &&
      cur.name === agent.name
    )
      continue;
    d.agents.set(r.agentId, agent);
    const dirty = touch(f, id);
    dirty?.agents.add(r.agentId);
    dirty?.gone.delete(r.agentId);
  }
  f.agentDepartments.set(r.agentId, r.departments);
}

export function applyQueue(f: Figures, dept: Lookup, r: QueueReport): void {
  const d = dept(r.department);
  if (d.queueLength === r.length && d.backlog === r.backlog && d.oldestQueuedAt === r.oldestQueuedAt) return;
  d.queueLength = r.length;
  d.backlog = r.backlog;
  d.oldestQueuedAt = r.oldestQueuedAt;
  touch(f, d.id);
}

/**
 * A committed conversation change. The summary is the conversation's state at
 * the commit, so the active count follows the state and the day's counts
 * follow the event types. Returns the department whose counts of the day
 * changed, if any, for the behaviour to store.
 */
export function applyConversation(
  f: Figures,
  dept: Lookup,
  c: ConversationSummary,
  event: string,
): Department | undefined {
  const before = f.conversations.get(c.conversationId);
  const assigned = c.status === 'assigned';
  const counted = event === 'assigned' || event === 'resolved';
  if (before?.department === c.department && before.assigned === assigned && !counted) return undefined;
  if (before?.assigned) {
    dept(before.department).active--;
    touch(f, before.department);
  }
  if (c.status === 'resolved') f.conversations.delete(c.conversationId);
  else f.conversations.set(c.conversationId, { department: c.department, assigned });
  const d = dept(c.department);
  if (assigned) d.active++;
  if (event === 'assigned') d.assignedToday++;
  if (event === 'resolved') d.resolvedToday++;
  touch(f, d.id);
  return counted ? d : undefined;
}

const counts = (d: Department, now: number) => ({
  department: d.id,
  name: d.name,
  queueLength: d.queueLength,
  backlog: d.backlog,
  ...(d.oldestQueuedAt !== undefined ? { oldestQueuedAt: d.oldestQueuedAt } : {}),
  longestWaitMs: d.oldestQueuedAt === undefined ? 0 : Math.max(0, now - d.oldestQueuedAt),
  activeConversations: d.active,
  day: d.day,
  assignedToday: d.assignedToday,
  resolvedToday: d.resolvedToday,
});

export const wholeDepartment = (d: Department, now: number): DepartmentFigures => ({
  ...counts(d, now),
  agents: [...d.agents.values()],
});

export function deltaOf(d: Department, dirty: Dirty, now: number): DepartmentDelta {
  const agents: MonitoredAgent[] = [];
  for (const id of dirty.agents) {
    const a = d.agents.get(id);
    if (a) agents.push(a);
  }
  return { ...counts(d, now), agents, ...(dirty.gone.size ? { agentsGone: [...dirty.gone] } : {}) };
}
