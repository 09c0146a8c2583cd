/** The workspace's stored settings and the visitor directory's records. */
import type { KeywordRule } from '../routing/keyword-rules.js';
import type { AutoMessageKey, Language, PreChatField } from '../../protocol/frames.js';
import type { StaffRole } from '../agent/records.js';

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
  /** WEB-1: the sites (origins) whose pages may embed the widget (widget-origins.ts); absent = every site, empty = none but the server's own pages. */
  widgetOrigins?: string[];
  /** WEB-2: the fields the widget asks before a chat starts; absent = no form. */
  preChatForm?: PreChatField[];
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

export const defaultWorkspaceSettings: WorkspaceSettings = { autoAssign: true };
export const DEFAULT_DISCONNECT_GRACE_SEC = 60;

/** Which conversation a visitor has open, and whom they talked to last (ROUTE-9, CONV-1 resume). */
export interface VisitorRecord {
  visitorId: string;
  openConversationId?: string;
  lastConversationId?: string;
  /** ROUTE-9: who served the visitor's last conversation. */
  lastAgentId?: string;
}
