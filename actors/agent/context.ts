/**
 * The agent actor's state and its context (ports, profile, own ref), and
 * what every part of it does with them: push its load to its departments.
 */
import type { AgentStatus } from '../../protocol/frames.js';
import type { Ref } from '../runtime.js';
import type { TimerHandle } from '../clock.js';
import type { AgentLoad, OfferAnswer } from '../department/messages.js';
import type { AgentStatsRecord, TransferCountRecord } from './records.js';
import type { AgentProfile } from './profile.js';
import type { AgentMsg } from './messages.js';
import type { AgentPorts } from './ports.js';
import { journalPresence, type PresenceLog } from './presence.js';
import { Keys } from '../keyspace.js';

export interface AgentState {
  status: AgentStatus;
  /** Counts grace periods, so that a timer from an earlier disconnect does nothing. */
  graceEpoch: number;
  graceTimer: TimerHandle | undefined;
  onlineSince: number;
  onlineOrder: number;
  connections: number;
  active: Set<string>;
  /** Offers held for the agent's answer (ROUTE-17), by conversation id; their slots are in `active`. */
  offers: Map<
    string,
    {
      departmentId: string;
      reply: (answer: OfferAnswer, reason?: string) => void;
      timer: TimerHandle;
      missesBeforeAway: number;
    }
  >;
  /** Offers in a row that ran out unanswered. */
  misses: number;
  stats: AgentStatsRecord;
  /** Conversations taken over (SUP-3): kept even while the status says offline. */
  forced: Set<string>;
  transfers: TransferCountRecord;
  /** SUP-4: departments this agent is lent to, until when. */
  loans: Map<string, { until: number; timer: TimerHandle }>;
  /** MON-2: the presence last journaled (presence.ts). */
  presence: PresenceLog;
  /** What the end of the batch being handled still owes (`owe`). */
  owed: BatchDebts;
}

/**
 * Work done once per batch of messages instead of once per message: the
 * load for a figure (a release in the same batch sends it anyway), the
 * stored figures, and the monitor's and consoles' view of the agent.
 */
export interface BatchDebts {
  load: boolean;
  stats: boolean;
  announce: boolean;
  /** The end of the batch is scheduled. */
  due: boolean;
}

export const noDebts = (): BatchDebts => ({ load: false, stats: false, announce: false, due: false });

/**
 * Notes work for the end of the batch being handled: a microtask, which runs
 * once the actor's batch (synchronous handlers) returns and before the
 * store hands the turn's writes over, so stored figures commit in the turn
 * that changed them.
 */
export function owe(cx: AgentContext, s: AgentState, what: 'load' | 'stats' | 'announce'): void {
  s.owed[what] = true;
  if (s.owed.due) return;
  s.owed.due = true;
  queueMicrotask(() => settle(cx, s));
}

function settle(cx: AgentContext, s: AgentState): void {
  const { owed } = s;
  // Still due while the load goes out, so its announcement joins this settlement instead of scheduling another.
  if (owed.load) pushLoad(cx, s);
  owed.due = false;
  if (owed.stats) {
    owed.stats = false;
    const { journal, log } = cx.ports;
    journal
      .writeRecords([{ key: Keys.agentStats(cx.profile.id), value: s.stats }])
      .catch((err: unknown) => log.warn({ err, agentId: cx.profile.id }, 'agent figures not stored'));
  }
  if (owed.announce) {
    owed.announce = false;
    announce(cx, s);
  }
}

export interface AgentContext {
  readonly ports: AgentPorts;
  /** The actor's own: changed in place by `reprofile`, read at each use. */
  readonly profile: AgentProfile;
  readonly self: Ref<AgentMsg>;
}

/** The agent's departments and those it is lent to (SUP-4). */
export const departmentsOf = ({ profile }: AgentContext, s: AgentState): string[] =>
  s.loans.size ? [...new Set([...profile.departments, ...s.loans.keys()])] : profile.departments;

const loadOf = ({ profile }: AgentContext, s: AgentState, status: AgentStatus): AgentLoad => ({
  agentId: profile.id,
  name: profile.name,
  status,
  active: s.active.size,
  max: profile.maxConcurrent,
  onlineSince: s.onlineSince,
  onlineOrder: s.onlineOrder,
  weight: profile.weight,
  tier: profile.tier,
  skills: profile.skills,
  figures: s.stats.figures,
});

/**
 * Tells every department of the agent its status and load now (routing
 * reads it); the department monitor (MON-1) and the agent's own consoles
 * hear of it once the batch of messages being handled is done, so a batch
 * that changes the load several times (an offer taken, a release, a figure)
 * sends them the last state once, not every step.
 */
export function pushLoad(cx: AgentContext, s: AgentState): void {
  const { ports } = cx;
  s.owed.load = false;
  // Without a connection nobody can take a conversation, whatever the status says (ROUTE-14 grace).
  const load = loadOf(cx, s, s.connections === 0 ? 'offline' : s.status);
  for (const d of departmentsOf(cx, s)) {
    const dept = ports.department(d);
    if (!dept) continue;
    // An offer held for a department is still counted there as pending until answered: not twice (ROUTE-17).
    let held = 0;
    for (const o of s.offers.values()) if (o.departmentId === d) held++;
    ports.runtime.tell(dept, { type: 'load', load: held ? { ...load, active: load.active - held } : load });
  }
  owe(cx, s, 'announce');
}

/** What the monitor and the agent's consoles are told of the agent's status and load. */
export function announce(cx: AgentContext, s: AgentState): void {
  const { ports, profile } = cx;
  const status = s.connections === 0 ? 'offline' : s.status;
  const departments = departmentsOf(cx, s);
  ports.report({
    agentId: profile.id,
    name: profile.name,
    status,
    active: s.active.size,
    max: profile.maxConcurrent,
    departments,
  });
  ports.notifier.send(
    { kind: 'staff', id: profile.id },
    { type: 'agent_status', agentId: profile.id, status: s.status, active: s.active.size, max: profile.maxConcurrent },
  );
  journalPresence(cx, s, departments);
}

/** A department the agent no longer belongs to stops seeing them as a member who can take work. */
export function leave(cx: AgentContext, s: AgentState, department: string): void {
  const dept = cx.ports.department(department);
  if (dept) cx.ports.runtime.tell(dept, { type: 'load', load: loadOf(cx, s, 'offline') });
}
