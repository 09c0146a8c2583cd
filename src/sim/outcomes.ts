/** What one simulated run (SIM-1) records per customer and per agent, and the run as a whole. */
import type { Scenario } from './scenario.js';
import type { Summary } from '../reports/summary.js';

export interface CustomerOutcome {
  index: number;
  arrivedAt: number;
  department: string | undefined;
  conversationId?: string;
  /** The instant the customer arrived and started their conversation (epoch ms). */
  startedAt?: number;
  /** Whether it waited in a queue or backlog (a `queued` frame came). */
  queued?: boolean;
  /** First assignment. */
  assignedAt?: number;
  /** The first message of an agent the customer saw. */
  firstAgentMessageAt?: number;
  /** Transfers the customer saw, with the tags their agents gave them. */
  transfers?: { at: number; tags: readonly string[] }[];
  /** MON-3: the survey score the customer gave. */
  rating?: number;
  endedAt?: number;
  /** How it ended: resolved by the agent, or the customer left (QUEUE-5), or it was auto-closed. */
  end?: 'resolved' | 'abandoned' | 'left' | 'inactive';
  /** QUEUE-4/6: told to leave a message instead of waiting in line, and why. */
  leftMessage?: string;
  /** The start was refused (e.g. a recorded department the scenario lacks). */
  refused?: string;
}

export interface AgentOutcome {
  id: string;
  departments: string[];
  max: number;
  assignments: number;
  /** Conversation slots × ms while online or busy. */
  availableMs: number;
  /** Slots in use × ms while online or busy. */
  usedMs: number;
}

export interface RunResult {
  scenario: Scenario;
  start: number;
  /** Simulated time the run stopped. */
  end: number;
  customers: CustomerOutcome[];
  agents: AgentOutcome[];
  /** Customers arriving before this (ms after start) are warm-up, not measured. */
  measureFrom: number;
  /** MON-2: the live reports' summary of the run, from its rollups (run-reports.ts). */
  reports: Summary;
  wallMs: number;
  timersFired: number;
}
