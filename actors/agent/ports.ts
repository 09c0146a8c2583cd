/**
 * What an agent actor needs: its own records, the sockets of its staff
 * member, timers, the departments it pushes its load to, the conversations
 * it gives back, the workspace's grace period as last published, and the
 * department monitor it reports its figures to.
 */
import type { Deps } from '../deps.js';
import type { Ref, Runtime } from '../runtime.js';
import type { DepartmentMsg } from '../department/messages.js';
import type { AgentReport } from '../floor/messages.js';

export interface AgentPorts extends Pick<Deps, 'journal' | 'notifier' | 'clock' | 'log'> {
  readonly runtime: Pick<Runtime, 'tell'>;
  /** A running department, to push this agent's load to. */
  department(id: string): Ref<DepartmentMsg> | undefined;
  /** ROUTE-14: the agent is gone for good: the conversation goes back to routing. */
  agentGone(conversationId: string, agentId: string): void;
  /** A process-wide, strictly increasing number for each time an agent comes online (round robin order, ROUTE-2). */
  nextOnlineOrder(): number;
  /** ROUTE-14: seconds an agent who lost every connection has to come back, as published now. */
  disconnectGraceSec(): number;
  /** MON-1: this agent's status and load, for the department monitor. */
  report(report: AgentReport): void;
}
