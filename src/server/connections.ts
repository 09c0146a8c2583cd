/**
 * Live connections and the principals they belong to; implements the
 * actors' Notifier port. A principal (a visitor id, a staff id) may have
 * several connections (tabs, devices); each gets every event.
 */
import type { WebSocket } from 'uWebSockets.js';
import type { Notifier, Recipient } from '../../actors/notifier.js';
import type { ServerFrame } from '../../protocol/frames.js';
import { encodeFrame } from '../../protocol/codec.js';
import type { StaffIdentity } from '../../actors/workspace.js';
import type { Logger } from '../logger.js';

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
  remoteAddress: string;
}

export type Socket = WebSocket<ConnectionData>;

export class Connections implements Notifier {
  private nextId = 1;
  private readonly byId = new Map<number, Socket>();
  private readonly byPrincipal = new Map<string, Set<Socket>>();
  /** Frames dropped because a socket was over its backpressure limit. */
  dropped = 0;

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

  all(): Socket[] {
    return [...this.byId.values()];
  }

  send(to: Recipient, frame: ServerFrame): void {
    if (to.kind === 'connection') {
      const ws = this.byId.get(to.id);
      if (ws) this.write(ws, frame, undefined);
      return;
    }
    const set = this.byPrincipal.get(`${to.kind}:${to.id}`);
    if (!set) return;
    const encoded: { bin?: Uint8Array | string; text?: Uint8Array | string } = {};
    for (const ws of set) this.write(ws, frame, encoded);
  }

  /** Writes one frame; `cache` shares the encoding among the sockets of one principal. */
  write(ws: Socket, frame: ServerFrame, cache: { bin?: Uint8Array | string; text?: Uint8Array | string } | undefined): void {
    const d = ws.getUserData();
    if (d.closed) return;
    let data: Uint8Array | string;
    if (cache) data = d.binary ? (cache.bin ??= encodeFrame(frame, true)) : (cache.text ??= encodeFrame(frame, false));
    else data = encodeFrame(frame, d.binary);
    // 2 = dropped: the socket is past maxBackpressure and uWS is closing it (closeOnBackpressureLimit).
    if (ws.send(data, d.binary) === 2) {
      this.dropped++;
      this.log.warn({ connectionId: d.connectionId }, 'frame dropped: client not reading, connection closed');
    }
  }
}

export function principalsOf(d: ConnectionData): string[] {
  const keys: string[] = [];
  if (d.visitorId) keys.push(`visitor:${d.visitorId}`);
  if (d.staff) keys.push(`staff:${d.staff.id}`);
  return keys;
}
