/**
 * What an agent actor routes and decides by: its staff record's routing
 * fields, with its departments' defaults filled in, and the role and grant
 * its transfers are checked against (XFER-1/5).
 */
import type { Tier } from '../routing/decision.js';
import type { DepartmentRecord } from '../department/records.js';
import type { StaffRecord, StaffRole } from './records.js';

export interface AgentProfile {
  id: string;
  name: string;
  role: StaffRole;
  /** ROLE-1: an agent transfers to other departments only with this grant. */
  crossDepartmentTransfer: boolean;
  departments: string[];
  maxConcurrent: number;
  weight: number;
  tier: Tier;
  skills: readonly string[];
}

/** Capacity used when neither the agent nor any of its departments sets one. */
export const DEFAULT_MAX_CONCURRENT = 5;

export function agentProfile(staff: StaffRecord, departments: ReadonlyMap<string, DepartmentRecord>): AgentProfile {
  const defaults = staff.departments.map((d) => departments.get(d)?.defaultMaxConcurrent ?? 0);
  const maxConcurrent = staff.maxConcurrent ?? (defaults.length ? Math.max(...defaults) : DEFAULT_MAX_CONCURRENT);
  return {
    id: staff.id,
    name: staff.name,
    role: staff.role,
    crossDepartmentTransfer: staff.crossDepartmentTransfer === true,
    departments: [...staff.departments],
    maxConcurrent,
    weight: staff.weight ?? 1,
    tier: staff.tier ?? 1,
    skills: staff.skills ?? [],
  };
}
