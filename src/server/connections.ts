/**
 * Live connections and the principals they belong to; implements the
 * actors' Notifier port. A principal (a visitor id, a staff id) may have
 * several connections (tabs, devices); each gets every event.
 */
import type { WebSocket } from 'uWebSockets.js';
import type { Notifier, Recipient } from '../../actors/notifier.js';
import type { ServerFrame } from '../../protocol/frames.js';
import { encodeFrame } from '../../protocol/codec.js';
import type { StaffIdentity } from '../../actors/workspace/messages.js';
import type { Logger } from '../logger.js';
import type { FrameBucket } from './frame-rate-limit.js';
import { CONNECTION_KINDS, type ConnectionKind, type TrafficSource } from './metrics.js';

export interface ConnectionData {
  kind: 'visitor' | 'staff';
  connectionId: number;
  /** Answer in the kind the client last spoke: msgpack for binary frames, JSON for text. */
  binary: boolean;
  closed: boolean;
  visitorId?: string;
  staff?: StaffIdentity;
  /** Token-authenticated at upgrade, before the socket opened. */
  upgradeStaff?: StaffIdentity;
  /** ROLE-4: the session whose token signed this connection in; revoking it closes the connection. */
  sessionId?: string;
  remoteAddress: string;
  /** Settles when the connection's latest hello or signin has been answered. */
  identifying?: Promise<void>;
  /** A backpressure drop was logged for this connection (logged once, not per frame). */
  dropLogged?: boolean;
  /** WEB-1: the Origin of a page not allowed to embed the widget; the socket is closed as it opens. */
  refusedOrigin?: string;
  /** CLUSTER-2: on a forwarding node, the key of a connection whose workspace another node owns. */
  forward?: string;
  /** OPS-5: the connection's frame rate limit; absent when the limit is off. */
  bucket?: FrameBucket;
}

export type Socket = WebSocket<ConnectionData>;

export class Connections implements Notifier, TrafficSource {
  private nextId = 1;
  private readonly byId = new Map<number, Socket>();
  private readonly byPrincipal = new Map<string, Set<Socket>>();
  /** Frames dropped because a socket was over its backpressure limit. */
  dropped = 0;
  /** OPS-4: frames received (counted by the gateway) and sent, by connection kind; read by /metrics. */
  readonly framesIn: Record<ConnectionKind, number> = { visitor: 0, staff: 0 };
  readonly framesOut: Record<ConnectionKind, number> = { visitor: 0, staff: 0 };
  /** OPS-5: connections closed for flooding past the hard rate limit. */
  rateClosed = 0;
  private readonly outbox = new Map<Socket, [Uint8Array | string, boolean][]>();
  private flushScheduled = false;
  private readonly encoded = new WeakMap<object, { bin?: Uint8Array | string; text?: Uint8Array | string }>();

  constructor(private readonly log: Logger) {}

  newId(): number {
    return this.nextId++;
  }

  get size(): number {
    return this.byId.size;
  }

  add(ws: Socket): void {
    this.byId.set(ws.getUserData().connectionId, ws);
  }

  bind(ws: Socket, principal: string): void {
    let set = this.byPrincipal.get(principal);
    if (!set) this.byPrincipal.set(principal, (set = new Set()));
    set.add(ws);
  }

  remove(ws: Socket): void {
    const d = ws.getUserData();
    this.byId.delete(d.connectionId);
    for (const key of principalsOf(d)) {
      const set = this.byPrincipal.get(key);
      set?.delete(ws);
      if (set?.size === 0) this.byPrincipal.delete(key);
    }
  }

  openByKind(): Record<ConnectionKind, number> {
    const open = Object.fromEntries(CONNECTION_KINDS.map((k) => [k, 0])) as Record<ConnectionKind, number>;
    for (const ws of this.byId.values()) open[ws.getUserData().kind]++;
    return open;
  }

  socket(connectionId: number): Socket | undefined {
    return this.byId.get(connectionId);
  }

  all(): Socket[] {
    return [...this.byId.values()];
  }

  send(to: Recipient, frame: ServerFrame): boolean {
    if (to.kind === 'connection') {
      const ws = this.byId.get(to.id);
      if (ws) this.enqueue(ws, frame, true);
      return ws !== undefined;
    }
    const set = this.byPrincipal.get(`${to.kind}:${to.id}`);
    if (set) for (const ws of set) this.enqueue(ws, frame, true);
    return set !== undefined;
  }

  connectionsOf(principal: { kind: 'visitor' | 'staff'; id: string }): number[] {
    return [...(this.byPrincipal.get(`${principal.kind}:${principal.id}`) ?? [])].map(
      (ws) => ws.getUserData().connectionId,
    );
  }

  /** Queues an answer (ack, error) for its one socket. */
  write(ws: Socket, frame: ServerFrame): void {
    this.enqueue(ws, frame, false);
  }

  /**
   * Queues one frame for a socket. Frames are flushed once per tick, corked
   * per socket: most frames are written from store-commit callbacks, outside
   * any uWS callback, where each uncorked send would be a system call of its
   * own (an ack and two copies of every chat message). `shared`: the frame
   * goes to several sockets (an event), so its encoding is kept for the
   * others; an answer is encoded for its one socket, without that cache.
   */
  private enqueue(ws: Socket, frame: ServerFrame, shared: boolean): void {
    const d = ws.getUserData();
    if (d.closed) return;
    const data = shared ? this.encode(frame, d.binary) : encodeFrame(frame, d.binary);
    let queue = this.outbox.get(ws);
    if (!queue) this.outbox.set(ws, (queue = []));
    queue.push([data, d.binary]);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flush);
    }
  }

  /** One encoding per frame and kind, shared by every recipient of the frame. */
  private encode(frame: ServerFrame, binary: boolean): Uint8Array | string {
    let cached = this.encoded.get(frame);
    if (!cached) this.encoded.set(frame, (cached = {}));
    return binary ? (cached.bin ??= encodeFrame(frame, true)) : (cached.text ??= encodeFrame(frame, false));
  }

  /** Writes every queued frame now (also used before closing sockets on shutdown). */
  readonly flush = (): void => {
    this.flushScheduled = false;
    const batches = [...this.outbox];
    this.outbox.clear();
    for (const [ws, queue] of batches) {
      const d = ws.getUserData();
      if (d.closed) continue;
      this.framesOut[d.kind] += queue.length;
      ws.cork(() => {
        for (const [data, binary] of queue) {
          // 2 = dropped: the socket is past maxBackpressure and uWS is closing it (closeOnBackpressureLimit).
          if (ws.send(data, binary) === 2) {
            this.dropped++;
            if (!d.dropLogged) {
              d.dropLogged = true;
              this.log.warn(
                { connectionId: d.connectionId },
                'client not reading: frames dropped and connection closed',
              );
            }
          }
        }
      });
    }
  };
}

export function principalsOf(d: ConnectionData): string[] {
  const keys: string[] = [];
  if (d.visitorId) keys.push(`visitor:${d.visitorId}`);
  if (d.staff) keys.push(`staff:${d.staff.id}`);
  return keys;
}
