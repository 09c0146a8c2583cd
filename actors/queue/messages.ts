/** What a queue actor is told and asked, and what it lists. */
import type { Ref, Reply } from '../runtime.js';
import type { Candidate } from '../routing/decision.js';
import type { QueuedItem } from '../routing/queue-order.js';
import type { BacklogReason, ConversationNeeds } from '../routing/needs.js';
import type { RouteRequest } from '../department/messages.js';

export interface QueueEntry extends RouteRequest {
  place: QueuedItem;
  needs: ConversationNeeds;
}

export type QueueMsg =
  /** Add a conversation; `place` given when it was queued before (it keeps it), else `priority`/`needs.priority` for a new one. */
  | ({ type: 'enqueue' } & RouteRequest)
  /** The department has `slots` free among the agents `free`: hand back up to that many, in order, that one of them may take. */
  | { type: 'pull'; slots: number; free: readonly Candidate[] }
  /** The conversation ended while waiting (QUEUE-5) or moved away: drop it; the others move up. */
  | { type: 'remove'; conversationId: string }
  /** Tell a waiting customer their position again (they reconnected). */
  | { type: 'remind'; conversationId: string }
  /** A waiting time reached a step: apply overflows, let the department look again. */
  | { type: 'tick' }
  /**
   * The waiting conversations, line first then left messages, for staff to pick from (ROUTE-12).
   * `watch`: that connection then gets a `queue_update` with the whole list whenever it changes.
   */
  | { type: 'list'; reply: Reply<{ department: string; waiting: WaitingSummary[] }>; watch?: number }
  /** The connection no longer follows the list (it closed). */
  | { type: 'unwatch'; connectionId: number }
  /** The interval between two lists to the watchers ended: send what changed meanwhile. */
  | { type: 'sendUpdate' }
  /** MON-4: the place a newcomer of this priority would get now; changes nothing, tells nobody. */
  | { type: 'preview'; priority: number; reply: Reply<QueuePreview> };

/** Where a newcomer would wait (QUEUE-1, QUEUE-2, QUEUE-4). */
export interface QueuePreview {
  /** Place in line; absent when the line is full and it would wait as a left message (`queue_full`). */
  position?: number;
  estimatedWaitSeconds?: number;
  /** The live line's length now, and its maximum (QUEUE-4) if set. */
  length: number;
  maxLength?: number;
  backlog?: 'queue_full';
}

export interface WaitingSummary {
  conversationId: string;
  /** Place in line; absent for a left message. */
  position?: number;
  waitingSince: number;
  priority: number;
  skills: string[];
  backlog?: BacklogReason;
}

export type QueueRef = Ref<QueueMsg>;
