/** What the agent desk holds besides conversations: the queue, canned replies, the customer panel, recent resolves. */

/** A conversation waiting in one of the agent's departments (the `queue` ack, ROUTE-12). */
export interface Waiting {
  conversationId: string;
  department: string;
  position?: number;
  waitingSince: number;
  backlog?: string;
}

export interface CannedReply {
  id: string;
  scope: 'workspace' | 'personal';
  title: string;
  text: string;
  shortcut?: string;
}

/** CUST-2/3: the `customer` ack (docs/protocol.md). */
export interface CustomerView {
  customer: {
    id: string;
    verified: boolean;
    externalId?: string;
    name?: string;
    email?: string;
    phone?: string;
    attributes: Record<string, string>;
    vip: boolean;
  };
  visitor: { handle: string; ip?: string; seenAt?: number };
  conversations: {
    conversationId: string;
    createdAt: number;
    department: string;
    status: string;
    servedBy: { id: string; name: string }[];
    resolved?: { at: number; summary?: string };
    notes: { id: string; text: string; author: { name: string } }[];
    transfers: { n: number; note: string; tags: string[]; by: { name: string } }[];
  }[];
  more: boolean;
}

export type CustomerChanges = Partial<Record<'name' | 'email' | 'phone', string | null>> & {
  vip?: boolean;
  attributes?: Record<string, string | null>;
};

/** A conversation this agent resolved, for the "recently resolved" list. */
export interface Recent {
  id: string;
  at: number;
  summary?: string;
}

/** One entry of the `recent_resolved` ack (docs/protocol.md). */
export interface ResolvedEntry {
  conversationId: string;
  at: number;
  department: string;
  summary?: string;
}
