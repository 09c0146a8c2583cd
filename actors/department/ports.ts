/**
 * What a department actor needs: its settings as last published, its
 * members' agents (to offer to), its own queue, and the conversations it
 * routes (to hand them its outcomes). It never reads an agent's state: loads
 * arrive as messages.
 */
import type { Deps } from '../deps.js';
import type { Ref, Runtime } from '../runtime.js';
import type { DecisionRecord } from '../conversation/records.js';
import type { AgentMsg } from '../agent/messages.js';
import type { QueueMsg } from '../queue/messages.js';
import type { DepartmentRecord } from './records.js';

/** What the conversation is told when an agent accepted it. */
export interface Assignment {
  agentId: string;
  agentName: string;
  department: string;
  policy: string;
  record: DecisionRecord;
}

export interface DepartmentPorts extends Pick<Deps, 'clock' | 'log' | 'metrics'> {
  readonly runtime: Pick<Runtime, 'tell'>;
  /** This department's settings as published now; read at each use, so changes apply at once. */
  config(): DepartmentRecord | undefined;
  /** ROUTE-1 when the department starts; later switches arrive as `autoAssign` messages. */
  autoAssign(): boolean;
  agent(id: string): Ref<AgentMsg> | undefined;
  /** This department's own queue. */
  queue(): Ref<QueueMsg> | undefined;
  /** ROUTE-16: an outcome other than an assignment (queued, waiting for the last agent), for the conversation to store. */
  decided(conversationId: string, record: DecisionRecord): void;
  assigned(conversationId: string, assignment: Assignment): void;
  /** ROUTE-13/17: the conversation never goes to this agent again, across departments and restarts. */
  excluded(conversationId: string, agentId: string): void;
}
