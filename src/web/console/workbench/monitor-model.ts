/**
 * The supervisor's wall (MON-1, SUP-1) as a pure model: the department
 * monitor's ack and its `department_monitor` deltas, and the live view's
 * conversation list and `conversation_update`s, folded into what the wall
 * shows. No DOM and no socket here, so it is tested on plain data.
 *
 * A delta carries a department's counts whole and only the agents that
 * changed: counts are replaced, agents merged by id, `agentsGone` dropped
 * (docs/protocol.md, `department_monitor`). Conversations keep the latest
 * summary per id; a resolved one, or one that moved to a department the
 * wall does not show, leaves the wall.
 */
import type {
  ConversationSummary,
  ConversationUpdateEvent,
  DepartmentDelta,
  DepartmentFigures,
  DepartmentMonitorEvent,
  MonitoredAgent,
} from '../../../../protocol/frames.js';

export interface DepartmentView {
  department: string;
  name: string;
  queueLength: number;
  backlog: number;
  oldestQueuedAt: number | undefined;
  longestWaitMs: number;
  activeConversations: number;
  day: string;
  assignedToday: number;
  resolvedToday: number;
  /** Sorted by name, then id, so the wall does not reorder as loads change. */
  agents: readonly MonitoredAgent[];
}

export interface WallState {
  /** Server time of the latest figures (ms); 0 before the first ack. */
  at: number;
  /** In the order the server listed them in the ack; departments added later go last. */
  departments: readonly DepartmentView[];
  /** Open conversations of the watched departments, by id. */
  conversations: Readonly<Record<string, ConversationSummary>>;
  /** Whether the monitor's ack has arrived (the wall shows "loading" before). */
  loaded: boolean;
}

export const emptyWall: WallState = { at: 0, departments: [], conversations: {}, loaded: false };

export interface MonitorAck {
  at: number;
  departments: DepartmentFigures[];
}

const byName = (a: MonitoredAgent, b: MonitoredAgent) =>
  a.name.localeCompare(b.name) || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0);

function counts(d: DepartmentFigures | DepartmentDelta): Omit<DepartmentView, 'agents'> {
  return {
    department: d.department,
    name: d.name,
    queueLength: d.queueLength,
    backlog: d.backlog,
    oldestQueuedAt: d.oldestQueuedAt,
    longestWaitMs: d.longestWaitMs,
    activeConversations: d.activeConversations,
    day: d.day,
    assignedToday: d.assignedToday,
    resolvedToday: d.resolvedToday,
  };
}

/** The ack of `monitor_departments`: every watched department whole; it replaces what the wall held (a reconnect). */
export function applyMonitorAck(state: WallState, ack: MonitorAck): WallState {
  const departments = ack.departments.map((d) => ({ ...counts(d), agents: [...d.agents].sort(byName) }));
  const shown = new Set(departments.map((d) => d.department));
  return { ...state, at: ack.at, departments, conversations: keepShown(state.conversations, shown), loaded: true };
}

/** A `department_monitor` frame: counts replaced, agents merged by id, gone agents dropped. */
export function applyMonitorDelta(
  state: WallState,
  frame: Pick<DepartmentMonitorEvent, 'at' | 'departments'>,
): WallState {
  if (frame.at < state.at) return state;
  const departments = [...state.departments];
  for (const delta of frame.departments) {
    const i = departments.findIndex((d) => d.department === delta.department);
    const agents = new Map((i >= 0 ? departments[i]!.agents : []).map((a) => [a.agentId, a]));
    for (const a of delta.agents) agents.set(a.agentId, a);
    for (const gone of delta.agentsGone ?? []) agents.delete(gone);
    const next: DepartmentView = { ...counts(delta), agents: [...agents.values()].sort(byName) };
    if (i >= 0) departments[i] = next;
    else departments.push(next);
  }
  return { ...state, at: frame.at, departments };
}

/** The ack of `monitor`: the open conversations of the watched departments, replacing what was held. */
export function applyConversationList(state: WallState, conversations: readonly ConversationSummary[]): WallState {
  const next: Record<string, ConversationSummary> = {};
  for (const c of conversations) if (c.status !== 'resolved') next[c.conversationId] = c;
  return { ...state, conversations: next };
}

/**
 * A `conversation_update`: the latest summary wins. A resolved conversation leaves the wall, and so does
 * one that moved to a department the wall does not show (the server sends that move to the old watchers).
 */
export function applyConversationUpdate(
  state: WallState,
  update: Pick<ConversationUpdateEvent, 'conversation'>,
): WallState {
  const c = update.conversation;
  const conversations = { ...state.conversations };
  const shown = !state.loaded || state.departments.some((d) => d.department === c.department);
  if (c.status === 'resolved' || !shown) delete conversations[c.conversationId];
  else conversations[c.conversationId] = c;
  return { ...state, conversations };
}

function keepShown(
  conversations: Readonly<Record<string, ConversationSummary>>,
  shown: ReadonlySet<string>,
): Record<string, ConversationSummary> {
  const next: Record<string, ConversationSummary> = {};
  for (const [id, c] of Object.entries(conversations)) if (shown.has(c.department)) next[id] = c;
  return next;
}

/** A department's open conversations: waiting ones first (oldest first), then assigned ones (oldest first). */
export function conversationsOf(state: WallState, department: string): ConversationSummary[] {
  const rank = (c: ConversationSummary) => (c.status === 'assigned' ? 1 : 0);
  return Object.values(state.conversations)
    .filter((c) => c.department === department)
    .sort((a, b) => rank(a) - rank(b) || a.createdAt - b.createdAt || (a.conversationId < b.conversationId ? -1 : 1));
}

/**
 * The longest wait at server time `now`. Between frames the wait keeps growing from `oldestQueuedAt`, which
 * sends no frame, so the wall computes it itself; never less than what the last frame said.
 */
export function longestWaitAt(d: DepartmentView, now: number): number {
  if (d.oldestQueuedAt === undefined) return 0;
  return Math.max(d.longestWaitMs, now - d.oldestQueuedAt);
}

/** The agent's load as a share of their capacity, 0…1 (an agent with max 0 counts as full when holding any). */
export function loadShare(a: Pick<MonitoredAgent, 'active' | 'max'>): number {
  if (a.max <= 0) return a.active > 0 ? 1 : 0;
  return Math.min(1, a.active / a.max);
}

/** Every agent on the wall once (an agent in two departments is one person), by name. */
export function agentsOnWall(state: WallState): MonitoredAgent[] {
  const all = new Map<string, MonitoredAgent>();
  for (const d of state.departments) for (const a of d.agents) all.set(a.agentId, a);
  return [...all.values()].sort(byName);
}

/** The departments an agent is listed in on the wall (members and loans). */
export function departmentsOfAgent(state: WallState, agentId: string): string[] {
  return state.departments.filter((d) => d.agents.some((a) => a.agentId === agentId)).map((d) => d.department);
}
