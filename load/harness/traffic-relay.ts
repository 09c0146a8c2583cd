/**
 * Chat relay: visitors send to their assigned conversations; a message is
 * relayed when the agent's socket (in whichever worker holds it) receives
 * its `message` event, which the server sends only after the message is
 * committed. Two ways to offer load:
 *
 *  - closed loop (`window`): each visitor keeps `window` sends in flight and
 *    sends the next one when one is acked: the maximum throughput;
 *  - paced (`rate`): sends at a fixed rate per second, open loop, round robin
 *    over the visitors: latency at a given load.
 *
 * Counted: `relayed` (agent receipts in the window), `acked`, and over the
 * whole run `sent` and `relayed` (their difference, summed over the
 * workers, is what never reached an agent); timed: `relay`
 * (visitor send → agent receives the event), `ack` (send → ack).
 */
import type { Frame } from '../client/protocol-socket.js';
import { CHAT_TEXT } from './chat-text.js';
import { OpenLoop } from './open-loop.js';
import type { TrafficDriver } from './traffic-driver.js';
import { sentAtOf, timedId, type TrafficRecorder } from './traffic-recorder.js';
import { epochNow } from './worker-protocol.js';
import type { VisitorConn, WorkerSockets } from './worker-sockets.js';

/** clientMsgIds of visitor sends start with this (plus the worker index). */
const VISITOR_PREFIX = 'v';

export class RelayTraffic implements TrafficDriver {
  private running = false;
  private n = 0;
  /** Sends not yet answered, by id → send time. */
  private readonly pending = new Map<string, number>();
  private readonly visitors: VisitorConn[];
  private readonly pacer: OpenLoop | undefined;
  private next = 0;
  private readonly prefix: string;

  constructor(
    sockets: WorkerSockets,
    private readonly mode: { window: number } | { rate: number },
    private readonly rec: TrafficRecorder,
  ) {
    this.prefix = `${VISITOR_PREFIX}${sockets.workerIndex}`;
    this.visitors = sockets.visitors.filter((v) => v.conversationId !== '');
    for (const a of sockets.agents) a.socket.onFrame = (f) => this.onAgentFrame(f);
    for (const v of this.visitors) v.socket.onFrame = (f) => this.onVisitorFrame(v, f);
    if ('rate' in mode) {
      this.pacer = new OpenLoop(mode.rate, () => {
        const v = this.visitors[this.next++ % this.visitors.length];
        if (v) this.send(v);
      });
    }
  }

  start(): void {
    this.running = true;
    if (this.pacer) this.pacer.start();
    else if ('window' in this.mode)
      for (const v of this.visitors) for (let k = 0; k < this.mode.window; k++) this.send(v);
  }

  stop(): void {
    this.running = false;
    this.pacer?.stop();
  }

  settled(): boolean {
    return this.pending.size === 0;
  }

  finish(): void {
    if (this.pending.size > 0) this.rec.error('lost', this.pending.size);
  }

  private send(v: VisitorConn): void {
    if (v.socket.closed) return;
    const sentAt = epochNow();
    const key = timedId(this.prefix, ++this.n, sentAt);
    this.pending.set(key, sentAt);
    this.rec.total('sent');
    v.socket.send({ type: 'send', id: key, conversationId: v.conversationId, clientMsgId: key, text: CHAT_TEXT });
  }

  private onVisitorFrame(v: VisitorConn, f: Frame): void {
    if (f.type !== 'ack' && f.type !== 'error') return;
    const key = f.id;
    if (typeof key !== 'string') return;
    const sentAt = this.pending.get(key);
    if (sentAt === undefined) return;
    this.pending.delete(key);
    const now = epochNow();
    if (f.type === 'ack') {
      this.rec.latency('ack', sentAt, now);
      this.rec.count('acked', now);
    } else this.rec.errorFrame('send', f);
    if (this.running && this.pacer === undefined) this.send(v);
  }

  private onAgentFrame(f: Frame): void {
    if (f.type !== 'message') return;
    const sentAt = sentAtOf(f.clientMsgId, undefined);
    if (sentAt === undefined || (f.from as { role?: unknown } | undefined)?.role !== 'visitor') return;
    const now = epochNow();
    this.rec.latency('relay', sentAt, now);
    this.rec.count('relayed', now);
    this.rec.total('relayed');
  }
}
