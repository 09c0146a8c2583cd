/**
 * OPS-4 with many workspaces (CLUSTER-1): /metrics counts the traffic of
 * every workspace's connections together, as one server's.
 */
import { CONNECTION_KINDS, type ConnectionKind, type TrafficSource } from './metrics.js';

export class TrafficTotal implements TrafficSource {
  private readonly sources: TrafficSource[] = [];

  /** Counts `source` too (a workspace's connections, as it starts). */
  add(source: TrafficSource): void {
    this.sources.push(source);
  }

  get framesIn(): Record<ConnectionKind, number> {
    return this.sum((s) => s.framesIn);
  }

  get framesOut(): Record<ConnectionKind, number> {
    return this.sum((s) => s.framesOut);
  }

  get dropped(): number {
    return this.sources.reduce((n, s) => n + s.dropped, 0);
  }

  get rateClosed(): number {
    return this.sources.reduce((n, s) => n + s.rateClosed, 0);
  }

  openByKind(): Record<ConnectionKind, number> {
    return this.sum((s) => s.openByKind());
  }

  private sum(of: (s: TrafficSource) => Readonly<Record<ConnectionKind, number>>): Record<ConnectionKind, number> {
    const out = Object.fromEntries(CONNECTION_KINDS.map((k) => [k, 0])) as Record<ConnectionKind, number>;
    for (const s of this.sources) {
      const counts = of(s);
      for (const k of CONNECTION_KINDS) out[k] += counts[k];
    }
    return out;
  }
}
