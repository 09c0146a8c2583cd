/**
 * A conversation actor's whole state: the view its events build
 * (state.ts) plus what it keeps only while it runs: seqs in flight, the
 * connections that follow it, timers, counters. Never snapshotted.
 */
import type { FileRef, Participant } from '../../protocol/frames.js';
import type { TimerHandle } from '../clock.js';
import type { Caller } from '../notifier.js';
import type { Reply } from '../runtime.js';
import type { ConversationNeeds } from '../routing/needs.js';
import type { ClientMsgFilter } from './client-msg-filter.js';
import type { SendResult } from './messages.js';
import type { ConversationView } from './state.js';

/** A customer's message to a resolved conversation, held while the workspace agrees to reopen it. */
export interface PendingSend {
  from: Participant;
  clientMsgId: string | undefined;
  text: string | undefined;
  file?: FileRef;
  reply: Reply<SendResult>;
}

/** The view the events build, plus what the actor keeps at run time (never snapshotted). */
export interface State extends ConversationView {
  /** What it asks of its agent and its queue priority (ROUTE-5/6/7, QUEUE-2). */
  needs: ConversationNeeds;
  /** Agents never to be offered it again, kept across queues, departments and restarts. */
  excluded: string[];
  /** Routing outcomes stored so far (ROUTE-16); the next one's number. */
  decisionCount: number;
  /** Last seq issued (committed or in flight). */
  seq: number;
  /** Last seq known committed; resume reads up to here, later events reach clients on commit. */
  committedSeq: number;
  /**
   * Recent `sender:clientMsgId` → seq, so a retried send is stored once
   * (OPS-2). Bounded: older ids are found in their index records, so memory
   * and snapshots do not grow with the conversation's history.
   */
  recentClientMsgIds: Map<string, number>;
  /** True while recentClientMsgIds holds every id of the conversation: a miss then needs no store lookup. */
  recentComplete: boolean;
  /** Every `sender:clientMsgId` of the conversation, as a Bloom filter: a miss needs neither lookup (client-msg-filter.ts). */
  clientMsgFilter: ClientMsgFilter;
  /** Appends issued and not yet settled, by seq; each resolves on commit and rejects on failure. */
  writes: Map<number, Promise<void>>;
  /** A write failed: memory is ahead of the store until every issued write settles and state is rebuilt. */
  broken: boolean;
  /** Route again after the rebuild: the failed write was an assignment. */
  rerouteAfterRecover: boolean;
  eventsSinceSnapshot: number;
  /**
   * Connections that receive this conversation's events as they commit: the
   * one that started it, those that resumed it, and the assigned agent's. A
   * connection joins in the same actor turn as its replay ends, so it gets
   * every event exactly once and in order (OPS-2).
   */
  subscribers: Map<number, Subscriber>;
  /** Runs out when the assigned agent has not replied in time (ROUTE-13); real or virtual clock. */
  responseTimer: TimerHandle | undefined;
  autoCloseTimer: TimerHandle | undefined;
  /** Transfers and notes stored so far: the next one's number. */
  transferCount: number;
  noteCount: number;
  /** An offer to a transfer's target agent is in flight. */
  transferring: boolean;
  /** XFER-7: customer messages waiting for the workspace to agree to reopen. */
  reopening: PendingSend[] | undefined;
  /** The routing record says the first message was seen: later messages need that record only when a keyword rule matches. */
  firstMessageSeen: boolean;
}

/**
 * A connection that follows the conversation. `from`: every event from this
 * seq on has been sent to it (replayed by its resume, or live since it
 * started to follow), so its later resumes replay only the events before
 * `from` (OPS-2: live events and a replay never overlap on one connection).
 */
export interface Subscriber {
  role: Caller['role'];
  id: string;
  departments?: Caller['departments'];
  from: number;
}
