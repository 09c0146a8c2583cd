/**
 * The state one simulated run shares between its customer side and its agent side: the real actor tree
 * with its runtime, clock and journal, and what the simulator tracks of each simulated person.
 */
import type { Directory } from '../../actors/directory.js';
import type { Caller } from '../../actors/notifier.js';
import type { TimerHandle } from '../../actors/clock.js';
import type { AgentStatus } from '../../protocol/frames.js';
import type { CountingRuntime } from './counting-runtime.js';
import type { SimClock } from './sim-clock.js';
import type { MemoryJournal } from './memory-journal.js';
import type { Random } from './random.js';
import type { Scenario } from './scenario.js';
import type { SimCustomer } from './customers.js';
import type { AgentOutcome, CustomerOutcome } from './outcomes.js';

/** A customer from arrival until their conversation ends, keyed by their connection number. */
export interface LiveCustomer {
  c: SimCustomer;
  o: CustomerOutcome;
  patience?: TimerHandle;
  resolve?: TimerHandle;
  reply?: TimerHandle;
  transfer?: TimerHandle;
  /** A transfer rule has handed this conversation on already (each conversation is transferred at most once). */
  transferred?: boolean;
  /** The tags of the transfer asked for (a `transferred` frame carries none). */
  transferTags?: readonly string[];
  agentId?: string;
  /** When the current assignment began, and ms served before it (a re-assigned conversation goes on where it was). */
  since?: number;
  served: number;
  /** The visitor id the conversation was started with. */
  visitorId: string;
}

export interface SimAgent extends AgentOutcome {
  status: AgentStatus;
  active: number;
  lastChange: number;
  /** Shift over: busy until the last conversation ends, then offline. */
  leaving: boolean;
  onShift: boolean;
}

export interface SimWorld {
  scenario: Scenario;
  /** Simulated start, epoch ms. */
  start: number;
  runtime: CountingRuntime;
  clock: SimClock;
  journal: MemoryJournal;
  dir: Directory;
  /** Draws the agents' delays in accepting offers. */
  acceptRng: Random;
  live: Map<number, LiveCustomer>;
  agents: Map<string, SimAgent>;
  /** Resolved conversations whose records are still to be dropped. */
  toForget: string[];
  arrived: number;
  finished: number;
}

export const caller = (role: Caller['role'], id: string, connectionId: number): Caller => ({
  role,
  id,
  name: id,
  connectionId,
});

export const agentCaller = (id: string): Caller => caller('agent', id, 0);

export const noop = (): void => undefined;
