/**
 * New conversations at a fixed rate (open loop): each `start` (department,
 * a short first message) is sent by a free visitor of this worker's pool; a
 * visitor has one conversation at a time and is free again when it receives
 * `resolved`. Agents `resolve` each conversation as soon as they receive its
 * `assigned` event, so capacity never runs out. A start due while no
 * visitor is free waits for the next one (counted `delayed`; its latency is
 * still timed from when it was sent).
 *
 * Counted: `starts` sent and `assigned` events at the visitor in the window,
 * `queued`, `delayed`, `resolved`; timed: `assign` (start → `assigned` at the
 * visitor), `startAck` (start → ack), `resolveAck`.
 */
import type { Frame } from '../client/protocol-socket.js';
import { OpenLoop } from './open-loop.js';
import type { TrafficDriver } from './traffic-driver.js';
import type { TrafficRecorder } from './traffic-recorder.js';
import { epochNow } from './worker-protocol.js';
import type { AgentConn, VisitorConn, WorkerSockets } from './worker-sockets.js';

const TEXT = 'Hi, I need help with my order, please.';

interface Pooled {
  v: VisitorConn;
  /** Id of the `start` in flight; '' while free. */
  key: string;
  sentAt: number;
  assigned: boolean;
}

export class AssignTraffic implements TrafficDriver {
  private readonly free: Pooled[] = [];
  private readonly pool: Pooled[];
  private backlog = 0;
  private readonly pacer: OpenLoop;
  private n = 0;
  private running = false;
  private readonly resolves = new Map<string, number>();

  constructor(
    private readonly sockets: WorkerSockets,
    rate: number,
    private readonly department: string,
    private readonly rec: TrafficRecorder,
  ) {
    this.pool = sockets.visitors.map((v) => ({ v, key: '', sentAt: 0, assigned: false }));
    for (const p of this.pool) {
      this.free.push(p);
      p.v.socket.onFrame = (f) => this.onVisitorFrame(p, f);
    }
    for (const a of sockets.agents) a.socket.onFrame = (f) => this.onAgentFrame(a, f);
    this.pacer = new OpenLoop(rate, () => {
      const p = this.free.pop();
      if (p) this.send(p);
      else {
        this.backlog++;
        this.rec.count('delayed');
      }
    });
  }

  start(): void {
    this.running = true;
    this.pacer.start();
  }

  stop(): void {
    this.running = false;
    this.pacer.stop();
    this.backlog = 0;
  }

  settled(): boolean {
    return this.pool.every((p) => p.key === '') && this.resolves.size === 0;
  }

  finish(): void {
    const open = this.pool.filter((p) => p.key !== '');
    const notAssigned = open.filter((p) => !p.assigned).length;
    if (notAssigned) this.rec.error('lost', notAssigned);
    if (open.length - notAssigned) this.rec.total('unresolvedAtEnd', open.length - notAssigned);
  }

  private send(p: Pooled): void {
    if (p.v.socket.closed) return;
    p.key = `s${this.sockets.workerIndex}.${++this.n}`;
    p.assigned = false;
    p.v.conversationId = '';
    p.sentAt = epochNow();
    this.rec.count('starts', p.sentAt);
    this.rec.total('starts');
    p.v.socket.send({ type: 'start', id: p.key, department: this.department, text: TEXT });
  }

  private release(p: Pooled): void {
    p.key = '';
    if (this.running && this.backlog > 0) {
      this.backlog--;
      this.send(p);
    } else this.free.push(p);
  }

  private onVisitorFrame(p: Pooled, f: Frame): void {
    if (p.key === '') return;
    const now = epochNow();
    switch (f.type) {
      case 'created':
        if (p.v.conversationId === '' && typeof f.conversationId === 'string') p.v.conversationId = f.conversationId;
        return;
      case 'ack': {
        if (f.id !== p.key) return;
        this.rec.latency('startAck', p.sentAt, now);
        const r = f.result as { conversationId?: unknown; created?: unknown } | undefined;
        if (p.v.conversationId === '' && typeof r?.conversationId === 'string') p.v.conversationId = r.conversationId;
        if (r?.created !== true) this.rec.error('start:not_created');
        return;
      }
      case 'error':
        if (f.id !== p.key) return;
        this.rec.errorFrame('start', f);
        this.release(p);
        return;
      case 'queued':
        if (f.conversationId === p.v.conversationId) this.rec.count('queued', now);
        return;
      case 'assigned':
        if (f.conversationId !== p.v.conversationId || p.assigned) return;
        p.assigned = true;
        this.rec.latency('assign', p.sentAt, now);
        this.rec.count('assigned', now);
        return;
      case 'resolved':
        if (f.conversationId === p.v.conversationId) this.release(p);
        return;
      default:
        return;
    }
  }

  private onAgentFrame(a: AgentConn, f: Frame): void {
    if (f.type === 'assigned' && typeof f.conversationId === 'string') {
      const id = `r${this.sockets.workerIndex}.${++this.n}`;
      this.resolves.set(id, epochNow());
      a.socket.send({ type: 'resolve', id, conversationId: f.conversationId });
    } else if ((f.type === 'ack' || f.type === 'error') && typeof f.id === 'string') {
      const sentAt = this.resolves.get(f.id);
      if (sentAt === undefined) return;
      this.resolves.delete(f.id);
      if (f.type === 'ack') {
        this.rec.latency('resolveAck', sentAt);
        this.rec.count('resolved');
      } else this.rec.errorFrame('resolve', f);
    }
  }
}
