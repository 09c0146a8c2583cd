/**
 * CLUSTER-2: the owner's side of forwarding (the wire: forward-wire.ts). It
 * admits a forwarded connection as its own, runs it on a RemoteSocket (the
 * four socket methods the server calls, sent over NATS), and replays
 * forwarded HTTP requests on its own loopback listener.
 */
import type { WebSocket, WebSocketBehavior } from 'uWebSockets.js';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../logger.js';
import type { ConnectionData } from '../server/connections.js';
import type { WorkspaceGateway } from '../server/workspace-gateway.js';
import { FORWARDED_FOR_HEADER, FORWARDED_HEADER, forwardedSecret } from './forwarded-client.js';
import {
  packr,
  ALIVE_EVERY_MS,
  SILENT_GATEWAY_MS,
  HOP_HEADERS,
  subject,
  gatewayOf,
  listen,
  partBytes,
  notOwner,
  refusalAnswer,
  type OpenAnswer,
  type Inbound,
  type Outbound,
  type HttpPart,
  type HttpAnswer,
  type OpenRequest,
  type Alive,
} from './forward-wire.js';

/** The socket an owner runs a forwarded connection on: what the server calls on a uWS socket, sent over NATS. */
class RemoteSocket {
  ended = false;

  constructor(
    readonly key: string,
    private readonly data: ConnectionData,
    private readonly out: (frame: Outbound) => void,
    private readonly onEnd: (socket: RemoteSocket, code: number, reason: string) => void,
  ) {}

  getUserData(): ConnectionData {
    return this.data;
  }

  cork(fn: () => void): this {
    fn();
    return this;
  }

  send(data: Uint8Array | string, binary: boolean): number {
    if (this.ended) return 2;
    try {
      this.out({ c: this.key, t: 'send', d: data, b: binary });
      return 1;
    } catch {
      // Over the servers' message limit, or NATS closed: the frame cannot reach the client, so the connection
      // ends (it resumes on reconnecting) rather than missing a frame.
      this.end(1011, 'frame not forwarded');
      return 2;
    }
  }

  end(code = 1000, reason = ''): void {
    if (this.ended) return;
    try {
      this.out({ c: this.key, t: 'end', code, reason });
    } catch {
      // The gateway closes it when it hears nothing (the owner's alive sweep, or the gateway's own view).
    }
    this.onEnd(this, code, reason);
  }
}

interface Remote {
  socket: RemoteSocket;
  behavior: WebSocketBehavior<ConnectionData>;
}

/** The owner's side: runs the connections and requests other nodes forward to the workspaces it owns. */
export class ForwardTarget {
  private readonly remotes = new Map<string, Remote>();
  private readonly heard = new Map<string, number>();
  private readonly subs: Subscription[] = [];
  private readonly sweep: NodeJS.Timeout;
  private readonly httpIn = new Map<string, { head: Extract<HttpPart, { t: 'head' }>; body: Uint8Array[] }>();

  constructor(
    private readonly nc: NatsConnection,
    nodeId: string,
    /** The gateway of a workspace this node serves now, undefined when it does not own it. */
    private readonly owned: (workspace: string) => WorkspaceGateway | undefined,
    /** Where this node's own listener answers, for replayed HTTP requests. */
    private readonly loopback: () => string | undefined,
    private readonly log: Logger,
  ) {
    this.subs.push(listen(nc, subject.open(nodeId), (m) => this.open(m), log));
    this.subs.push(listen(nc, subject.in(nodeId), (m) => this.inbound(m), log));
    this.subs.push(listen(nc, subject.alive(nodeId), (m) => this.alive(m), log));
    this.subs.push(listen(nc, subject.http(nodeId), (m) => this.httpPart(m), log));
    this.sweep = setInterval(() => this.dropSilent(), ALIVE_EVERY_MS).unref();
  }

  /** Forwarded connections open now. */
  get size(): number {
    return this.remotes.size;
  }

  close(): void {
    clearInterval(this.sweep);
    for (const s of this.subs) s.unsubscribe();
  }

  private open(m: Msg): void {
    const req = packr.unpack(m.data) as OpenRequest;
    const gateway = this.owned(req.w);
    const answer = (a: OpenAnswer): void => void m.respond(packr.pack(a));
    if (!gateway) return answer({ refused: notOwner(req.w) });
    const admitted = gateway.admit(req.k, req.r);
    if ('refused' in admitted) return answer({ refused: admitted.refused });
    const behavior = gateway.handlers(req.k);
    this.heard.set(gatewayOf(req.c), Date.now());
    const socket = new RemoteSocket(
      req.c,
      admitted.data,
      (frame) => this.nc.publish(subject.out(gatewayOf(frame.c)), packr.pack(frame)),
      (s, code, reason) => this.closed(s, code, reason),
    );
    const stale = this.remotes.get(req.c);
    if (stale) this.closed(stale.socket, 1006, 'replaced');
    this.remotes.set(req.c, { socket, behavior });
    answer({ ok: true });
    void behavior.open?.(socket as unknown as WebSocket<ConnectionData>);
  }

  private inbound(m: Msg): void {
    const frame = packr.unpack(m.data) as Inbound;
    const remote = this.remotes.get(frame.c);
    if (!remote) return;
    this.heard.set(gatewayOf(frame.c), Date.now());
    if (frame.t === 'close') return this.closed(remote.socket, frame.code, '');
    const d = frame.d;
    const buffer = d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) as ArrayBuffer;
    void remote.behavior.message?.(remote.socket as unknown as WebSocket<ConnectionData>, buffer, frame.b);
  }

  /** The connection is gone: its handlers hear so once, whoever closed it. */
  private closed(socket: RemoteSocket, code: number, reason: string): void {
    const remote = this.remotes.get(socket.key);
    if (!remote || remote.socket !== socket) return;
    this.remotes.delete(socket.key);
    // Nothing more goes to the gateway: it closed the connection, or was just told to.
    socket.ended = true;
    remote.behavior.close?.(
      socket as unknown as WebSocket<ConnectionData>,
      code,
      Buffer.from(reason) as unknown as ArrayBuffer,
    );
  }

  private alive(m: Msg): void {
    const { g, c } = packr.unpack(m.data) as Alive;
    this.heard.set(g, Date.now());
    // A connection the gateway no longer has (its close was lost) is closed here too.
    const open = new Set(c);
    for (const [key, remote] of this.remotes)
      if (gatewayOf(key) === g && !open.has(key)) this.closed(remote.socket, 1006, 'gateway lost it');
  }

  private dropSilent(): void {
    const now = Date.now();
    for (const [key, remote] of this.remotes) {
      const last = this.heard.get(gatewayOf(key)) ?? 0;
      if (now - last > SILENT_GATEWAY_MS) {
        this.log.warn({ connection: key }, 'forwarding node silent: its forwarded connection is closed');
        this.closed(remote.socket, 1006, 'gateway silent');
      }
    }
  }

  private httpPart(m: Msg): void {
    const part = packr.unpack(m.data) as HttpPart;
    if (part.t === 'head') {
      this.httpIn.set(part.q, { head: part, body: [] });
      return;
    }
    const pending = this.httpIn.get(part.q);
    if (!pending) return;
    if (part.t === 'body') {
      pending.body.push(part.d);
      return;
    }
    this.httpIn.delete(part.q);
    void this.replay(pending.head, Buffer.concat(pending.body));
  }

  /** Replays a forwarded request against this node's own listener and sends the answer back in parts. */
  private async replay(head: Extract<HttpPart, { t: 'head' }>, body: Buffer): Promise<void> {
    const send = (a: HttpAnswer): void => this.nc.publish(head.reply, packr.pack(a));
    const base = this.loopback();
    if (!base || !this.owned(head.w)) return send({ t: 'fail', ...refusalAnswer(notOwner(head.w)) });
    const headers = new Headers();
    let remote = '';
    for (const [k, v] of head.h) {
      if (k === FORWARDED_FOR_HEADER) remote = v;
      else if (!HOP_HEADERS.has(k)) headers.append(k, v);
    }
    headers.set(FORWARDED_HEADER, forwardedSecret());
    if (remote) headers.set(FORWARDED_FOR_HEADER, remote);
    try {
      const res = await fetch(`${base}${head.u}`, {
        method: head.m,
        headers,
        redirect: 'manual',
        ...(head.m === 'GET' || head.m === 'HEAD' ? {} : { body }),
      });
      const h: [string, string][] = [];
      res.headers.forEach((v, k) => {
        if (!HOP_HEADERS.has(k)) h.push([k, v]);
      });
      send({ t: 'head', s: res.status, st: res.statusText, h });
      const limit = partBytes(this.nc);
      if (res.body)
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          for (let i = 0; i < chunk.byteLength; i += limit) send({ t: 'body', d: chunk.subarray(i, i + limit) });
        }
      send({ t: 'end' });
    } catch (err) {
      this.log.error({ err, url: head.u }, 'forwarded request failed on the owner');
      send({
        t: 'fail',
        s: 502,
        body: { error: { code: 'unavailable', message: 'the owner node could not answer' } },
      });
    }
  }
}
