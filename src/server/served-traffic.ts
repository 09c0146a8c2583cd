/**
 * OPS-4 with many workspaces (CLUSTER-1): the traffic /metrics reads, one
 * source (a workspace's connections) per served workspace, each series
 * labelled with its workspace.
 */
import type { TrafficSource, WorkspaceTraffic } from './metrics.js';

export class ServedTraffic implements WorkspaceTraffic {
  private readonly byWorkspace = new Map<string, TrafficSource>();

  /** Counts `source` as workspace `workspace`'s (its connections, as it starts). */
  add(workspace: string, source: TrafficSource): void {
    this.byWorkspace.set(workspace, source);
  }

  sources(): Iterable<[string, TrafficSource]> {
    return this.byWorkspace.entries();
  }
}
