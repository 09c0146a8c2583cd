/**
 * The workspace actor's context: its state, its ports and the one way it
 * stores a change. Every handler (reception.ts, identity.ts,
 * configuration.ts) takes it explicitly instead of capturing it.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { Reply } from '../runtime.js';
import type { RecordWrite } from '../journal.js';
import { Keys } from '../keyspace.js';
import type { DepartmentRecord } from '../department/records.js';
import type { StaffRecord } from '../agent/records.js';
import { agentProfile, type AgentProfile } from '../agent/profile.js';
import { defaultWorkspaceSettings, type WorkspaceSettings } from './records.js';
import type { WorkspacePorts } from './ports.js';
import type { WorkspaceMsg } from './messages.js';
import type { WorkspaceSnapshot } from './snapshot.js';

export interface WorkspaceState {
  visitorIdKey: Buffer;
  /** Departments as stored or being stored: validation sees a create in flight. */
  departments: Map<string, DepartmentRecord>;
  staff: Map<string, StaffRecord>;
  /** visitorId → open conversation id. Visitors without an open conversation live only in the store. */
  openByVisitor: Map<string, string>;
  /**
   * Conversations whose create has not committed yet, with the hellos and
   * repeated starts waiting on it: nobody is told of a conversation before it
   * is on disk.
   */
  creating: Map<string, ((stored: boolean) => void)[]>;
  /** What was published last: only stored changes are in it. */
  snapshot: WorkspaceSnapshot;
}

export interface WorkspaceContext {
  readonly s: WorkspaceState;
  readonly ports: WorkspacePorts;
}

/** One handler per message type, over the context. */
export type Handler<T extends WorkspaceMsg['type']> = (
  cx: WorkspaceContext,
  msg: Extract<WorkspaceMsg, { type: T }>,
) => void;
export type Handlers<T extends WorkspaceMsg['type']> = { readonly [K in T]: Handler<K> };

/**
 * Stores configuration records, then applies the change and answers with
 * `stored()`; if the store refuses them, `undo` takes back what was set in
 * memory ahead of the write, and the caller gets storage_failed.
 */
export function store<R>(
  cx: WorkspaceContext,
  writes: RecordWrite[],
  what: string,
  reply: Reply<R>,
  stored: () => R,
  undo?: () => void,
): void {
  cx.ports.journal.writeRecords(writes).then(
    () => reply(stored()),
    (err: unknown) => {
      undo?.();
      cx.ports.log.error({ err }, `${what} not stored`);
      reply(new ProtocolError('storage_failed', `${what} not stored`));
    },
  );
}

/** The settings as stored now: a change starts from them, and the other settings stay as they are. */
export const storedSettings = (cx: { readonly ports: Pick<WorkspacePorts, 'journal'> }): WorkspaceSettings =>
  cx.ports.journal.getRecord<WorkspaceSettings>(Keys.settings) ?? defaultWorkspaceSettings;

/** Publishes the next snapshot: other actors see the change from now on. */
export function publish(cx: WorkspaceContext, next: WorkspaceSnapshot): void {
  cx.s.snapshot = next;
  cx.ports.publish(next);
}

/** What a staff member's agent routes by, with the departments' defaults as the workspace holds them. */
export const profileOf = (cx: WorkspaceContext, st: StaffRecord): AgentProfile => agentProfile(st, cx.s.departments);
