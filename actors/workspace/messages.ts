/** What the workspace actor is told and asked, and the shapes of its answers. */
import type { Ref, Reply } from '../runtime.js';
import type { Caller } from '../notifier.js';
import type { KeywordRule } from '../routing/keyword-rules.js';
import type { Language, PreChatField } from '../../protocol/frames.js';
import type { DepartmentRecord } from '../department/records.js';
import type { StaffRecord } from '../agent/records.js';
import type { VerificationSettings, WorkspaceSettings } from './records.js';

export interface HelloResult {
  visitorId: string;
  /** The visitor's open conversation, if any. */
  conversationId?: string;
  /** The visitor's most recent conversation when none is open (its history can be resumed). */
  lastConversationId?: string;
}

/** The answer to the first message of a conversation (the conversation's own answer to a send). */
export interface FirstMessageResult {
  conversationId: string;
  seq: number;
  messageId: string;
  duplicate: boolean;
}

/** Department settings that can change while it runs; `null` removes a setting. */
export type DepartmentSettings = {
  [K in Exclude<keyof DepartmentRecord, 'id' | 'order'>]?: K extends 'name' | 'defaultMaxConcurrent'
    ? DepartmentRecord[K]
    : DepartmentRecord[K] | null;
};

export type StaffIdentity = Pick<StaffRecord, 'id' | 'name' | 'email' | 'role' | 'departments'>;

/** What configureStaff changes; `null` removes a setting (back to the default). */
export type StaffChanges = {
  [K in 'name' | 'email' | 'role' | 'departments' | 'passwordHash']?: StaffRecord[K];
} & {
  [K in 'maxConcurrent' | 'weight' | 'tier' | 'skills' | 'crossDepartmentTransfer']?: StaffRecord[K] | null;
};

/** The settings configureWorkspace changes; `null` removes a setting. */
export type WorkspaceConversationSettings = {
  [K in 'tags' | 'transferLimits' | 'autoCloseAfterMin' | 'defaultLanguage' | 'autoMessages' | 'widgetOrigins']?:
    | WorkspaceSettings[K]
    | null;
};

export type WorkspaceMsg =
  | { type: 'hello'; visitorId?: string; reply: Reply<HelloResult> }
  | {
      type: 'start';
      caller: Caller;
      department?: string;
      text?: string;
      clientMsgId?: string;
      language?: Language;
      reply: Reply<FirstMessageResult & { created: boolean }>;
    }
  | { type: 'conversationClosed'; visitorId: string; conversationId: string }
  /** The create of a visitor's new conversation ended: committed, or refused by the store. */
  | { type: 'conversationCreated'; visitorId: string; conversationId: string; stored: boolean }
  /** Looks a staff member up by token hash or email; the caller verifies any password outside the actor. */
  | { type: 'findStaff'; by: { email: string } | { id: string }; reply: Reply<StaffRecord> }
  /** Whether this server issued the visitor id (HTTP callers present it as their credential, CONV-1). */
  | { type: 'verifyVisitor'; visitorId: string; reply: Reply<boolean> }
  | { type: 'createDepartment'; department: Omit<DepartmentRecord, 'order'>; reply: Reply<DepartmentRecord> }
  | { type: 'createStaff'; staff: StaffRecord; reply: Reply<StaffIdentity> }
  | { type: 'setAutoAssign'; enabled: boolean; reply: Reply<WorkspaceSettings> }
  /** ROUTE-7: replaces the ordered keyword rules. */
  | { type: 'setKeywordRules'; rules: KeywordRule[]; reply: Reply<WorkspaceSettings> }
  /** WEB-2: replaces the pre-chat form's fields; none = no form. */
  | { type: 'setPreChatForm'; fields: PreChatField[]; reply: Reply<WorkspaceSettings> }
  /** CUST-1: sets (null: removes) the secret that verified logins are signed with. */
  | { type: 'setVerification'; verification: VerificationSettings | null; reply: Reply<WorkspaceSettings> }
  | { type: 'configureDepartment'; id: string; changes: DepartmentSettings; reply: Reply<DepartmentRecord> }
  /** Workspace-wide settings of conversations and transfers (XFER-2, XFER-5, CONV-4, CONV-5); `null` removes one. */
  | { type: 'configureWorkspace'; changes: WorkspaceConversationSettings; reply: Reply<WorkspaceSettings> }
  /** XFER-7: a resolved conversation wants to open again; refused if the visitor has another open one. */
  | { type: 'reopen'; visitorId: string; conversationId: string; reply: Reply<{ conversationId: string }> }
  /** ROLE-3: changes a staff account; routing fields reach the running agent actor at once. */
  | {
      type: 'configureStaff';
      id: string;
      changes: StaffChanges;
      reply: Reply<{ before: StaffRecord; after: StaffRecord }>;
    }
  /** ROLE-2: the supervisors who lead a department: exactly these supervisors get it among their departments. */
  | {
      type: 'setSupervisors';
      department: string;
      staffIds: string[];
      reply: Reply<{ before: string[]; after: string[] }>;
    };

export type WorkspaceRef = Ref<WorkspaceMsg>;
