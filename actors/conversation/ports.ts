/**
 * What a conversation actor needs of the rest of the system, and nothing
 * more (issue 14 item 2): the actors it tells, the settings it reads, and
 * the runtime's ports. The composition root (actors/directory.ts) satisfies
 * it; the behaviour never sees the directory, and never reads another
 * actor's mutable state: settings come as immutable snapshots.
 */
import type { Journal } from '../journal.js';
import type { Notifier } from '../notifier.js';
import type { Clock } from '../clock.js';
import type { Log } from '../log.js';
import type { Ref, Runtime } from '../runtime.js';
import type { AgentMsg } from '../agent.js';
import type { DepartmentMsg } from '../department.js';
import type { QueueMsg } from '../queue.js';
import type { WorkspaceMsg } from '../workspace.js';
import type { CustomersMsg } from '../customers.js';
import type { Monitor } from '../monitor.js';
import type { DepartmentRecord, WorkspaceSettings } from '../records.js';
import type { KeywordMatcher } from '../routing/keyword-rules.js';

/**
 * The settings a conversation acts on, as stored when it asks. Each value is
 * replaced, never changed, when the workspace stores new settings, so a
 * snapshot taken in one turn stays the same for the whole turn.
 */
export interface SettingsSnapshot {
  readonly workspace: Readonly<WorkspaceSettings>;
  /** A department's stored settings; undefined for an unknown department. */
  department(id: string): Readonly<DepartmentRecord> | undefined;
  /** ROUTE-7: the keyword rules' automaton. */
  readonly keywords: Pick<KeywordMatcher, 'match'>;
}

export interface ConversationPorts {
  readonly journal: Journal;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly log: Log;
  readonly runtime: Pick<Runtime, 'tell' | 'isAlive' | 'stopWhenIdle' | 'stayAwake'>;
  /** The agent actor of a staff member, to offer, confirm, release and report figures to. */
  agent(id: string): Ref<AgentMsg> | undefined;
  /** The routing actor of a department, and its queue. */
  department(id: string): Ref<DepartmentMsg> | undefined;
  queue(department: string): Ref<QueueMsg> | undefined;
  /** Told of creations, closes and reopens (one open conversation per visitor). */
  readonly workspace: Ref<WorkspaceMsg>;
  /** CUST-1/3: the one writer of customer records. */
  readonly customers: Ref<CustomersMsg>;
  /** SUP-1: the live view's registry. */
  readonly monitor: Pick<Monitor, 'publish'>;
  settings(): SettingsSnapshot;
}
