/**
 * The conversation actor's vocabulary: the messages it accepts and the
 * answers it gives. Other actors and the gateway import only this (and
 * index.ts), never the behaviour.
 */
import type { CustomerChanges, Language, Participant, ResolvedEvent } from '../../protocol/frames.js';
import type { Ref, Reply } from '../runtime.js';
import type { Caller } from '../notifier.js';
import type { QueuedItem } from '../routing/queue-order.js';
import type { ReadMarks, ReadResult } from './presence.js';
import type { BacklogReason } from '../routing/needs.js';
import type { ConversationStatus, DecisionRecord, NoteRecord, RoutingRecord, TransferRecord } from './records.js';
import type { CustomerView } from '../customer-view.js';
import type { TransferResult } from './transfer-result.js';

export type { TransferResult };

export interface SendResult {
  conversationId: string;
  seq: number;
  messageId: string;
  duplicate: boolean;
}

export interface CloseResult {
  conversationId: string;
  seq: number;
  reason?: ResolvedEvent['reason'];
}

/** Who a transfer goes to, as resolved by the gateway (the agent's name and departments looked up). */
export type TransferTo =
  | { kind: 'agent'; id: string; name: string; departments: readonly string[] }
  | { kind: 'department'; department: string };

export interface ResumeResult {
  conversationId: string;
  fromSeq: number;
  /** The last seq replayed. */
  lastSeq: number;
  status: ConversationStatus;
  /** More events remain: resume again from lastSeq. Live events start only after the last page. */
  more: boolean;
  /** CONV-2: how far each side has read. */
  read: ReadMarks;
}

/** How a conversation was routed and every routing outcome since (ROUTE-7, ROUTE-16): staff only. */
export interface Explanation {
  conversationId: string;
  department: string;
  status: ConversationStatus;
  routing?: RoutingRecord;
  decisions: DecisionRecord[];
}

export type ConversationMsg =
  /** `routing`: what keyword rules and the widget's entry point settled (ROUTE-7, ROUTE-8). */
  | {
      type: 'create';
      caller: Caller;
      department: string;
      text?: string;
      clientMsgId?: string;
      routing?: RoutingRecord;
      language?: Language;
      reply: Reply<SendResult>;
    }
  /**
   * Without clientMsgId the message cannot be deduplicated (a start's text when a conversation is open).
   * `fileId`: a file the caller uploaded to this conversation (CONV-1).
   */
  | { type: 'send'; caller: Caller; clientMsgId?: string; text?: string; fileId?: string; reply: Reply<SendResult> }
  /** CONV-1: may the caller upload to (write) or download from (read) this conversation? The rules of send and resume. */
  | { type: 'access'; caller: Caller; write: boolean; reply: Reply<{ conversationId: string }> }
  | { type: 'resume'; caller: Caller; lastSeq: number; reply: Reply<ResumeResult> }
  | { type: 'queued'; department: string; place: QueuedItem; backlog?: BacklogReason; position?: number }
  | { type: 'assign'; agentId: string; agentName: string; department: string; policy: string; record: DecisionRecord }
  /** A routing outcome that is not an assignment (queued, waiting for the last agent), to store (ROUTE-16). */
  | { type: 'decided'; record: DecisionRecord }
  /** ROUTE-15: waited too long; move to the fallback department's queue. */
  | { type: 'overflow'; from: string; to: string }
  | { type: 'explain'; caller: Caller; reply: Reply<Explanation> }
  /** CUST-2/3: the view of its customer for staff who may read it, after storing `changes` if given. */
  | { type: 'customer'; caller: Caller; changes?: CustomerChanges; reply: Reply<CustomerView> }
  /** After a restart: start the response timer again if one was running. */
  | { type: 'rearm' }
  /** ROUTE-13/17: never offer this conversation to the agent again (timed out, declined or missed its offer). */
  | { type: 'exclude'; agentId: string }
  | { type: 'route' }
  /** ROUTE-14: the agent went offline (or did not come back within the grace period). */
  | { type: 'agentGone'; agentId: string }
  /** ROUTE-13: the response timer of the assignment at `assignedSeq` ran out. */
  | { type: 'responseTimeout'; agentId: string; assignedSeq: number }
  /** Sent to itself once every write issued before a failed one has settled. */
  | { type: 'recover' }
  | { type: 'resolve'; caller: Caller; summary?: string; reply: Reply<CloseResult> }
  | { type: 'leave'; caller: Caller; reply: Reply<CloseResult> }
  /**
   * ROUTE-12: a staff member takes a waiting conversation, or a supervisor or admin gives it to `agent`;
   * that agent's actor must accept it like any offer.
   */
  | {
      type: 'claim';
      caller: Caller;
      agent: { id: string; name: string };
      reply: Reply<{ conversationId: string; seq: number; agentId: string }>;
    }
  | {
      type: 'claimAnswer';
      caller: Caller;
      agent: { id: string; name: string };
      accepted: boolean;
      reply: Reply<{ conversationId: string; seq: number; agentId: string }>;
    }
  /** XFER-1, SUP-4: hand it to a colleague or a department. `mayCrossDepartments`: the caller's grant (ROLE-1). */
  | {
      type: 'transfer';
      caller: Caller;
      to: TransferTo;
      note: string;
      tags: string[];
      reason?: string;
      mayCrossDepartments: boolean;
      reply: Reply<TransferResult>;
    }
  /** `department`: where the target agent takes it, as settled when the transfer was checked. */
  | {
      type: 'transferAnswer';
      request: Extract<ConversationMsg, { type: 'transfer' }>;
      department: string;
      accepted: boolean;
      why?: string;
    }
  | { type: 'transfers'; caller: Caller; reply: Reply<{ conversationId: string; transfers: TransferRecord[] }> }
  | { type: 'note'; caller: Caller; text: string; reply: Reply<NoteRecord> }
  | { type: 'notes'; caller: Caller; reply: Reply<{ conversationId: string; notes: NoteRecord[] }> }
  | { type: 'join'; caller: Caller; reply: Reply<{ conversationId: string; seq: number }> }
  | { type: 'part'; caller: Caller; reply: Reply<{ conversationId: string; seq: number }> }
  | { type: 'takeover'; caller: Caller; reply: Reply<{ conversationId: string; seq: number; agentId: string }> }
  | {
      type: 'takeoverAnswer';
      caller: Caller;
      accepted: boolean;
      reply: Reply<{ conversationId: string; seq: number; agentId: string }>;
    }
  /** CONV-4: the customer's satisfaction answer. */
  | {
      type: 'rate';
      caller: Caller;
      score: number;
      comment?: string;
      reply: Reply<{ conversationId: string; score: number }>;
    }
  /** XFER-7: the workspace's answer to a reopen. */
  | { type: 'reopenAnswer'; ok: boolean }
  /** CONV-5: the inactivity timer ran out. */
  | { type: 'autoClose' }
  /** CONV-2 (presence.ts): a writer types, or has read up to seq; typingExpired comes from its own timer. */
  | { type: 'typing'; caller: Caller; typing: boolean; reply: Reply<{ conversationId: string }> }
  | { type: 'read'; caller: Caller; seq: number; reply: Reply<ReadResult> }
  | { type: 'typingExpired'; from: Participant; token: number };

export type ConversationRef = Ref<ConversationMsg>;
