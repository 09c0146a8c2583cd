/** What the department monitor (MON-1) is told: figures from the actors that own them, and who watches. */
import type { AgentStatus, ConversationSummary, DepartmentFigures } from '../../protocol/frames.js';
import type { Reply } from '../runtime.js';

/** An agent's status and load, from its own actor, with every department it is listed in (loans included). */
export interface AgentReport {
  agentId: string;
  name: string;
  status: AgentStatus;
  active: number;
  max: number;
  departments: readonly string[];
}

/** A queue's line, from the queue actor. */
export interface QueueReport {
  department: string;
  length: number;
  backlog: number;
  /** When the longest-waiting entry (line or backlog) entered; undefined when nobody waits. */
  oldestQueuedAt: number | undefined;
}

export interface FloorSnapshot {
  at: number;
  departments: DepartmentFigures[];
}

export type FloorMsg =
  | { type: 'agent'; report: AgentReport }
  | { type: 'queue'; report: QueueReport }
  /** A conversation's committed change, as the live view (actors/monitor.ts) publishes it. */
  | { type: 'conversation'; conversation: ConversationSummary; event: string; previousDepartment?: string }
  /** `departments` undefined: every department (admins). Answered with the whole figures of what is watched. */
  | { type: 'watch'; connectionId: number; departments: readonly string[] | undefined; reply: Reply<FloorSnapshot> }
  | { type: 'unwatch'; connectionId: number; reply?: Reply<{ watching: boolean }> }
  /** XFER-1: the whole figures of `departments` once, without watching (the transfer dialog's colleagues and load). */
  | { type: 'figures'; departments: readonly string[]; reply: Reply<FloorSnapshot> }
  /** How many connections watch now (tests, operations). */
  | { type: 'watchers'; reply: Reply<number> }
  | { type: 'flush' }
  | { type: 'midnight' };
