/**
 * CUST-1/2/3: the shape of the `customer` ack (docs/protocol.md), what staff
 * see of a customer. It lives in protocol/ because both the server, which
 * builds it from committed records (actors/customer-view.ts), and the agent
 * console, which shows it, must agree on it; the server's records carry at
 * least these fields, so it sends them as they are.
 */
import type { Participant, ResolvedEvent } from './frames.js';
import type { ConversationStatus, StaffRole } from './vocabulary.js';

/** A staff member as named in a view: who wrote a note or asked for a transfer. */
export interface StaffName {
  id: string;
  name: string;
  role: StaffRole;
}

export interface CustomerProfile {
  id: string;
  /** CUST-1: true when the customer logged in with a signed external id. */
  verified: boolean;
  externalId?: string;
  name?: string;
  email?: string;
  phone?: string;
  attributes: Record<string, string>;
  vip: boolean;
  /** The customer's visitors, by their public part (the id without its signature: it names a visitor but cannot act as one). */
  visitors: string[];
  /** Absent until the profile is first stored (an anonymous visitor nobody edited). */
  createdAt?: number;
  updatedAt?: number;
}

/** SUP-5: an internal note on an earlier conversation. */
export interface CustomerNote {
  id: string;
  conversationId: string;
  at: number;
  author: StaffName;
  text: string;
}

/** XFER-6: a transfer of an earlier conversation, with its note. */
export interface CustomerTransfer {
  n: number;
  conversationId: string;
  at: number;
  /** Who asked for it: the serving agent (XFER-1) or a supervisor re-assigning (SUP-4). */
  by: StaffName;
  /** The agent who served it before, if any. */
  from?: { id: string; name: string };
  fromDepartment: string;
  to: { kind: 'agent'; id: string; name: string; department: string } | { kind: 'department'; department: string };
  note: string;
  tags: string[];
  reason?: string;
}

export interface CustomerConversation {
  conversationId: string;
  createdAt: number;
  /** Where it is now, or was when it ended. */
  department: string;
  status: ConversationStatus;
  /** Agents who were assigned to it, in order. */
  servedBy: { id: string; name: string }[];
  resolved?: { at: number; by: Participant; summary?: string; reason?: ResolvedEvent['reason'] };
  /** SUP-5 internal notes, oldest first: the most recent ones only. */
  notes: CustomerNote[];
  /** XFER-6 transfers with their notes, in order: the most recent ones only. */
  transfers: CustomerTransfer[];
  /** Older notes or transfers left out. */
  omitted?: { notes?: number; transfers?: number };
}

/** CUST-1: another customer seen from the same remote address: a weak hint for staff, never merged. */
export interface CustomerHint {
  strength: 'weak';
  reason: 'same_ip';
  customerId: string;
  verified: boolean;
  name?: string;
  email?: string;
  /** When that visitor last said hello from the address. */
  seenAt: number;
  lastConversation?: { conversationId: string; createdAt: number };
}

export interface CustomerView {
  customer: CustomerProfile;
  /** The visitor the view was asked for: public part, and the remote address of its last hello. */
  visitor: { handle: string; ip?: string; seenAt?: number };
  conversations: CustomerConversation[];
  /** More conversations exist beyond the ones shown. */
  more: boolean;
  hints: CustomerHint[];
}
