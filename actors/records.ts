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
import type { AutoMessageKey, Language } from '../protocol/frames.js';

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
  /** The department this one sits under, for the console's tree; routing does not follow it. */
  parent?: string;
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
  /** XFER-1, ROLE-1: an agent may transfer to other departments only when granted (supervisors and admins always may). */
  crossDepartmentTransfer?: boolean;
  /** scrypt hash, see src/auth/passwords.ts. */
  passwordHash: string;
}

/**
 * ROLE-4: one sign-in. The tokens themselves are never stored: only their
 * sha256 (src/auth/tokens.ts), each also indexed by Keys.sessionToken.
 * A refresh replaces both tokens; revoking deletes the session and its
 * indexes.
 */
export interface SessionRecord {
  id: string;
  staffId: string;
  createdAt: number;
  accessHash: string;
  accessExpiresAt: number;
  refreshHash: string;
  refreshExpiresAt: number;
  /** Where the sign-in came from, when known. */
  ip?: string;
}

export interface SessionTokenRecord {
  sessionId: string;
  kind: 'access' | 'refresh';
}

export interface WorkspaceSettings {
  /** ROUTE-1: off = every conversation waits in its department's queue and agents pick (ROUTE-12). */
  autoAssign: boolean;
  /** ROUTE-14: seconds an agent who lost every connection has to come back before their conversations go to others. */
  disconnectGraceSec?: number;
  /** ROUTE-7: ordered keyword rules; the first rule that names an attribute decides it. */
  keywordRules?: KeywordRule[];
  /**
   * CUST-1: verified login. The company's server signs a user's external id with `secret`
   * (HMAC-SHA256, hex); `required` refuses logins that carry no signature instead of ignoring them.
   * Absent: the workspace accepts no logins.
   */
  verification?: VerificationSettings;
  /** XFER-2: the tags a transfer may carry. */
  tags?: string[];
  /** XFER-5: transfers a staff member of each role may make per day (UTC); absent = unlimited. */
  transferLimits?: Partial<Record<StaffRole, number>>;
  /** CONV-5: minutes without a customer message after which an assigned conversation is resolved as inactive; absent = never. */
  autoCloseAfterMin?: number;
  /** CONV-4: language of automatic messages when the widget names none. */
  defaultLanguage?: Language;
  /** CONV-4: automatic messages; absent texts use the built-in defaults, an empty text turns that message off. */
  autoMessages?: AutoMessageSettings;
}

export interface VerificationSettings {
  secret: string;
  required: boolean;
}

export interface AutoMessageSettings {
  /** Off: no automatic message at all. On when absent. */
  enabled?: boolean;
  texts?: Partial<Record<Language, Partial<Record<AutoMessageKey, string>>>>;
}

/** SUP-4: an agent lent to another department until `until` (ms). */
export interface LoanRecord {
  agentId: string;
  department: string;
  until: number;
  by: string;
}

/** XFER-5: transfers made on `day` (UTC, YYYY-MM-DD). */
export interface TransferCountRecord {
  day: string;
  count: number;
}

/** CONV-4: the customer's answer to the satisfaction survey. */
export interface RatingRecord {
  conversationId: string;
  agentId?: string;
  score: number;
  comment?: string;
  at: number;
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
  outcome: 'assigned' | 'queued' | 'sticky_wait' | 'overflow' | 'claimed' | 'transferred' | 'taken_over';
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

/** CUST-3: one customer: an anonymous visitor, or everyone who logged in with one verified external id. */
export interface CustomerRecord {
  id: string;
  name?: string;
  email?: string;
  phone?: string;
  /** Custom attributes set by staff (see CUSTOMER_LIMITS). */
  attributes: Record<string, string>;
  /** Feeds ConversationNeeds.vip of the customer's next conversations. */
  vip: boolean;
  /** CUST-1: the company's own user id, proven by a signed login. Absent for an anonymous visitor. */
  externalId?: string;
  /** Visitor ids linked to this customer now, oldest first. */
  visitorIds: string[];
  /** Anonymous customers whose visitor later logged in as this one: their conversations are this customer's history too. */
  merged?: string[];
  /** Set on an anonymous customer absorbed by a verified one. */
  mergedInto?: string;
  createdAt: number;
  updatedAt: number;
}

/** CUST-1: what the server knows of a visitor id beyond its conversations: the customer it is linked to, where it was last seen. */
export interface VisitorLinkRecord {
  visitorId: string;
  /** Absent: the visitor is its own, anonymous customer (see actors/customer-view.ts anonymousCustomerId). */
  customerId?: string;
  /** The remote address of the visitor's last hello, a weak hint only (CUST-1). */
  ip?: string;
  seenAt?: number;
}

/** CONV-2: which side of a conversation a read mark belongs to; every staff writer reads for the agent side. */
export type ReadSide = 'visitor' | 'agent';

/** CONV-2: how far one side of a conversation has read; only ever moves forward. */
export interface ReadMarkRecord {
  seq: number;
  /** Who moved it last. */
  by: { role: 'visitor' | 'agent' | 'system'; id: string };
  at: number;
}

/** CONV-3: a canned reply. Text is stored as written: placeholders such as {customer.name} are filled in by the console. */
export interface CannedReplyRecord {
  /** Issued by the server; sorts in creation order. */
  id: string;
  scope: 'workspace' | 'personal';
  /** Personal snippets: the staff member who owns them (the only one who sees them). */
  owner?: string;
  title: string;
  text: string;
  shortcut?: string;
  tags?: string[];
  updatedAt: number;
  /** The staff member who saved it last. */
  updatedBy: string;
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
  /** ROLE-4: sessions by id, tokens (by sha256) to their session, and each staff member's sessions. */
  session: (id: string): RecordKey => ['session', id],
  sessionToken: (hash: string): RecordKey => ['session-token', hash],
  staffSession: (staffId: string, sessionId: string): RecordKey => ['staff-session', staffId, sessionId],
  staffSessions: (staffId: string): RecordKey => ['staff-session', staffId],
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
  transferCount: (staffId: string): RecordKey => ['transfer-count', staffId],
  loan: (agentId: string, department: string): RecordKey => ['loan', agentId, department],
  loanPrefix: (agentId: string): RecordKey => ['loan', agentId],
  rating: (conversationId: string): RecordKey => ['rating', conversationId],
  /** seq of a message by its sender-scoped client message id (idempotent sends, OPS-2). */
  clientMsg: (conversationId: string, senderKey: string): RecordKey => ['cmid', conversationId, senderKey],
  /** CUST-3: a customer's profile. */
  customer: (customerId: string): RecordKey => ['customer', customerId],
  /** CUST-1: customer id by the verified external id. */
  customerByExternalId: (externalId: string): RecordKey => ['customer-ext', externalId],
  /** CUST-1: a visitor's link to its customer and where it was last seen. */
  visitorLink: (visitorId: string): RecordKey => ['visitor-link', visitorId],
  /** CUST-1: visitors by remote address, most recently seen first (the key holds MAX_SAFE_INTEGER - seenAt). */
  ipVisitor: (ip: string, seenAt: number, visitorId: string): RecordKey => ['ip-visitor', ip, Number.MAX_SAFE_INTEGER - seenAt, visitorId],
  ipVisitors: (ip: string): RecordKey => ['ip-visitor', ip],
  /** CUST-2: a customer's conversations, newest first (the key holds MAX_SAFE_INTEGER - createdAt); value CustomerConversationIndex. */
  customerConversation: (customerId: string, createdAt: number, conversationId: string): RecordKey => [
    'customer-conv',
    customerId,
    Number.MAX_SAFE_INTEGER - createdAt,
    conversationId,
  ],
  customerConversations: (customerId: string): RecordKey => ['customer-conv', customerId],
  /** CONV-2: one read mark per conversation and side. */
  readMark: (conversationId: string, side: ReadSide): RecordKey => ['read', conversationId, side],
  /** CONV-3: workspace snippets under ['canned', 'workspace'], each owner's personal ones under ['canned', 'personal', owner]. */
  canned: (r: Pick<CannedReplyRecord, 'id' | 'scope' | 'owner'>): RecordKey =>
    r.scope === 'workspace' ? ['canned', 'workspace', r.id] : ['canned', 'personal', r.owner ?? '', r.id],
  cannedWorkspace: ['canned', 'workspace'] as RecordKey,
  cannedPersonal: (owner: string): RecordKey => ['canned', 'personal', owner],
  allCanned: ['canned'] as RecordKey,
  /** CONV-1: an uploaded file's metadata (FileRecord), and its bytes. */
  file: (id: string): RecordKey => ['file', id],
  fileData: (id: string): RecordKey => ['file-data', id],
  /** ROLE-5: one audit log entry (actors/audit.ts); ids sort in the order they were written. */
  audit: (id: string): RecordKey => ['audit', id],
  allAudit: ['audit'] as RecordKey,
} as const;

/** CUST-2: the index entry of one of a customer's conversations, written with its `created` event. */
export interface CustomerConversationIndex {
  conversationId: string;
  visitorId: string;
  createdAt: number;
  department: string;
}

export const conversationStream = (id: string): string => `conv:${id}`;
