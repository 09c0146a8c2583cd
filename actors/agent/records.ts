/**
 * Staff accounts and what an agent actor keeps about its own work: live
 * figures, today's transfer count, loans to other departments.
 */
import type { StaffRole } from '../../protocol/vocabulary.js';
import type { AgentFigures, Tier } from '../routing/decision.js';

export type { StaffRole };

export interface StaffRecord {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  departments: string[];
  /** Per-agent override of the departments' default capacity. */
  maxConcurrent?: number;
  /** In-group priority for weighted round robin (ROUTE-4); 1 when absent. */
  weight?: number;
  /** 1 = first line (default), 2 = specialist, 3 = senior (ROUTE-5). */
  tier?: Tier;
  /** Skill tags (ROUTE-6). */
  skills?: string[];
  /** XFER-1, ROLE-1: an agent may transfer to other departments only when granted (supervisors and admins always may). */
  crossDepartmentTransfer?: boolean;
  /** scrypt hash, see src/auth/passwords.ts. */
  passwordHash: string;
}

/** A staff member as named in records other staff read (transfers, notes, joins). */
export interface StaffRef {
  id: string;
  name: string;
  role: StaffRole;
}

/** An agent's live figures (ROUTE-10), kept across restarts. */
export interface AgentStatsRecord {
  figures: AgentFigures;
  samples: { firstResponse: number; response: number; handle: number; satisfaction: number };
}

/** SUP-4: an agent lent to another department until `until` (ms). */
export interface LoanRecord {
  agentId: string;
  department: string;
  until: number;
  by: string;
}

/** XFER-5: transfers made on `day` (UTC, YYYY-MM-DD). */
export interface TransferCountRecord {
  day: string;
  count: number;
}
