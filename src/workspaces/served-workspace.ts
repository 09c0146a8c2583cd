/**
 * CLUSTER-1: one workspace as a running server holds it: its store view
 * (behind the reports journal), its own actor tree (Runtime and
 * Directory), and its own connections, which are its actors' Notifier. Two
 * workspaces share nothing but the process, the store's environment and
 * the listening port, so actor keys, principals, timers and events of one
 * never reach the other.
 */
import type { Journal } from '../../actors/journal.js';
import { Runtime } from '../../actors/runtime.js';
import { Directory } from '../../actors/directory.js';
import type { Clock } from '../../actors/clock.js';
import type { SessionTimes } from '../../actors/sessions.js';
import type { RoutingMetrics } from '../../actors/metrics.js';
import { Keys } from '../../actors/keyspace.js';
import { ReportsJournal } from '../reports/reports-journal.js';
import { rebuildRollups, rollupsPresent } from '../reports/rebuild.js';
import { closeOpenPresence } from '../reports/presence-close.js';
import { warmUpPeriods, type WarmUp } from '../reports/period-warm-up.js';
import { markAliveEveryMinute, type AliveMark } from '../reports/alive-mark.js';
import { Connections } from '../server/connections.js';
import type { Logger } from '../logger.js';
import { DEFAULT_WORKSPACE } from './workspace-id.js';

export interface WorkspaceBoot {
  clock: Clock;
  log: Logger;
  /** The routing metrics of a workspace's actors (labelled with its id). */
  metricsFor(workspace: string): RoutingMetrics;
  sessionTimes: SessionTimes;
  reportTimeZone: string;
  /** Benchmark switch (docs/performance.md#reports-mon-2): no reports journal. Not a product option. */
  noReports: boolean;
}

export class ServedWorkspace {
  private warmUp: WarmUp | undefined;
  private alive: AliveMark | undefined;

  private constructor(
    readonly id: string,
    readonly runtime: Runtime,
    readonly journal: Journal,
    readonly connections: Connections,
    readonly directory: Directory,
    private readonly log: Logger,
  ) {}

  /**
   * Rebuilds the workspace's report rollups when missing (MON-2), closes the presence its last run left
   * open, and boots its actors over `view` (the store view of this workspace, or a wrapper of it).
   */
  static async boot(id: string, view: Journal, boot: WorkspaceBoot): Promise<ServedWorkspace> {
    const log = id === DEFAULT_WORKSPACE ? boot.log : boot.log.child({ workspace: id });
    // MON-2: a store without rollups (older, or restored without them) gets them before any actor writes.
    if (!boot.noReports && !rollupsPresent(view)) {
      const meta = await rebuildRollups(view, boot.clock.now());
      log.info({ conversations: meta.conversations }, 'report rollups rebuilt from the journal');
    }
    const journal = boot.noReports ? view : new ReportsJournal(view);
    // MON-2: agents online when the server last stopped start offline; their intervals end before anyone writes.
    const closed = await closeOpenPresence(journal);
    if (closed) log.info({ agents: closed }, 'report: presence left open by the last run closed');
    const runtime = new Runtime(log);
    const connections = new Connections(log);
    const directory = Directory.boot(
      { runtime, journal, notifier: connections, clock: boot.clock, log, metrics: boot.metricsFor(id) },
      { sessionTimes: boot.sessionTimes, reportTimeZone: boot.reportTimeZone, workspaceId: id },
    );
    return new ServedWorkspace(id, runtime, journal, connections, directory, log);
  }

  /** Throws when the workspace's visitor-id key did not reach the store (checked after the first flush). */
  assertStored(): void {
    if (!this.journal.getRecord(Keys.visitorIdKey))
      throw new Error(
        `the visitor-id key of workspace "${this.id}" could not be stored; is the data directory writable?`,
      );
  }

  /** Once serving: past days and months are summed in the background, and the alive mark written each minute. */
  startBackground(clock: Clock): void {
    if (!(this.journal instanceof ReportsJournal)) return;
    this.warmUp = warmUpPeriods(this.journal.periods, clock.now(), this.log);
    this.alive = markAliveEveryMinute(this.journal, clock, this.log);
  }

  /** Stops the background work and the actors; the caller flushes the store after. */
  async stop(): Promise<void> {
    this.warmUp?.stop();
    this.alive?.stop();
    await this.warmUp?.done;
    this.runtime.shutdown();
  }

  /** MON-2: agents still online are online until `at` (after the actors stopped and their writes settled). */
  async closePresence(at: number): Promise<void> {
    const stopped = await closeOpenPresence(this.journal, at);
    if (stopped) this.log.info({ agents: stopped }, 'report: presence of agents online closed at the stop');
  }
}
