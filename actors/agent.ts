/**
 * Agent actor: owns one staff member's status and capacity (ROUTE-11). A
 * department's choice arrives as an offer; the agent accepts only when online
 * with a free slot, so capacity holds however many departments offer at once.
 * Every change of status or load is pushed to each of the agent's departments.
 */
import { ProtocolError } from '../protocol/errors.js';
import type { AgentStatus } from '../protocol/frames.js';
import type { Behavior, Ref, Reply } from './runtime.js';
import type { Directory } from './directory.js';
import type { AgentLoad } from './department.js';
import type { Tier } from './routing/decision.js';
import type { TimerHandle } from './clock.js';

export interface AgentProfile {
  id: string;
  name: string;
  departments: string[];
  maxConcurrent: number;
  weight: number;
  tier: Tier;
  skills: readonly string[];
}

export type AgentMsg =
  | { type: 'connected' }
  | { type: 'disconnected' }
  | { type: 'setStatus'; status: AgentStatus; reply: Reply<AgentSummary> }
  | { type: 'describe'; reply: Reply<AgentSummary> }
  /** `manual`: the agent claims it (ROUTE-12), which a busy agent may too; busy only stops automatic assignment. */
  | { type: 'offer'; conversationId: string; departmentId: string; manual?: boolean; reply: Reply<boolean> }
  | { type: 'release'; conversationId: string }
  /** Set away by the system (ROUTE-13: after a response timeout, when the department says so). */
  | { type: 'away' }
  /** An assignment this agent accepted is now stored; an agent that went offline meanwhile gives it up. */
  | { type: 'confirm'; conversationId: string }
  /** The disconnect grace period that started at `epoch` ran out (ROUTE-14). */
  | { type: 'graceOver'; epoch: number };

/** An agent's status and load, with the ids of the conversations it serves (to resume after a reload). */
export interface AgentSummary {
  status: AgentStatus;
  active: number;
  max: number;
  conversations: string[];
}

interface State {
  status: AgentStatus;
  /** Counts grace periods, so that a timer from an earlier disconnect does nothing. */
  graceEpoch: number;
  graceTimer: TimerHandle | undefined;
  onlineSince: number;
  onlineOrder: number;
  connections: number;
  active: Set<string>;
}

export function agentBehavior(dir: Directory, profile: AgentProfile, restoredActive: readonly string[]): Behavior<State, AgentMsg> {
  const { runtime, notifier, clock } = dir.deps;
  const self = { key: `agent/${profile.id}` } as Ref<AgentMsg>;

  const pushLoad = (s: State): void => {
    const load: AgentLoad = {
      agentId: profile.id,
      name: profile.name,
      // Without a connection nobody can take a conversation, whatever the status says (ROUTE-14 grace).
      status: s.connections === 0 ? 'offline' : s.status,
      active: s.active.size,
      max: profile.maxConcurrent,
      onlineSince: s.onlineSince,
      onlineOrder: s.onlineOrder,
      weight: profile.weight,
      tier: profile.tier,
      skills: profile.skills,
    };
    for (const d of profile.departments) {
      const dept = dir.department(d);
      if (dept) runtime.tell(dept, { type: 'load', load });
    }
    notifier.send({ kind: 'staff', id: profile.id }, { type: 'agent_status', agentId: profile.id, status: s.status, active: s.active.size, max: profile.maxConcurrent });
  };

  const summary = (s: State): AgentSummary => ({ status: s.status, active: s.active.size, max: profile.maxConcurrent, conversations: [...s.active] });

  const setStatus = (s: State, status: AgentStatus): void => {
    if (status === s.status) return;
    // Round robin orders agents by when they came online (ROUTE-2).
    if (status === 'online' && s.status !== 'busy') {
      s.onlineSince = clock.now();
      s.onlineOrder = dir.nextOnlineOrder();
    }
    s.status = status;
    pushLoad(s);
  };

  /** Offline: every conversation the agent serves goes back to routing, keeping its history (ROUTE-14). */
  const goOffline = (s: State): void => {
    s.graceTimer?.cancel();
    s.graceTimer = undefined;
    setStatus(s, 'offline');
    for (const conversationId of s.active) runtime.tell(dir.conversationRef(conversationId), { type: 'agentGone', agentId: profile.id });
  };

  return {
    init: () => {
      const s: State = { status: 'offline', graceEpoch: 0, graceTimer: undefined, onlineSince: 0, onlineOrder: 0, connections: 0, active: new Set(restoredActive) };
      pushLoad(s);
      return s;
    },
    receive(s, msg) {
      switch (msg.type) {
        case 'connected':
          s.connections++;
          if (s.graceTimer) {
            // Back within the grace period: nothing is taken away.
            s.graceTimer.cancel();
            s.graceTimer = undefined;
          }
          if (s.connections === 1) pushLoad(s);
          return;
        case 'disconnected': {
          s.connections = Math.max(0, s.connections - 1);
          if (s.connections > 0 || s.status === 'offline') return;
          pushLoad(s);
          const epoch = ++s.graceEpoch;
          s.graceTimer?.cancel();
          s.graceTimer = clock.setTimer(dir.disconnectGraceSec * 1000, () => runtime.tell(self, { type: 'graceOver', epoch }));
          return;
        }
        case 'confirm':
          if (s.status === 'offline' && s.active.has(msg.conversationId)) {
            runtime.tell(dir.conversationRef(msg.conversationId), { type: 'agentGone', agentId: profile.id });
          }
          return;
        case 'graceOver':
          if (msg.epoch === s.graceEpoch && s.connections === 0 && s.status !== 'offline') goOffline(s);
          return;
        case 'setStatus':
          if (msg.status !== 'offline' && s.connections === 0) {
            return msg.reply(new ProtocolError('conflict', 'an agent without a connection cannot be online'));
          }
          if (msg.status === 'offline') goOffline(s);
          else setStatus(s, msg.status);
          msg.reply(summary(s));
          return;
        case 'describe':
          msg.reply(summary(s));
          return;
        case 'offer': {
          const available = s.connections > 0 && (s.status === 'online' || (msg.manual === true && s.status === 'busy'));
          const ok = available && s.active.size < profile.maxConcurrent && !s.active.has(msg.conversationId);
          if (ok) {
            s.active.add(msg.conversationId);
            pushLoad(s);
          }
          msg.reply(ok);
          return;
        }
        case 'away':
          if (s.status === 'online' || s.status === 'busy') setStatus(s, 'away');
          return;
        case 'release':
          if (s.active.delete(msg.conversationId)) pushLoad(s);
          return;
      }
    },
  };
}

export type AgentRef = Ref<AgentMsg>;
