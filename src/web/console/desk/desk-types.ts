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

/** CUST-2/3: the `customer` ack and the profile edits (docs/protocol.md). */
export type { CustomerView } from '../../../../protocol/customer-view.js';
export type { CustomerChanges } from '../../../../protocol/frames.js';

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
