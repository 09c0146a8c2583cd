/** The customers actor's records (CUST-1..3): profiles, visitor links, each customer's conversation index. */

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

/** CUST-2: the index entry of one of a customer's conversations, written with its `created` event. */
export interface CustomerConversationIndex {
  conversationId: string;
  visitorId: string;
  createdAt: number;
  department: string;
}
