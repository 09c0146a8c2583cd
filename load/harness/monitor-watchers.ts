/**
 * `mixed --monitors N`: N supervisor connections watching the department
 * monitor (MON-1) while the mix runs, held by the harness itself. Each
 * records when its `department_monitor` frames arrive and their size, so
 * that the report can give the frame rate a supervisor sees under load.
 */
import { ProtocolSocket } from '../client/protocol-socket.js';
import { monotonicUs } from './profile-summary.js';
import type { Switchboard } from './servers.js';

export interface MonitorFigures {
  watchers: number;
  /** The ack's whole figures: its size and how long it took. */
  snapshotBytes: number;
  snapshotMs: number;
  /** In the measurement window, per watcher. */
  framesPerSec: number;
  /** The most frames one watcher got in any one second of the window. */
  maxFramesInASecond: number;
  bytesPerFrame: number;
  agentsPerFrame: number;
}

interface Arrival {
  atUs: number;
  bytes: number;
  agents: number;
}

export class MonitorWatchers {
  private constructor(
    private readonly sockets: ProtocolSocket[],
    private readonly arrivals: Arrival[][],
    private readonly snapshot: { bytes: number; ms: number },
  ) {}

  static async connect(sb: Switchboard, count: number): Promise<MonitorWatchers> {
    const account = sb.workspace.supervisor;
    if (!account) throw new Error('--monitors needs a workspace seeded with a supervisor');
    const sockets: ProtocolSocket[] = [];
    const arrivals: Arrival[][] = [];
    let snapshot = { bytes: 0, ms: 0 };
    for (let i = 0; i < count; i++) {
      const socket = await ProtocolSocket.connect(sb.staffUrl, { binary: true, label: `monitor ${i}` });
      sockets.push(socket);
      const mine: Arrival[] = [];
      arrivals.push(mine);
      let lastBytes = 0;
      socket.ws.on('message', (data: Buffer) => {
        lastBytes = data.length;
      });
      await socket.ok({ type: 'signin', token: account.token });
      const t0 = performance.now();
      await socket.ok({ type: 'monitor_departments' });
      if (i === 0) snapshot = { bytes: lastBytes, ms: Math.round((performance.now() - t0) * 10) / 10 };
      socket.onFrame = (f) => {
        if (f.type !== 'department_monitor') return;
        const departments = f.departments as { agents: unknown[] }[];
        mine.push({
          atUs: monotonicUs(),
          bytes: lastBytes,
          agents: departments.reduce((n, d) => n + d.agents.length, 0),
        });
      };
    }
    return new MonitorWatchers(sockets, arrivals, snapshot);
  }

  /** The figures of the window [fromUs, toUs] (monotonic µs, as the phase reports them). */
  figures(fromUs: number, toUs: number): MonitorFigures {
    const seconds = (toUs - fromUs) / 1e6;
    let frames = 0;
    let bytes = 0;
    let agents = 0;
    let maxInASecond = 0;
    for (const mine of this.arrivals) {
      const inWindow = mine.filter((a) => a.atUs >= fromUs && a.atUs <= toUs);
      frames += inWindow.length;
      for (const a of inWindow) {
        bytes += a.bytes;
        agents += a.agents;
      }
      const buckets = new Map<number, number>();
      for (const a of inWindow) {
        const b = Math.floor((a.atUs - fromUs) / 1e6);
        buckets.set(b, (buckets.get(b) ?? 0) + 1);
      }
      maxInASecond = Math.max(maxInASecond, ...buckets.values(), 0);
    }
    const per = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10) / 10 : 0);
    return {
      watchers: this.sockets.length,
      snapshotBytes: this.snapshot.bytes,
      snapshotMs: this.snapshot.ms,
      framesPerSec: per(frames, seconds * this.sockets.length),
      maxFramesInASecond: maxInASecond,
      bytesPerFrame: Math.round(per(bytes, frames)),
      agentsPerFrame: per(agents, frames),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.sockets.map((s) => s.close()));
  }
}
