/**
 * The day-peak mix. Visitors arrive at this worker as a Poisson process:
 * each opens its own connection, says `hello` and `start`s a conversation
 * with a first message, then writes a message every `visitorThinkMs` (mean,
 * exponential) until the conversation is resolved, and then leaves (closes).
 * Agents (this worker's staff) reply to each visitor message after
 * `agentThinkMs` (mean, exponential); after `messagesPerConversation` visitor
 * messages the serving agent either transfers the conversation to the
 * department (a share `transferShare` of the conversations not transferred
 * before; routing then hands it to another agent) or resolves it.
 *
 * Counted (window): `arrivals`, `assigned`, `queued`, `relayed` (agent got a
 * visitor message), `replies` (visitor got an agent message), `transfers`,
 * `resolves`, `left`; whole run: `arrivalsRefused` (this worker was at
 * `maxVisitors`). Timed: `assign` (start → `assigned` at the visitor),
 * `relay` (visitor send → agent receives it), `reply` (agent send → visitor
 * receives it), `ack` (visitor send → ack), `transferAck`, `resolveAck`.
 */
import { ProtocolSocket, type Command, type Frame } from '../client/protocol-socket.js';
import { CHAT_TEXT } from './chat-text.js';
import { OpenLoop } from './open-loop.js';
import type { TrafficDriver } from './traffic-driver.js';
import { sentAtOf, timedId, type TrafficRecorder } from './traffic-recorder.js';
import { epochNow, type MixedTraffic } from './worker-protocol.js';
import type { AgentConn, WorkerSockets } from './worker-sockets.js';

const FIRST_TEXT = 'Hello, I have a question about my subscription.';
const REPLY_TEXT = 'Thanks for waiting! Let me check that for you right now.';
/** A visitor stops writing after this many times the expected number of messages (a conversation nobody closes). */
const MAX_MESSAGES_FACTOR = 4;

const exp = (mean: number): number => -Math.log(1 - Math.random()) * mean;

interface MixedVisitor {
  socket: ProtocolSocket;
  conversationId: string;
  startKey: string;
  startedAt: number;
  assigned: boolean;
  sent: number;
  timer: NodeJS.Timeout | undefined;
  /** Its conversation was resolved: it leaves once its sends in flight are answered. */
  done: boolean;
  inFlight: number;
}

interface Served {
  received: number;
  /** Transfer or resolve due: no more replies. */
  closing: boolean;
  /** The agent no longer serves it: what is still queued is dropped. */
  gone: boolean;
  /** Replies (and the closing transfer or resolve) due, in order: one timer at a time keeps that order. */
  queue: { at: number; run: () => void }[];
}

export class MixedTrafficDriver implements TrafficDriver {
  private running = false;
  private readonly visitors = new Set<MixedVisitor>();
  private readonly arrivals: OpenLoop;
  private n = 0;
  /** Commands in flight (visitor sends, agent replies, transfers, resolves): id → [command, sent at]. */
  private readonly pending = new Map<string, [string, number]>();
  /** By `<agent id> <conversation id>`: two agents of this worker may see the same conversation during a transfer. */
  private readonly served = new Map<string, Served>();
  /** Conversations handed over to an agent of this worker (they were transferred once already). */
  private readonly transferred = new Set<string>();
  /** Conversations this worker's agents resolved: if one comes back (a visitor's late send reopens it), it is resolved again at once. */
  private readonly resolvedHere = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly prefix: string;

  constructor(
    sockets: WorkerSockets,
    private readonly t: MixedTraffic,
    private readonly rec: TrafficRecorder,
  ) {
    this.prefix = `m${sockets.workerIndex}`;
    for (const a of sockets.agents) a.socket.onFrame = (f) => this.onAgentFrame(a, f);
    this.arrivals = new OpenLoop(t.arrivalsPerSec, () => this.arrive(), true);
  }

  start(): void {
    this.running = true;
    this.arrivals.start();
  }

  stop(): void {
    this.running = false;
    this.arrivals.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const v of this.visitors) if (v.timer) clearTimeout(v.timer);
  }

  settled(): boolean {
    return this.pending.size === 0;
  }

  finish(): void {
    if (this.pending.size > 0) {
      for (const [command] of this.pending.values()) this.rec.error(`${command}:lost`);
    }
    this.rec.total('openAtEnd', [...this.visitors].filter((v) => !v.done).length);
    for (const v of this.visitors) void v.socket.close(500);
    this.visitors.clear();
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.running) fn();
    }, ms);
    this.timers.add(timer);
  }

  private command(socket: ProtocolSocket, command: string, frame: Command): void {
    const sentAt = epochNow();
    const id = frame.id as string;
    this.pending.set(id, [command, sentAt]);
    socket.send(frame);
  }

  /** An ack or error of one of our commands: returns [command, sent at], timing the ack. */
  private answered(f: Frame): [string, number] | undefined {
    if ((f.type !== 'ack' && f.type !== 'error') || typeof f.id !== 'string') return undefined;
    const p = this.pending.get(f.id);
    if (!p) return undefined;
    this.pending.delete(f.id);
    const [command, sentAt] = p;
    if (f.type === 'ack') this.rec.latency(command === 'send' ? 'ack' : `${command}Ack`, sentAt);
    else this.rec.errorFrame(command, f);
    return p;
  }

  // ---- visitors ------------------------------------------------------------------

  private arrive(): void {
    if (!this.running) return;
    if (this.visitors.size >= this.t.maxVisitors) {
      this.rec.total('arrivalsRefused');
      return;
    }
    this.rec.count('arrivals');
    const v: MixedVisitor = {
      socket: undefined as unknown as ProtocolSocket,
      conversationId: '',
      startKey: '',
      startedAt: 0,
      assigned: false,
      sent: 0,
      timer: undefined,
      done: false,
      inFlight: 0,
    };
    void ProtocolSocket.connect(this.t.url, {
      binary: true,
      label: `mixed visitor ${this.prefix}.${this.n}`,
      connectTimeoutMs: 10_000,
      commandTimeoutMs: 5000,
    }).then(
      async (socket) => {
        v.socket = socket;
        this.visitors.add(v);
        socket.onFrame = (f) => this.onVisitorFrame(v, f);
        try {
          await socket.ok({ type: 'hello' }, 10_000);
        } catch {
          this.rec.error('hello:failed');
          return;
        }
        if (!this.running) return;
        v.startKey = `${this.prefix}.s${++this.n}`;
        v.startedAt = epochNow();
        this.command(socket, 'start', {
          type: 'start',
          id: v.startKey,
          department: this.t.department,
          text: FIRST_TEXT,
          clientMsgId: timedId(this.prefix, ++this.n),
        });
      },
      () => this.rec.error('connect:failed'),
    );
  }

  private onVisitorFrame(v: MixedVisitor, f: Frame): void {
    const answered = this.answered(f);
    if (answered) {
      const r = f.result as { conversationId?: unknown } | undefined;
      if (answered[0] === 'start' && v.conversationId === '' && typeof r?.conversationId === 'string')
        v.conversationId = r.conversationId;
      if (answered[0] === 'send' && --v.inFlight === 0 && v.done) this.leave(v);
      return;
    }
    const now = epochNow();
    switch (f.type) {
      case 'created':
        if (v.conversationId === '' && typeof f.conversationId === 'string') v.conversationId = f.conversationId;
        return;
      case 'queued':
        if (f.conversationId === v.conversationId) this.rec.count('queued', now);
        return;
      case 'assigned':
        if (f.conversationId !== v.conversationId) return;
        if (!v.assigned) {
          v.assigned = true;
          this.rec.latency('assign', v.startedAt, now);
          this.rec.count('assigned', now);
          this.scheduleVisitorMessage(v);
        } else this.rec.count('reassigned', now);
        return;
      case 'message': {
        const from = f.from as { role?: unknown } | undefined;
        if (from?.role !== 'agent') return;
        const sentAt = sentAtOf(f.clientMsgId);
        if (sentAt === undefined) return;
        this.rec.latency('reply', sentAt, now);
        this.rec.count('replies', now);
        return;
      }
      case 'resolved':
        if (f.conversationId !== v.conversationId) return;
        v.done = true;
        if (v.timer) clearTimeout(v.timer);
        if (v.inFlight === 0) this.leave(v);
        return;
      default:
        return;
    }
  }

  private leave(v: MixedVisitor): void {
    this.rec.count('left');
    this.visitors.delete(v);
    void v.socket.close(500);
  }

  private scheduleVisitorMessage(v: MixedVisitor): void {
    if (v.done || v.sent >= this.t.messagesPerConversation * MAX_MESSAGES_FACTOR) return;
    v.timer = setTimeout(() => {
      v.timer = undefined;
      if (!this.running || v.done || v.socket.closed) return;
      v.sent++;
      v.inFlight++;
      const key = timedId(this.prefix, ++this.n);
      this.command(v.socket, 'send', {
        type: 'send',
        id: key,
        conversationId: v.conversationId,
        clientMsgId: key,
        text: CHAT_TEXT,
      });
      this.scheduleVisitorMessage(v);
    }, exp(this.t.visitorThinkMs));
  }

  // ---- agents --------------------------------------------------------------------

  private onAgentFrame(a: AgentConn, f: Frame): void {
    if (this.answered(f)) return;
    const now = epochNow();
    const conversationId = typeof f.conversationId === 'string' ? f.conversationId : '';
    switch (f.type) {
      case 'handover':
        this.transferred.add(conversationId);
        return;
      case 'assigned': {
        const agent = f.agent as { id?: unknown } | undefined;
        if (agent?.id !== a.id) return;
        const s: Served = { received: 0, closing: false, gone: false, queue: [] };
        this.served.set(`${a.id} ${conversationId}`, s);
        // A conversation resolved here and routed back (a late visitor send reopened it): nobody is there any more.
        if (this.resolvedHere.has(conversationId)) {
          s.closing = true;
          this.close(a, conversationId, 'resolve');
        }
        return;
      }
      case 'message': {
        const from = f.from as { role?: unknown } | undefined;
        if (from?.role !== 'visitor') return;
        const sentAt = sentAtOf(f.clientMsgId);
        if (sentAt !== undefined) {
          this.rec.latency('relay', sentAt, now);
          this.rec.count('relayed', now);
        }
        const s = this.served.get(`${a.id} ${conversationId}`);
        if (!s || s.closing) return;
        s.received++;
        const last = s.received >= this.t.messagesPerConversation;
        if (last) s.closing = true;
        this.agentLater(s, exp(this.t.agentThinkMs), () => {
          const key = timedId(this.prefix, ++this.n);
          this.command(a.socket, 'reply', {
            type: 'send',
            id: key,
            conversationId,
            clientMsgId: key,
            text: REPLY_TEXT,
          });
          if (!last) return;
          const transfer = !this.transferred.has(conversationId) && Math.random() < this.t.transferShare;
          this.close(a, conversationId, transfer ? 'transfer' : 'resolve');
        });
        return;
      }
      case 'unassigned':
      case 'transferred':
      case 'resolved': {
        const s = this.served.get(`${a.id} ${conversationId}`);
        if (s) {
          s.gone = true;
          s.queue.length = 0;
          this.served.delete(`${a.id} ${conversationId}`);
        }
        return;
      }
      default:
        return;
    }
  }

  /** Queues an agent's action on a conversation `delayMs` from now, but never before the actions queued earlier. */
  private agentLater(s: Served, delayMs: number, run: () => void): void {
    const at = Math.max(epochNow() + delayMs, s.queue.at(-1)?.at ?? 0);
    s.queue.push({ at, run });
    if (s.queue.length === 1) this.armQueue(s);
  }

  private armQueue(s: Served): void {
    const next = s.queue[0];
    if (!next) return;
    this.later(Math.max(0, next.at - epochNow()), () => {
      const now = epochNow();
      while (s.queue.length > 0 && (s.queue[0]?.at ?? Infinity) <= now + 1) s.queue.shift()?.run();
      if (!s.gone) this.armQueue(s);
    });
  }

  private close(a: AgentConn, conversationId: string, how: 'transfer' | 'resolve'): void {
    const id = `${this.prefix}.${how[0]}${++this.n}`;
    if (how === 'transfer') {
      this.rec.count('transfers');
      this.command(a.socket, 'transfer', {
        type: 'transfer',
        id,
        conversationId,
        to: { department: this.t.department },
        note: 'load test: please take over',
      });
    } else {
      this.rec.count('resolves');
      this.resolvedHere.add(conversationId);
      this.command(a.socket, 'resolve', { type: 'resolve', id, conversationId });
    }
  }
}
