/**
 * The routing simulator (SIM-1): runs a scenario through the real actors —
 * workspace, departments and their queues, agents, conversations, with the
 * real routing policies — in one process, on a virtual clock, with the
 * journal in memory and no sockets.
 *
 * Simulated people act only through the actors' own messages, as the
 * gateway would for real clients (customers: sim-customers.ts; agents:
 * sim-agents.ts). What they see arrives through the notifier port, like
 * frames to a socket: that is where the simulator learns of assignments,
 * and where it measures.
 */
import { Directory, DEFAULT_MAX_CONCURRENT } from '../../actors/directory.js';
import { silentLog } from '../../actors/log.js';
import type { Notifier, Recipient } from '../../actors/notifier.js';
import type { Journal } from '../../actors/journal.js';
import type { ServerFrame } from '../../protocol/frames.js';
import type { KeywordRule } from '../../actors/routing/keyword-rules.js';
import type { DepartmentSettings } from '../../actors/workspace/messages.js';
import { CountingRuntime } from './counting-runtime.js';
import { SimClock } from './sim-clock.js';
import { MemoryJournal } from './memory-journal.js';
import { Random } from './random.js';
import type { Scenario } from './scenario.js';
import type { SimCustomer } from './customers.js';
import type { RunResult } from './outcomes.js';
import { needsRules } from './needs-rules.js';
import { account, createAgents, onAgentFrame } from './sim-agents.js';
import { onCustomerFrame, scheduleArrivals } from './sim-customers.js';
import { transferTags } from './sim-follow-ups.js';
import { runRange, runReport } from './run-reports.js';
import { ReportsJournal } from '../reports/reports-journal.js';
import type { SimWorld } from './sim-world.js';

export const DEFAULT_START = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;

/** The workspace and its departments as the scenario sets them, through the workspace actor so they are checked like a live change. */
async function configureWorkspace(dir: Directory, scenario: Scenario, needs: readonly KeywordRule[]): Promise<void> {
  const ask = dir.deps.runtime.ask.bind(dir.deps.runtime);
  const tags = transferTags({ scenario });
  await ask(dir.workspace, {
    type: 'configureWorkspace',
    changes: { autoMessages: { enabled: scenario.workspace?.autoMessages === true }, ...(tags.length ? { tags } : {}) },
  });
  const userRules = (scenario.workspace?.keywordRules ?? []) as KeywordRule[];
  if (needs.length || userRules.length)
    await ask(dir.workspace, { type: 'setKeywordRules', rules: [...needs, ...userRules] });
  if (scenario.workspace?.autoAssign === false) await ask(dir.workspace, { type: 'setAutoAssign', enabled: false });
  for (const d of scenario.departments) {
    await ask(dir.workspace, {
      type: 'createDepartment',
      department: {
        id: d.id,
        name: d.name ?? d.id,
        defaultMaxConcurrent: d.defaultMaxConcurrent ?? DEFAULT_MAX_CONCURRENT,
      },
    });
  }
  for (const d of scenario.departments) {
    const { id, name: _name, defaultMaxConcurrent: _max, ...settings } = d;
    if (Object.keys(settings).length)
      await ask(dir.workspace, { type: 'configureDepartment', id, changes: settings as DepartmentSettings });
  }
}

export interface SimulateOptions {
  /**
   * Wraps the run's memory journal below the reports engine, as the server's traffic recorder wraps its
   * store: whatever the wrapper sees is what a live store would have been given (a test copies it to LMDB).
   */
  wrapJournal?: (journal: Journal) => Journal;
}

/** Runs one scenario over the given customers. */
export async function simulate(
  scenario: Scenario,
  customers: readonly SimCustomer[],
  options: SimulateOptions = {},
): Promise<RunResult> {
  const wallStart = performance.now();
  const start = scenario.start !== undefined ? Date.parse(scenario.start) : DEFAULT_START;
  const runtime = new CountingRuntime(silentLog);
  const clock = new SimClock(start, runtime);
  const journal = new MemoryJournal();

  // Nothing is sent to anyone while the tree boots; from then on the frames go to the simulated people.
  let world: SimWorld | undefined;
  const notifier: Notifier = {
    send(to: Recipient, frame: ServerFrame): boolean {
      if (!world) return true;
      if (to.kind === 'connection') onCustomerFrame(world, to.id, frame);
      else if (to.kind === 'staff') onAgentFrame(world, to.id, frame);
      return true;
    },
    connectionsOf: () => [],
  };
  // MON-2: the actors write through the live reports engine, so the run has the rollups a live day has.
  const dir = Directory.boot({
    runtime,
    journal: new ReportsJournal(options.wrapJournal?.(journal) ?? journal),
    notifier,
    clock,
    log: silentLog,
  });
  const w: SimWorld = {
    scenario,
    start,
    runtime,
    clock,
    journal,
    dir,
    acceptRng: new Random(scenario.seed ?? 1, 'accept'),
    live: new Map(),
    agents: new Map(),
    toForget: [],
    arrived: 0,
    finished: 0,
  };
  world = w;

  try {
    const { rules, tokenOf } = needsRules(customers);
    await configureWorkspace(dir, scenario, rules);
    await createAgents(w, scenario.durationHours * HOUR + (scenario.drainHours ?? 8) * HOUR);
    await clock.settle();

    const outcomes = scheduleArrivals(w, customers, tokenOf);
    const lastArrival = customers.length ? customers[customers.length - 1]!.at : 0;
    const until = start + Math.max(scenario.durationHours * HOUR, lastArrival) + (scenario.drainHours ?? 8) * HOUR;
    await clock.run({ until, stop: () => w.arrived === customers.length && w.finished === customers.length });
    for (const a of w.agents.values()) account(w, a, a.status, a.active);
    const measureFrom = (scenario.warmupHours ?? 0) * HOUR;
    const range = runRange(start, clock.now(), measureFrom);
    return {
      scenario,
      start,
      end: clock.now(),
      customers: outcomes.filter((o) => o !== undefined),
      agents: [...w.agents.values()].map(({ id, departments, max, assignments, availableMs, usedMs }) => ({
        id,
        departments,
        max,
        assignments,
        availableMs,
        usedMs,
      })),
      measureFrom,
      reports: runReport(dir.deps.journal, scenario, range, clock.now()),
      wallMs: performance.now() - wallStart,
      timersFired: clock.fired,
    };
  } finally {
    runtime.shutdown();
  }
}
