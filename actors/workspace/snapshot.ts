/**
 * What the workspace actor publishes of its configuration once a change is
 * stored: an immutable value that other actors read instead of the
 * workspace's own state. A new snapshot replaces the old one whole; nothing
 * in a published snapshot ever changes.
 */
import { KeywordMatcher } from '../routing/keyword-rules.js';
import type { DepartmentRecord } from '../department/records.js';
import { DEFAULT_DISCONNECT_GRACE_SEC, type WorkspaceSettings } from './records.js';

export interface WorkspaceSnapshot {
  /** The stored workspace settings. */
  readonly settings: Readonly<WorkspaceSettings>;
  /** ROUTE-7: one automaton for all keyword rules, rebuilt only when they change. */
  readonly keywords: KeywordMatcher;
  /** Every stored department's settings, read at the moment of use so that changes apply at once. */
  readonly departments: ReadonlyMap<string, Readonly<DepartmentRecord>>;
}

/** Reads the snapshot published last. */
export type SnapshotReader = () => WorkspaceSnapshot;

const freeze = <T extends object>(v: T): Readonly<T> => Object.freeze(v);

export function firstSnapshot(settings: WorkspaceSettings, departments: Iterable<DepartmentRecord>): WorkspaceSnapshot {
  return freeze({
    settings: freeze({ ...settings }),
    keywords: new KeywordMatcher(settings.keywordRules ?? []),
    departments: new Map([...departments].map((d) => [d.id, freeze({ ...d })])),
  });
}

/** The snapshot after stored settings changed; the keyword automaton is rebuilt only when the rules did (ROUTE-7). */
export function withSettings(
  prev: WorkspaceSnapshot,
  settings: WorkspaceSettings,
  rulesChanged = false,
): WorkspaceSnapshot {
  const keywords = rulesChanged ? new KeywordMatcher(settings.keywordRules ?? []) : prev.keywords;
  return freeze({ settings: freeze({ ...settings }), keywords, departments: prev.departments });
}

/** The snapshot after a department was stored (created or changed). */
export function withDepartment(prev: WorkspaceSnapshot, d: DepartmentRecord): WorkspaceSnapshot {
  return freeze({ ...prev, departments: new Map(prev.departments).set(d.id, freeze({ ...d })) });
}

/** ROUTE-14: seconds an agent without a connection keeps their conversations. */
export const disconnectGraceSec = (snap: WorkspaceSnapshot): number =>
  snap.settings.disconnectGraceSec ?? DEFAULT_DISCONNECT_GRACE_SEC;
