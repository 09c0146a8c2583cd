/**
 * What a conversation is, as its events say: the view that the journal's
 * events build, the pure reducer `apply(view, event)` that builds it, and
 * the snapshot a recovery starts from. No effects here: the behaviour
 * appends, publishes and arms timers around it.
 */
import type { ConversationEvent, Language } from '../../protocol/frames.js';
import type { QueuedItem } from '../routing/queue-order.js';
import type { BacklogReason } from '../routing/needs.js';
import type { ConversationStatus } from './records.js';
import type { StaffRef } from '../agent/records.js';

export interface ConversationView {
  id: string;
  visitorId: string;
  department: string;
  status: ConversationStatus;
  agentId: string | undefined;
  agentName: string | undefined;
  /** seq of the current assignment, and whether its agent still owes a first reply (ROUTE-13). */
  assignedSeq: number;
  awaitingReply: boolean;
  place: QueuedItem | undefined;
  createdAt: number;
  /** The agent who served this visitor last (ROUTE-9); kept in the routing record, not in snapshots. */
  stickyAgent: string | undefined;
  /** Waiting as a left message, and why (QUEUE-4/6). */
  backlog: BacklogReason | undefined;
  /** When the current assignment was made, and since when a customer message waits for an answer (ROUTE-10 figures). */
  assignedAt: number;
  unansweredSince: number | undefined;
  /** CONV-4: language of the customer's automatic messages. */
  language: Language | undefined;
  /** SUP-2: staff who joined as visible participants. */
  joined: StaffRef[];
  /** XFER-4: a transfer waits for its receiving agent, who gets the handover when assigned. */
  handoverPending: boolean;
  /** CONV-5: when the customer last wrote (or the conversation opened). */
  lastVisitorAt: number;
}

/** What a snapshot record holds (its seq is stored beside it). */
export type Snapshot = Omit<ConversationView, 'stickyAgent'>;

/** A conversation before its `created` event. */
export const emptyView = (id: string): ConversationView => ({
  id,
  visitorId: '',
  department: '',
  status: 'new',
  agentId: undefined,
  agentName: undefined,
  assignedSeq: 0,
  awaitingReply: false,
  place: undefined,
  createdAt: 0,
  stickyAgent: undefined,
  backlog: undefined,
  assignedAt: 0,
  unansweredSince: undefined,
  language: undefined,
  joined: [],
  handoverPending: false,
  lastVisitorAt: 0,
});

/** The view after `e`; `v` is left as it was. */
export function apply<V extends ConversationView>(v: V, e: ConversationEvent): V {
  switch (e.type) {
    case 'created':
      return {
        ...v,
        visitorId: e.visitorId,
        department: e.department,
        createdAt: e.at,
        lastVisitorAt: e.at,
        language: e.language,
      };
    case 'message':
      // Only the assigned agent's reply answers the customer for ROUTE-10/13: a joined supervisor's words leave the agent's timer and figures alone.
      if (e.from.role === 'agent' && e.from.id === v.agentId)
        return { ...v, awaitingReply: false, unansweredSince: undefined };
      if (e.from.role === 'visitor') return { ...v, unansweredSince: v.unansweredSince ?? e.at, lastVisitorAt: e.at };
      return v;
    case 'queued':
      return { ...v, status: 'queued', department: e.department, backlog: e.reason };
    case 'assigned':
      return {
        ...v,
        status: 'assigned',
        agentId: e.agent.id,
        agentName: e.agent.name,
        assignedSeq: e.seq,
        assignedAt: e.at,
        awaitingReply: true,
        department: e.department,
        backlog: undefined,
        handoverPending: false,
        joined: v.joined.filter((j) => j.id !== e.agent.id),
      };
    case 'unassigned':
      return { ...v, status: 'new', agentId: undefined, agentName: undefined, awaitingReply: false };
    case 'resolved':
      // Resolving ends everyone's part in it: a supervisor who joined has nothing left to part from, and a reopen starts without her.
      return { ...v, status: 'resolved', joined: [] };
    case 'transferred':
      return {
        ...v,
        status: 'new',
        agentId: undefined,
        agentName: undefined,
        awaitingReply: false,
        department: e.department,
        place: undefined,
        backlog: undefined,
        handoverPending: true,
      };
    case 'joined':
      return { ...v, joined: [...v.joined.filter((j) => j.id !== e.staff.id), e.staff] };
    case 'parted':
      return { ...v, joined: v.joined.filter((j) => j.id !== e.staff.id) };
    case 'reopened':
      return {
        ...v,
        status: 'new',
        // XFER-7: back to the agent who served it, when possible.
        stickyAgent: v.agentId ?? v.stickyAgent,
        agentId: undefined,
        agentName: undefined,
        awaitingReply: false,
        place: undefined,
        backlog: undefined,
        lastVisitorAt: e.at,
      };
  }
  return v;
}

/** The durable fields of a view, for a snapshot record. */
export const snapshotOf = (v: ConversationView): Snapshot => ({
  id: v.id,
  visitorId: v.visitorId,
  department: v.department,
  status: v.status,
  agentId: v.agentId,
  agentName: v.agentName,
  assignedSeq: v.assignedSeq,
  awaitingReply: v.awaitingReply,
  place: v.place,
  createdAt: v.createdAt,
  backlog: v.backlog,
  assignedAt: v.assignedAt,
  unansweredSince: v.unansweredSince,
  language: v.language,
  joined: v.joined,
  handoverPending: v.handoverPending,
  lastVisitorAt: v.lastVisitorAt,
});
