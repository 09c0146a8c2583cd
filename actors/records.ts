/**
 * Durable records (not events) that the actors keep in the store, and their
 * keys. Configuration is stored as its current value; conversations keep an
 * `open` index record so a restart can rebuild queues and agent loads without
 * reading every conversation's journal.
 */
import type { RecordKey } from './journal.js';
import type { AgentFigures, Decision, PolicyName, Tier } from './routing/decision.js';
import type { QueuedItem } from './routing/queue-order.js';
import type { KeywordRule, RuleMatch } from './routing/keyword-rules.js';
import type { LoadIndexWeights } from './routing/load-index.js';
import type { BusinessHours } from './routing/business-hours.js';

export type StaffRole = 'agent' | 'supervisor' | 'admin';

export interface DepartmentRecord {
  id: string;
  name: string;
  /** Default maximum concurrent conversations per agent (ROUTE-11). */
  defaultMaxConcurrent: number;
  /** Creation order; the first department is where `start` without a department goes. */
  order: number;
  /** Assignment policy; round robin when absent. */
  policy?: PolicyName;
  /** ROUTE-13: seconds the assigned agent has for a first reply before the conversation goes to the next agent; off when absent. */
  responseTimeoutSec?: number;
  /** ROUTE-13: set the agent `away` when that happens. */
  awayAfterResponseTimeout?: boolean;
  /** ROUTE-9: a returning customer goes to the agent who served them last, if eligible with a free slot. */
  sticky?: boolean;
  /** ROUTE-9: seconds to wait for that agent (while they are not offline) before normal routing; 0 = do not wait. */
  stickyWaitSec?: number;
  /** ROUTE-17: `auto` (default) assigns at once; `offer` makes the agent accept within offerTimeoutSec. */
  offerMode?: 'auto' | 'offer';
  offerTimeoutSec?: number;
  /** ROUTE-17: unanswered offers in a row after which the agent is set `away`. */
  offerMissesBeforeAway?: number;
  /** ROUTE-18 widening steps, in seconds of waiting; ROUTE-15 overflow is the last. */
  widening?: WideningSteps;
  /** ROUTE-19: at most `max` assignments per agent per window of `windowSec`. */
  fairnessCap?: { max: number; windowSec: number };
  /** ROUTE-10: weights of the load index for the `smart` policy (defaults in routing/load-index.ts). */
  loadIndexWeights?: Partial<LoadIndexWeights>;
  /** QUEUE-4: waiting customers beyond this many are offered to leave a message instead. */
  maxQueueLength?: number;
  /** QUEUE-6: outside these hours customers are told so and may leave a message. */
  hours?: BusinessHours;
}

export interface WideningSteps {
  /** After this many seconds the conversation's required skills are dropped. */
  dropSkillsAfterSec?: number;
  /** After this many seconds the next tier up may take it too. */
  nextTierAfterSec?: number;
  /** After this many seconds it moves to `overflowTo`'s queue (ROUTE-15). */
  overflowAfterSec?: number;
  overflowTo?: string;
}

export interface StaffRecord {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  departments: string[];
  /** Per-agent override of the departments' default capacity. */
  maxConcurrent?: number;
  /** In-group priority for weighted round robin (ROUTE-4); 1 when absent. */
  weight?: number;
  /** 1 = first line (default), 2 = specialist, 3 = senior (ROUTE-5). */
  tier?: Tier;
  /** Skill tags (ROUTE-6). */
  skills?: string[];
  /** sha256 of the demo sign-in token, hex. */
  tokenHash: string;
  /** scrypt hash, see src/auth/passwords.ts. */
  passwordHash: string;
}

export interface WorkspaceSettings {
  /** ROUTE-1: off = every conversation waits in its department's queue and agents pick (ROUTE-12). */
  autoAssign: boolean;
  /** ROUTE-14: seconds an agent who lost every connection has to come back before their conversations go to others. */
  disconnectGraceSec?: number;
  /** ROUTE-7: ordered keyword rules; the first rule that names an attribute decides it. */
  keywordRules?: KeywordRule[];
}

export const defaultWorkspaceSettings: WorkspaceSettings = { autoAssign: true };
export const DEFAULT_DISCONNECT_GRACE_SEC = 60;

export type ConversationStatus = 'new' | 'queued' | 'assigned' | 'resolved';

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

/** Why a customer was offered to leave a message instead of waiting in line (QUEUE-4, QUEUE-6). */
export type BacklogReason = 'queue_full' | 'no_agents_online' | 'closed';

/** What a conversation asks of its agent and its queue priority, as settled by keyword rules and the customer profile. */
export interface ConversationNeeds {
  skills: string[];
  /** 2 = needs a specialist (ROUTE-5). */
  tier: 1 | 2;
  vip: boolean;
  /** Queue priority, 0–10 (QUEUE-2). */
  priority: number;
}

export const defaultConversationNeeds: ConversationNeeds = { skills: [], tier: 1, vip: false, priority: 0 };

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
  outcome: 'assigned' | 'queued' | 'sticky_wait' | 'overflow' | 'claimed';
  agentId?: string;
  /** Each policy run of this outcome, in order: a refused or declined offer leads to the next. */
  decisions: (Decision & { answer?: string })[];
  note?: string;
}

/** An agent's live figures (ROUTE-10), kept across restarts. */
export interface AgentStatsRecord {
  figures: AgentFigures;
  samples: { firstResponse: number; response: number; handle: number; satisfaction: number };
}

export interface VisitorRecord {
  visitorId: string;
  openConversationId?: string;
  lastConversationId?: string;
  /** ROUTE-9: who served the visitor's last conversation. */
  lastAgentId?: string;
}

/** A staff member as named in records other staff read (transfers, notes, joins). */
export interface StaffRef {
  id: string;
  name: string;
  role: StaffRole;
}

/** SUP-5: an internal note on a conversation; kept outside its journal, so no path delivers it to the customer. */
export interface NoteRecord {
  id: string;
  conversationId: string;
  at: number;
  author: StaffRef;
  text: string;
}

/** XFER-6: one transfer of a conversation, numbered in order; the chain is read with Keys.transfers. */
export interface TransferRecord {
  n: number;
  conversationId: string;
  at: number;
  /** Who asked for it: the serving agent (XFER-1) or a supervisor re-assigning (SUP-4). */
  by: StaffRef;
  /** The agent who served it before, if any. */
  from?: { id: string; name: string };
  fromDepartment: string;
  to: { kind: 'agent'; id: string; name: string; department: string } | { kind: 'department'; department: string };
  note: string;
  tags: string[];
  reason?: string;
}

/** CONV-1: an uploaded file's metadata; its bytes are the record at Keys.fileData, written in the same transaction. */
export interface FileRecord {
  id: string;
  /** The conversation it was uploaded to: only its readers may download it, only there may it be sent. */
  conversationId: string;
  /** Who uploaded it (uploaderOf): only they may send it in a message. */
  uploader: string;
  name: string;
  type: string;
  size: number;
  at: number;
  /** hex, of the bytes as stored. */
  sha256: string;
}

/** A file's uploader as stored: visitor and staff ids are separate namespaces, so the kind is part of it. */
export const uploaderOf = (c: { role: string; id: string }): string => `${c.role === 'visitor' ? 'visitor' : 'staff'}:${c.id}`;

export const Keys = {
  department: (id: string): RecordKey => ['department', id],
  departments: ['department'] as RecordKey,
  staff: (id: string): RecordKey => ['staff', id],
  allStaff: ['staff'] as RecordKey,
  open: (conversationId: string): RecordKey => ['open', conversationId],
  allOpen: ['open'] as RecordKey,
  visitor: (visitorId: string): RecordKey => ['visitor', visitorId],
  allVisitors: ['visitor'] as RecordKey,
  settings: ['settings', 'workspace'] as RecordKey,
  /** The key that signs visitor ids (actors/visitor-ids.ts). */
  visitorIdKey: ['secret', 'visitor-id'] as RecordKey,
  routing: (conversationId: string): RecordKey => ['routing', conversationId],
  decision: (conversationId: string, n: number): RecordKey => ['decision', conversationId, n],
  decisions: (conversationId: string): RecordKey => ['decision', conversationId],
  agentStats: (staffId: string): RecordKey => ['agent-stats', staffId],
  note: (conversationId: string, n: number): RecordKey => ['note', conversationId, n],
  notes: (conversationId: string): RecordKey => ['note', conversationId],
  transfer: (conversationId: string, n: number): RecordKey => ['transfer', conversationId, n],
  transfers: (conversationId: string): RecordKey => ['transfer', conversationId],
  /** seq of a message by its sender-scoped client message id (idempotent sends, OPS-2). */
  clientMsg: (conversationId: string, senderKey: string): RecordKey => ['cmid', conversationId, senderKey],
  /** CONV-1: an uploaded file's metadata (FileRecord), and its bytes. */
  file: (id: string): RecordKey => ['file', id],
  fileData: (id: string): RecordKey => ['file-data', id],
} as const;

export const conversationStream = (id: string): string => `conv:${id}`;
