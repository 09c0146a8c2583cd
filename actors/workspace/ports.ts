/**
 * What the workspace actor needs from the rest of the system, and nothing
 * more: its store, a place to publish its configuration, and the few
 * effects a configuration change or a new conversation has on other actors.
 * The directory (actors/directory.ts) satisfies it.
 */
import type { Journal } from '../journal.js';
import type { Log } from '../log.js';
import type { Reply } from '../runtime.js';
import type { Caller } from '../notifier.js';
import type { Language } from '../../protocol/frames.js';
import type { RoutingRecord } from '../conversation/records.js';
import type { DepartmentRecord } from '../department/records.js';
import type { AgentProfile } from '../agent/profile.js';
import type { FirstMessageResult } from './messages.js';
import type { WorkspaceSnapshot } from './snapshot.js';

/** What a new conversation is created with (the conversation's `create` message). */
export interface ConversationOpening {
  caller: Caller;
  department: string;
  routing: RoutingRecord;
  text?: string;
  clientMsgId?: string;
  language?: Language;
  /** The conversation's answer; it reports the create's outcome to the workspace itself (conversationCreated). */
  reply: Reply<FirstMessageResult>;
}

export interface WorkspacePorts {
  /** Configuration and visitor directory records. */
  readonly journal: Journal;
  readonly log: Log;
  /** CLUSTER-1: the workspace served; the visitor ids it issues carry it. */
  readonly workspaceId: string;
  /** Replaces the snapshot other actors read; called at start and after every stored change. */
  publish(snapshot: WorkspaceSnapshot): void;
  /** ROUTE-1: tells every running department that automatic assignment was switched. */
  autoAssignChanged(enabled: boolean): void;
  /** Starts the actors of a department just stored (its department and queue, with nobody waiting). */
  startDepartment(department: DepartmentRecord): void;
  /** Starts the agent actor of a staff member just stored. */
  startAgent(profile: AgentProfile): void;
  /** A staff member's routing fields changed (or a department's default capacity): their running agent takes them at once. */
  reprofileAgent(profile: AgentProfile): void;
  /** ROLE-4: a staff member's stored role or departments changed: their open connections were signed in as someone else. */
  staffIdentityChanged(staffId: string): void;
  /** Spawns the actor of a new conversation (its id never stored before: nothing to recover) and creates it. */
  openConversation(conversationId: string, opening: ConversationOpening): void;
  /** CONV-5: an open conversation restarts its inactivity timer by the settings now published. */
  rearmConversation(conversationId: string): void;
}
