/**
 * What the department monitor needs: the watchers' sockets, timers, the
 * store (its counts of the day), the log, and the departments' names and
 * business hours as the workspace published them.
 */
import type { Deps } from '../deps.js';
import type { Runtime } from '../runtime.js';
import type { DepartmentRecord } from '../department/records.js';

export type FloorDepartment = Pick<DepartmentRecord, 'id' | 'name' | 'hours'>;

export interface FloorPorts extends Pick<Deps, 'notifier' | 'clock' | 'journal' | 'log'> {
  readonly runtime: Pick<Runtime, 'tell'>;
  /** Every department, as published now. */
  departments(): Iterable<FloorDepartment>;
  department(id: string): FloorDepartment | undefined;
}

/** The ports from the edges given at boot and the departments as published at each call. */
export const floorPorts = (
  { runtime, notifier, clock, journal, log }: Deps,
  departments: () => ReadonlyMap<string, FloorDepartment>,
): FloorPorts => ({
  runtime,
  notifier,
  clock,
  journal,
  log,
  departments: () => departments().values(),
  department: (id) => departments().get(id),
});
