/**
 * What the admin API answers, as types: taken from the server's own
 * TypeBox schemas (type-only imports, so nothing of them is bundled), so the
 * pages cannot drift from the API. A staff account and the dry run's answer are written out
 * here: their schema files reach into server code the browser build does not
 * type-check.
 */
import type { Static } from '@sinclair/typebox';
import type { DepartmentView, DepartmentPatch } from '../../server/api/schemas/department.js';
import type { WorkspaceView } from '../../server/api/schemas/workspace.js';
import type { KeywordRule } from '../../server/api/schemas/keyword-rules.js';
import type { AuditEntry } from '../../server/api/schemas/audit.js';
import type { CannedReply } from '../../server/api/schemas/canned.js';
import type { Figures, ReportSummary } from '../../server/api/schemas/reports.js';

export type Department = Static<typeof DepartmentView>;
export type DepartmentChanges = Static<typeof DepartmentPatch>;

/** A staff account as GET /staff answers it (its schema file reaches into the server's password rules). */
export interface Staff {
  id: string;
  name: string;
  email: string;
  role: 'agent' | 'supervisor' | 'admin';
  departments: string[];
  maxConcurrent?: number;
  weight?: number;
  tier?: 1 | 2 | 3;
  skills?: string[];
  crossDepartmentTransfer?: boolean;
  live?: { status: string; active: number; max: number };
}
export type Workspace = Static<typeof WorkspaceView>;
export type Rule = Static<typeof KeywordRule>;
export type Audit = Static<typeof AuditEntry>;
export type Canned = Static<typeof CannedReply>;
export type Report = Static<typeof ReportSummary>;
export type ReportFigures = Static<typeof Figures>;

export interface Verdict {
  agentId: string;
  name?: string;
  active: number;
  max: number;
  score?: number;
  skipped?: string;
  figures?: { avgFirstResponseMs?: number; avgResponseMs?: number; avgHandleMs?: number; satisfaction?: number };
}

export interface DryRun {
  login: { accepted: boolean; verified: boolean; reason?: string };
  entry: string;
  department: string;
  matches: { ruleId: string; keywords: string[] }[];
  needs: { skills: string[]; tier: 1 | 2; vip: boolean; priority: number };
  placement?: {
    department: string;
    outcome: 'offered' | 'queued';
    agentId?: string;
    agentName?: string;
    wait?: string;
    decisions: { policy: string; agentId?: string; candidates: Verdict[]; omitted?: Record<string, number> }[];
    members: number;
    waiting: number;
  };
  queue?: { position?: number; estimatedWaitSeconds?: number; length: number; maxLength?: number; backlog?: string };
}

export interface RuleTest {
  matches: { ruleId: string; keywords: string[] }[];
  department?: string;
  skills?: string[];
  tier?: 1 | 2;
  priority?: number;
}
