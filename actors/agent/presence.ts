/**
 * MON-2 occupancy: the agent journals its presence (online or not, its load
 * and capacity, the departments it serves) to a stream of its own each time
 * one of them changes, so the reports can sum online time and slot time per
 * hour. Status and load change a few times per conversation, never per
 * message; a load push that changes none of them writes nothing.
 */
import type { AgentStatus } from '../../protocol/frames.js';
import { StreamPrefix } from '../keyspace.js';
import type { AgentPorts } from './ports.js';

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
   * Written by the server, not the agent: the interval was closed at a graceful stop, or after a
   * restart found it open (docs/reports.md).
   */
  closedBy?: 'restart' | 'stop';
}

export const presenceStream = (agentId: string): string => `${StreamPrefix.presence}${agentId}`;

/** What the agent journaled last, and at which seq of its stream. */
export interface PresenceLog {
  seq: number;
  last: string;
}

/** What of the agent's context and state its presence is made of. */
interface Agent {
  ports: Pick<AgentPorts, 'journal' | 'clock' | 'log'>;
  profile: { id: string; maxConcurrent: number };
}
interface Presence {
  status: AgentStatus;
  connections: number;
  active: ReadonlySet<string>;
  presence: PresenceLog;
}

/** The log of an agent that starts offline: the server closed any interval left open before (src/reports). */
export const startPresence = ({ ports, profile }: Agent): PresenceLog => ({
  seq: ports.journal.lastSeq(presenceStream(profile.id)),
  last: 'offline',
});

/** Journals the agent's presence when it differs from what was journaled last. */
export function journalPresence({ ports, profile }: Agent, s: Presence, departments: readonly string[]): void {
  const online = s.connections > 0 && (s.status === 'online' || s.status === 'busy');
  const sorted = [...departments].sort();
  const signature = online ? `${s.active.size}/${profile.maxConcurrent}:${sorted.join(',')}` : 'offline';
  if (signature === s.presence.last) return;
  s.presence.last = signature;
  const event: PresenceEvent = {
    type: 'presence',
    agentId: profile.id,
    at: ports.clock.now(),
    online,
    active: s.active.size,
    max: profile.maxConcurrent,
    departments: sorted,
  };
  ports.journal
    .append(presenceStream(profile.id), ++s.presence.seq, event)
    .catch((err: unknown) => ports.log.warn({ err, agentId: profile.id }, 'agent presence not stored'));
}
