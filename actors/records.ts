/**
 * Durable records (not events) that the actors keep in the store, and their
 * keys. Configuration is stored as its current value; conversations keep an
 * `open` index record so a restart can rebuild queues and agent loads without
 * reading every conversation's journal.
 */
import type { RecordKey } from './journal.js';
import type { PolicyName, Tier } from './routing/decision.js';
import type { QueuedItem } from './routing/queue-order.js';

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
}

export interface VisitorRecord {
  visitorId: string;
  openConversationId?: string;
  lastConversationId?: string;
}

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
  /** seq of a message by its sender-scoped client message id (idempotent sends, OPS-2). */
  clientMsg: (conversationId: string, senderKey: string): RecordKey => ['cmid', conversationId, senderKey],
} as const;

export const conversationStream = (id: string): string => `conv:${id}`;
