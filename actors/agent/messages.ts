/** What an agent actor is told and asked, and how it describes itself. */
import type { AgentStatus } from '../../protocol/frames.js';
import type { Ref, Reply } from '../runtime.js';
import type { OfferAnswer } from '../department/messages.js';
import type { Caller } from '../notifier.js';
import type { TransferResult } from '../conversation/transfer-result.js';
import type { AgentProfile } from './profile.js';

/** What the agent's own record adds to a transfer it makes (ROLE-1). */
export interface TransferGrant {
  mayCrossDepartments: boolean;
}

export type AgentMsg =
  | { type: 'connected' }
  | { type: 'disconnected' }
  | { type: 'setStatus'; status: AgentStatus; reply: Reply<AgentSummary> }
  | { type: 'describe'; reply: Reply<AgentSummary> }
  /**
   * `manual`: the agent claims it (ROUTE-12), which a busy agent may too; busy only stops automatic assignment.
   * `acceptWithinMs` (offer mode, ROUTE-17): the slot is held while the agent decides; unanswered in time it is missed.
   */
  | {
      type: 'offer';
      conversationId: string;
      departmentId: string;
      visitorId?: string;
      manual?: boolean;
      /** SUP-3: a supervisor taking a conversation over takes it whatever their status and load. */
      force?: boolean;
      acceptWithinMs?: number;
      missesBeforeAway?: number;
      reply: (answer: OfferAnswer, reason?: string) => void;
    }
  /** The agent answers an offer (ROUTE-17). */
  | {
      type: 'answerOffer';
      conversationId: string;
      accept: boolean;
      reason?: string;
      reply: Reply<{ conversationId: string; accepted: boolean }>;
    }
  | { type: 'offerExpired'; conversationId: string }
  /** A measured figure of this agent's work (ROUTE-10). */
  | { type: 'figure'; kind: 'firstResponse' | 'response' | 'handle' | 'satisfaction'; value: number }
  | { type: 'release'; conversationId: string }
  /** Set away by the system (ROUTE-13: after a response timeout, when the department says so). */
  | { type: 'away' }
  /** An assignment this agent accepted is now stored; an agent that went offline meanwhile gives it up. */
  | { type: 'confirm'; conversationId: string }
  /** The disconnect grace period that started at `epoch` ran out (ROUTE-14). */
  | { type: 'graceOver'; epoch: number }
  /** MON-2: the load changes held back for the presence stream are due (presence.ts). */
  | { type: 'presenceDue' }
  /**
   * XFER-1/5: a transfer this staff member makes. The agent counts it against its role's daily limit
   * (refusing it at the limit), adds its grant, and hands it on (`handOn` answers false when it could not
   * be delivered); a transfer refused where it was handed on is given back to the count.
   */
  | {
      type: 'transfer';
      handOn: (grant: TransferGrant, reply: Reply<TransferResult>) => boolean;
      reply: Reply<TransferResult>;
    }
  /** XFER-5: today's count of this staff member's transfers and their role's daily limit (undefined: none). */
  | { type: 'transferAllowance'; reply: Reply<TransferAllowance> }
  /** A counted transfer did not happen after all. */
  | { type: 'uncountTransfer' }
  /**
   * SUP-4: `by` lends this agent to `department` for `minutes`; 0 ends the loan. Supervisors lend agents
   * of departments they lead, admins any.
   */
  | {
      type: 'loan';
      department: string;
      minutes: number;
      by: Pick<Caller, 'id' | 'role' | 'departments'>;
      reply: Reply<{ agentId: string; department: string; until: number }>;
    }
  /** SUP-4: the departments this agent is lent to now, whose queues it works too. */
  | { type: 'loans'; reply: Reply<{ departments: string[] }> }
  | { type: 'loanOver'; department: string; until: number }
  /** The staff member's routing fields changed (ROLE-3 over the admin API): they apply to the next offer. */
  | { type: 'reprofile'; profile: AgentProfile };

/** An agent's status and load, with the ids of the conversations it serves (to resume after a reload). */
export interface TransferAllowance {
  /** Transfers made today (UTC day). */
  used: number;
  limit?: number;
  /** `limit − used`, never below 0; absent without a limit. */
  left?: number;
  /** ROLE-1: may transfer to another department. */
  crossDepartments: boolean;
}

export interface AgentSummary {
  status: AgentStatus;
  active: number;
  max: number;
  conversations: string[];
}

export type AgentRef = Ref<AgentMsg>;
