/** What a department actor is told: agents' loads and answers, conversations to route, its queue's reports. */
import type { Candidate, Decision } from '../routing/decision.js';
import type { QueuedItem } from '../routing/queue-order.js';
import type { BacklogReason, ConversationNeeds } from '../routing/needs.js';
import type { Ref, Reply } from '../runtime.js';

/** What an agent pushes to its departments: a candidate's figures less what only the department knows. */
export type AgentLoad = Omit<Candidate, 'pending' | 'lastAssignedAt' | 'assignedInWindow'>;

/**
 * An agent's answer to an offer: `refused` when it had no free slot or was
 * not available (another candidate is tried, the agent may get it later);
 * `declined` and `missed` (ROUTE-17) keep the agent from ever being offered
 * this conversation again.
 */
export type OfferAnswer = 'accepted' | 'refused' | 'declined' | 'missed';

/** What routing knows of a conversation, carried through the queue and back. */
export interface RouteRequest {
  conversationId: string;
  visitorId: string;
  needs?: ConversationNeeds;
  place?: QueuedItem;
  /** Agents this conversation must never be offered again (timed out on it, declined or missed its offer). */
  exclude?: readonly string[];
  /** ROUTE-9: the agent who served this visitor last, and until when the conversation waits for them. */
  stickyAgent?: string;
  stickyUntil?: number;
  /** QUEUE-4/6: it waits as a left message. */
  backlog?: BacklogReason;
  /** XFER-7: a reopened conversation goes to stickyAgent when free, whatever the department's sticky setting. */
  preferSticky?: boolean;
}

export type DepartmentMsg =
  | { type: 'load'; load: AgentLoad }
  | ({ type: 'route'; fromQueue?: boolean } & RouteRequest)
  | { type: 'offerResult'; conversationId: string; agentId: string; answer: OfferAnswer; reason?: string }
  /** A pull of `asked` took `short` fewer: they were gone (left) or no free agent may take them; they count as queued again. */
  | { type: 'pullShort'; short: number; asked: number }
  /** A waiting conversation left the queue without being pulled (QUEUE-5, overflow). */
  | { type: 'dequeued' }
  /** A waiting conversation's needs widened or its wait for its last agent ended: a free agent may now take it. */
  | { type: 'recheck' }
  /** ROUTE-1: automatic assignment switched on or off for the workspace. */
  | { type: 'autoAssign'; enabled: boolean }
  /** The conversation ended while being routed (QUEUE-5): take back any offer of it, try nobody else. */
  | { type: 'withdraw'; conversationId: string }
  /** MON-4: what it would do with a new conversation now; changes nothing, offers nothing. */
  | ({ type: 'preview'; reply: Reply<PlacementPreview> } & PreviewRequest);

export type DepartmentRef = Ref<DepartmentMsg>;

/** Why the conversation would wait rather than be offered to an agent. */
export const PreviewWaits = [
  'closed',
  'auto_assign_off',
  'others_waiting',
  'no_agents_online',
  'nobody_eligible',
  'sticky_wait',
] as const;
export type PreviewWait = (typeof PreviewWaits)[number];

export interface PlacementPreview {
  department: string;
  /** `offered`: it would be offered to `agentId` at once (in offer mode the agent then has to accept, ROUTE-17). */
  outcome: 'offered' | 'queued';
  agentId?: string;
  agentName?: string;
  wait?: PreviewWait;
  /** The policy runs, as a real route would record them (ROUTE-16); none when admission queued it first. */
  decisions: Decision[];
  /** Agents of the department with what routing knows of them now. */
  members: number;
  /** What the department counts as waiting or being pulled from its queue. */
  waiting: number;
}

export interface PreviewRequest {
  needs: ConversationNeeds;
  /** ROUTE-9: the agent who served this customer last. */
  stickyAgent?: string;
}
