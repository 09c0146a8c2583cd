/**
 * MON-2 occupancy: the agent journals its presence (online or not, its load
 * and capacity, the departments it serves) to a stream of its own, so the
 * reports can sum online time and slot time per hour. A change of status,
 * capacity or departments is journaled at once. A change of load alone is
 * not: it is held for up to a second (never past the hour's end) and the
 * changes of that second go out as one event, which carries the slot-ms the
 * agent held over the interval it closes. So occupancy stays exact while an
 * agent taking dozens of conversations a second writes one event a second,
 * not two per conversation. What a crash loses is the last second's load
 * changes: the interval is then closed as if the load journaled last had
 * held (docs/reports.md). No message writes presence.
 */
import type { AgentStatus } from '../../protocol/frames.js';
import type { TimerHandle } from '../clock.js';
import { StreamPrefix } from '../keyspace.js';
import type { AgentMsg } from './messages.js';
import type { AgentPorts } from './ports.js';
import type { Ref } from '../runtime.js';

/** How long load changes are gathered into one presence event at most. */
export const PRESENCE_LOAD_WINDOW_MS = 1000;
const HOUR_MS = 3_600_000;
const hourEnd = (at: number): number => (Math.floor(at / HOUR_MS) + 1) * HOUR_MS;

export interface PresenceEvent {
  type: 'presence';
  agentId: string;
  at: number;
  /** Signed in with status online or busy: the time the agent is at work. Away and offline are not. */
  online: boolean;
  /** Conversations held (taken-over ones and offers waiting for an answer included). */
  active: number;
  /** Capacity: conversations the agent may hold at once. */
  max: number;
  departments: string[];
  /**
   * Slot-ms held (conversations × ms) from the stream's previous event to this one, when the load changed
   * in between; absent, the previous event's `active` held throughout.
   */
  heldMs?: number;
  /**
   * Written by the server, not the agent: the interval was closed at a graceful stop, or after a
   * restart found it open (docs/reports.md).
   */
  closedBy?: 'restart' | 'stop';
}

export const presenceStream = (agentId: string): string => `${StreamPrefix.presence}${agentId}`;

/** What the agent journaled last, at which seq of its stream, and the load changes not journaled yet. */
export interface PresenceLog {
  seq: number;
  /** Status, capacity and departments journaled last ('offline' when not online). */
  last: string;
  /** The last event journaled (undefined before the first). */
  event: PresenceEvent | undefined;
  /** Slot-ms held from the last event's time to `since`. */
  held: number;
  since: number;
  /** The load from `since`. */
  current: number;
  /** While load changes wait: when they are journaled, and the timer that does it. */
  due: number;
  timer: TimerHandle | undefined;
}

/** What of the agent's context and state its presence is made of. */
interface Agent {
  ports: Pick<AgentPorts, 'journal' | 'clock' | 'log' | 'runtime'>;
  profile: { id: string; maxConcurrent: number };
  self: Ref<AgentMsg>;
}
interface Presence {
  status: AgentStatus;
  connections: number;
  active: ReadonlySet<string>;
  presence: PresenceLog;
}

/** The log of an agent that starts offline: the server closed any interval left open before (src/reports). */
export const startPresence = ({ ports, profile }: Pick<Agent, 'ports' | 'profile'>): PresenceLog => ({
  seq: ports.journal.lastSeq(presenceStream(profile.id)),
  last: 'offline',
  event: undefined,
  held: 0,
  since: 0,
  current: 0,
  due: 0,
  timer: undefined,
});

/** Journals the agent's presence when it differs from what was journaled last (load changes a second later). */
export function journalPresence(cx: Agent, s: Presence, departments: readonly string[]): void {
  const { ports, profile } = cx;
  const log = s.presence;
  const now = ports.clock.now();
  flushPresence(cx, s);
  const online = s.connections > 0 && (s.status === 'online' || s.status === 'busy');
  const sorted = [...departments].sort();
  const signature = online ? `${profile.maxConcurrent}:${sorted.join(',')}` : 'offline';
  const active = s.active.size;
  if (signature !== log.last) {
    log.last = signature;
    return emit(cx, log, { at: now, online, active, max: profile.maxConcurrent, departments: sorted });
  }
  if (!online || active === log.current) return;
  const last = log.event!;
  // The first change of an hour closes the hour's interval at once: an interval with a load change inside it
  // stays within one hour, so its slot-ms belong to that hour alone.
  if (!log.timer && hourEnd(last.at) <= now) return emit(cx, log, { ...last, at: now, active });
  log.held += log.current * (now - log.since);
  log.since = now;
  log.current = active;
  if (log.timer) return;
  log.due = Math.min(now + PRESENCE_LOAD_WINDOW_MS, hourEnd(now));
  log.timer = ports.clock.setTimer(log.due - now, () => ports.runtime.tell(cx.self, { type: 'presenceDue' }));
}

/**
 * Journals the load changes held back once they are due, at the time they were due (the load since then is
 * the last one). A timer of a window already closed finds nothing due.
 */
export function flushPresence(cx: Agent, s: Presence): void {
  const log = s.presence;
  if (!log.timer || log.event === undefined || cx.ports.clock.now() < log.due) return;
  emit(cx, log, { ...log.event, at: log.due, active: log.current });
}

function emit(
  { ports, profile }: Agent,
  log: PresenceLog,
  next: Pick<PresenceEvent, 'at' | 'online' | 'active' | 'max' | 'departments'>,
): void {
  const event: PresenceEvent = {
    type: 'presence',
    agentId: profile.id,
    at: next.at,
    online: next.online,
    active: next.active,
    max: next.max,
    departments: next.departments,
  };
  if (log.timer) {
    event.heldMs = log.held + log.current * (next.at - log.since);
    log.timer.cancel();
    log.timer = undefined;
  }
  log.event = event;
  log.held = 0;
  log.since = next.at;
  log.current = next.active;
  ports.journal
    .append(presenceStream(profile.id), ++log.seq, event)
    .catch((err: unknown) => ports.log.warn({ err, agentId: profile.id }, 'agent presence not stored'));
}
