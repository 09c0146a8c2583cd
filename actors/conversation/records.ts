/**
 * The conversation's durable records (not events): the `open` index record
 * that lets a restart rebuild queues and agent loads without reading every
 * conversation's journal, its routing record and decisions, notes,
 * transfers, rating and read marks, and the name of its journal stream.
 * Every key is spelled in actors/keyspace.ts.
 */
import type { ConversationStatus, ParticipantRole } from '../../protocol/vocabulary.js';
import type { Decision } from '../routing/decision.js';
import type { QueuedItem } from '../routing/queue-order.js';
import type { RuleMatch } from '../routing/keyword-rules.js';
import type { BacklogReason, ConversationNeeds } from '../routing/needs.js';

export type { ConversationStatus };

/** Summary of an open (not resolved) conversation. */
export interface OpenConversationRecord {
  id: string;
  visitorId: string;
  department: string;
  status: ConversationStatus;
  agentId?: string;
  /** Place in the queue, handed out on first entry: queue order survives restarts. */
  place?: QueuedItem;
  createdAt: number;
  /** What the conversation asks of its agent (keyword rules, VIP); absent = anyone of tier 1. */
  needs?: ConversationNeeds;
  /** QUEUE-4/6: it waits as a left message (why), not in the live queue. */
  backlog?: BacklogReason;
  /** ROUTE-9: the agent who served this visitor last. */
  stickyAgent?: string;
  /** Agents never to offer it to again. */
  exclude?: string[];
}

/** How a conversation was routed (ROUTE-7, ROUTE-8): readable by staff, never sent to the visitor. */
export interface RoutingRecord {
  /** The department the widget named, if any (ROUTE-8). */
  entry?: string;
  /** The department routing started in. */
  department: string;
  /** Every keyword rule that matched, in rule order, with the message seq it matched. */
  matches: (RuleMatch & { seq: number })[];
  needs: ConversationNeeds;
  /** The customer's first message has been matched (later ones only by rules that say so). */
  firstMessageSeen?: boolean;
  /** ROUTE-9: the agent who served this visitor last, when the conversation opened. */
  stickyAgent?: string;
  /** Agents never to offer it to again (response timeout, declined or missed offer: ROUTE-13, ROUTE-17). */
  excluded?: string[];
}

/** One routing outcome of a conversation (ROUTE-16), stored with it. */
export interface DecisionRecord {
  at: number;
  department: string;
  outcome: 'assigned' | 'queued' | 'sticky_wait' | 'overflow' | 'claimed' | 'transferred' | 'taken_over';
  agentId?: string;
  /** Each policy run of this outcome, in order: a refused or declined offer leads to the next. */
  decisions: (Decision & { answer?: string })[];
  note?: string;
}

/**
 * SUP-5: an internal note on a conversation; kept outside its journal, so no
 * path delivers it to the customer. XFER-6: one transfer of a conversation,
 * numbered in order; the chain is read with Keys.transfers. Staff read both
 * as they are stored (the `customer` ack), so the stored shape is the wire
 * shape of protocol/customer-view.ts.
 */
export type { CustomerNote as NoteRecord, CustomerTransfer as TransferRecord } from '../../protocol/customer-view.js';

/** CONV-4: the customer's answer to the satisfaction survey. */
export interface RatingRecord {
  conversationId: string;
  agentId?: string;
  score: number;
  comment?: string;
  at: number;
}

/** WEB-3: a conversation an agent was serving when it was resolved (the console's recently resolved list). */
export interface ResolvedByRecord {
  conversationId: string;
  at: number;
  department: string;
  summary?: string;
}

/** CONV-2: which side of a conversation a read mark belongs to; every staff writer reads for the agent side. */
export type ReadSide = Exclude<ParticipantRole, 'system'>;

/** CONV-2: how far one side of a conversation has read; only ever moves forward. */
export interface ReadMarkRecord {
  seq: number;
  /** Who moved it last. */
  by: { role: ParticipantRole; id: string };
  at: number;
}

export const conversationStream = (id: string): string => `conv:${id}`;
