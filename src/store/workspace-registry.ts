/**
 * CLUSTER-1: the workspaces a store holds, in the `workspaces` database of
 * the environment (id → WorkspaceEntry). The default workspace is always
 * there (written at open); the others are added and removed by the
 * operator commands (src/workspace-commands.ts).
 */
import type { Database } from 'lmdb';
import { DEFAULT_WORKSPACE } from '../workspaces/workspace-id.js';
import { KEY_END, type StoreAccess } from './workspace-journal.js';

export interface WorkspaceEntry {
  id: string;
  createdAt: number;
}

export type Registry = Database<WorkspaceEntry, string>;

export function ensureDefault(registry: Registry, now: number): void {
  if (!registry.get(DEFAULT_WORKSPACE)) registry.putSync(DEFAULT_WORKSPACE, { id: DEFAULT_WORKSPACE, createdAt: now });
}

/** Every workspace, the default one first, the others in id order. */
export function listWorkspaces(registry: Registry): WorkspaceEntry[] {
  const all = [...registry.getRange({})].map(({ value }) => value);
  return [...all.filter((w) => w.id === DEFAULT_WORKSPACE), ...all.filter((w) => w.id !== DEFAULT_WORKSPACE)];
}

/** Removes a workspace and everything it owns (its events, snapshots and records), in one transaction. */
export function removeWorkspace(registry: Registry, db: StoreAccess, id: string): { keys: number } {
  let keys = 0;
  registry.transactionSync(() => {
    keys = clearRange(db, id);
    registry.removeSync(id);
  });
  return { keys };
}

/** CLUSTER-3: removes everything workspace `id` owns but keeps its registry entry, in one transaction. */
export function clearWorkspace(registry: Registry, db: StoreAccess, id: string): { keys: number } {
  let keys = 0;
  registry.transactionSync(() => {
    keys = clearRange(db, id);
  });
  return { keys };
}

function clearRange(db: StoreAccess, id: string): number {
  let keys = 0;
  const range = { start: [id], end: [id, KEY_END] };
  for (const part of [db.events, db.snapshots, db.records] as const) {
    for (const key of [...part.getKeys(range)]) {
      part.removeSync(key);
      keys++;
    }
  }
  return keys;
}
