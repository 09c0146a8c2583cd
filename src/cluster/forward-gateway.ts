/**
 * CLUSTER-2: a forwarding node's side (the wire: forward-wire.ts): clients
 * of a workspace another node owns are admitted by the owner, their frames
 * and HTTP requests sent to it, its answers relayed back; when the
 * workspace changes owner, its forwarded sockets close (1001).
 */
import type { HttpRequest, HttpResponse, WebSocket, WebSocketBehavior } from 'uWebSockets.js';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../logger.js';
import type { ConnectionData } from '../server/connections.js';
import { type Refusal, upgradeRequestOf } from '../server/workspace-gateway.js';
import { FORWARDED_FOR_HEADER } from './forwarded-client.js';
import {
  packr,
  ALIVE_EVERY_MS,
  OPEN_TIMEOUT_MS,
  OPEN_WAIT_MS,
  HTTP_TIMEOUT_MS,
  HOP_HEADERS,
  subject,
  RUN,
  listen,
  partBytes,
  notOwner,
  isNotOwner,
  refusalAnswer,
  statusLine,
  type Kind,
  type OpenAnswer,
  type Inbound,
  type Outbound,
  type HttpPart,
  type HttpAnswer,
  type OpenRequest,
  type Alive,
  type OwnerView,
} from './forward-wire.js';

interface Forwarded {
  owner: string;
  workspace: string;
  socket?: WebSocket<ConnectionData>;
  /** Owner frames that came before the client socket opened. */
  early: Outbound[];
}

/** The gateway's side: forwards clients of workspaces another node owns. */
export class ForwardGateway {
  private next = 1;
  private readonly open = new Map<string, Forwarded>();
  private readonly sub: Subscription;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly nodeId: string,
    private readonly owners: OwnerView,
    private readonly log: Logger,
  ) {
    this.sub = listen(nc, subject.out(nodeId), (m) => this.outbound(m), log);
    this.timer = setInterval(() => this.tellAlive(), ALIVE_EVERY_MS).unref();
  }

  /** Forwarded connections open now. */
  get size(): number {
    return this.open.size;
  }

  close(): void {
    clearInterval(this.timer);
    this.sub.unsubscribe();
  }

  /** The workspace has a new owner (or none): its forwarded clients reconnect, and reach the new one. */
  ownerChanged(workspace: string): void {
    const owner = this.owners.ownerOf(workspace);
    for (const [key, f] of this.open) {
      if (f.workspace !== workspace || f.owner === owner) continue;
      this.open.delete(key);
      // The old owner (if it lives) lets go of the connection now, an upgrade still in flight included.
      this.tellClosed(key, f.owner, 1001);
      if (f.socket && !f.socket.getUserData().closed) f.socket.end(1001, 'workspace moved to another node');
    }
  }

  /** uWS handlers for a workspace's socket route, forwarding to its owner. */
  behavior(
    workspace: string,
    kind: Kind,
  ): Pick<WebSocketBehavior<ConnectionData>, 'upgrade' | 'open' | 'message' | 'close'> {
    return {
      upgrade: (res, req, context) => this.upgrade(workspace, kind, res, req, context),
      open: (ws) => this.opened(ws),
      message: (ws, message, isBinary) => this.message(ws, message, isBinary),
      close: (ws, code) => this.clientClosed(ws, code),
    };
  }

  private upgrade(workspace: string, kind: Kind, res: HttpResponse, req: HttpRequest, context: unknown): void {
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    const request = upgradeRequestOf(req, res);
    let aborted = false;
    res.onAborted(() => (aborted = true));
    const refuse = (r: Refusal): void => {
      if (aborted) return;
      res.cork(() => {
        res.writeStatus(r.status);
        if (r.body !== undefined) res.writeHeader('content-type', 'application/json').end(JSON.stringify(r.body));
        else res.end();
      });
    };
    const c = `${this.nodeId}.${RUN}-${this.next++}`;
    // A new owner shows in the lease bucket a moment before it serves (it catches up first): an upgrade
    // that finds no owner, or an owner not serving yet, waits for it up to OPEN_WAIT_MS.
    const waitUntil = Date.now() + OPEN_WAIT_MS;
    const attempt = (): void => {
      if (aborted) return;
      const owner = this.owners.ownerOf(workspace);
      const again = (): boolean => {
        if (Date.now() >= waitUntil) return false;
        setTimeout(attempt, 100);
        return true;
      };
      if (!owner) {
        if (!again()) refuse(notOwner(workspace));
        return;
      }
      const entry: Forwarded = { owner, workspace, early: [] };
      this.open.set(c, entry);
      const ask: OpenRequest = { c, w: workspace, k: kind, r: request };
      this.nc.request(subject.open(owner), packr.pack(ask), { timeout: OPEN_TIMEOUT_MS }).then(
        (m) => {
          const answer = packr.unpack(m.data) as OpenAnswer;
          if ('refused' in answer) {
            this.open.delete(c);
            if (isNotOwner(answer.refused) && again()) return;
            return refuse(answer.refused);
          }
          if (aborted) {
            this.open.delete(c);
            return this.tellClosed(c, owner, 1006);
          }
          const data: ConnectionData = {
            kind,
            connectionId: 0,
            binary: false,
            closed: false,
            remoteAddress: request.remoteAddress,
            forward: c,
          };
          res.cork(() => res.upgrade(data, key, protocol, extensions, context as never));
        },
        (err: unknown) => {
          this.open.delete(c);
          this.log.warn({ err, workspace, owner }, 'owner did not answer a forwarded connection');
          refuse({
            status: '503 Service Unavailable',
            body: {
              error: { code: 'unavailable', message: `the node owning workspace "${workspace}" did not answer` },
            },
          });
        },
      );
    };
    attempt();
  }

  private opened(ws: WebSocket<ConnectionData>): void {
    const c = ws.getUserData().forward!;
    const entry = this.open.get(c);
    if (!entry) return void ws.end(1001, 'workspace moved to another node');
    entry.socket = ws;
    for (const frame of entry.early.splice(0)) this.deliver(entry, frame);
  }

  private message(ws: WebSocket<ConnectionData>, message: ArrayBuffer, isBinary: boolean): void {
    const c = ws.getUserData().forward!;
    const entry = this.open.get(c);
    if (!entry) return;
    // Copied now: uWS frees the message when this callback returns.
    const frame: Inbound = { c, t: 'msg', d: new Uint8Array(message.slice(0)), b: isBinary };
    this.nc.publish(subject.in(entry.owner), packr.pack(frame));
  }

  private clientClosed(ws: WebSocket<ConnectionData>, code: number): void {
    const d = ws.getUserData();
    d.closed = true;
    const entry = this.open.get(d.forward!);
    if (!entry || entry.socket !== ws) return;
    this.open.delete(d.forward!);
    this.tellClosed(d.forward!, entry.owner, code);
  }

  private tellClosed(c: string, owner: string, code: number): void {
    const frame: Inbound = { c, t: 'close', code };
    this.nc.publish(subject.in(owner), packr.pack(frame));
  }

  private outbound(m: Msg): void {
    const frame = packr.unpack(m.data) as Outbound;
    const entry = this.open.get(frame.c);
    if (!entry) return;
    if (!entry.socket) return void entry.early.push(frame);
    this.deliver(entry, frame);
  }

  private deliver(entry: Forwarded, frame: Outbound): void {
    const ws = entry.socket!;
    if (ws.getUserData().closed) return;
    if (frame.t === 'send') {
      ws.send(frame.d, frame.b);
      return;
    }
    this.open.delete(frame.c);
    ws.end(frame.code, frame.reason);
  }

  private tellAlive(): void {
    const byOwner = new Map<string, string[]>();
    for (const [c, f] of this.open) {
      let list = byOwner.get(f.owner);
      if (!list) byOwner.set(f.owner, (list = []));
      list.push(c);
    }
    for (const [owner, c] of byOwner) {
      const alive: Alive = { g: this.nodeId, c };
      this.nc.publish(subject.alive(owner), packr.pack(alive));
    }
  }

  /** Forwards one HTTP request of `workspace` to its owner and relays the answer. */
  http(workspace: string, res: HttpResponse, req: HttpRequest): void {
    const method = req.getMethod().toUpperCase();
    const query = req.getQuery();
    const url = req.getUrl() + (query ? `?${query}` : '');
    const headers: [string, string][] = [];
    req.forEach((k, v) => {
      if (!HOP_HEADERS.has(k)) headers.push([k, v]);
    });
    headers.push([FORWARDED_FOR_HEADER, Buffer.from(res.getRemoteAddressAsText()).toString()]);
    let aborted = false;
    let done = false;
    const owner = this.owners.ownerOf(workspace);
    const q = `${this.nodeId}.${RUN}-h${this.next++}`;
    const reply = `switchboard.fwd.${this.nodeId}.reply.${this.next++}`;
    const limit = partBytes(this.nc);
    const fail = (status: number, body: unknown): void => {
      if (aborted || done) return;
      done = true;
      res.cork(() => {
        res.writeStatus(statusLine(status)).writeHeader('content-type', 'application/json').end(JSON.stringify(body));
      });
    };
    if (!owner) {
      res.onAborted(() => (aborted = true));
      return fail(503, refusalAnswer(notOwner(workspace)).body);
    }
    let headWritten = false;
    const sub = listen(
      this.nc,
      reply,
      (m) => {
        const a = packr.unpack(m.data) as HttpAnswer;
        if (a.t === 'fail') {
          finish();
          // Part of the answer went out already: the client must see it cut, not a second status line.
          if (headWritten) {
            if (!aborted && !done) {
              done = true;
              res.close();
            }
            return;
          }
          return fail(a.s, a.body);
        }
        if (aborted) return finish();
        if (a.t === 'head') {
          headWritten = true;
          res.cork(() => {
            res.writeStatus(`${a.s} ${a.st}`);
            for (const [k, v] of a.h) res.writeHeader(k, v);
          });
        } else if (a.t === 'body') res.cork(() => res.write(a.d));
        else {
          finish();
          done = true;
          res.cork(() => res.end());
        }
      },
      this.log,
    );
    const timer = setTimeout(() => {
      finish();
      if (headWritten) {
        if (!aborted && !done) res.close();
        return;
      }
      fail(504, { error: { code: 'unavailable', message: 'the owner node did not answer in time' } });
    }, HTTP_TIMEOUT_MS);
    const finish = (): void => {
      clearTimeout(timer);
      sub.unsubscribe();
    };
    res.onAborted(() => {
      aborted = true;
      finish();
    });
    const head: HttpPart = { q, t: 'head', w: workspace, m: method, u: url, h: headers, reply };
    this.nc.publish(subject.http(owner), packr.pack(head));
    const withBody = method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
    if (!withBody) return void this.nc.publish(subject.http(owner), packr.pack({ q, t: 'end' } satisfies HttpPart));
    res.onData((chunk, last) => {
      // Copied now: uWS frees the chunk when this callback returns.
      const bytes = new Uint8Array(chunk.slice(0));
      for (let i = 0; i < bytes.byteLength; i += limit) {
        const part: HttpPart = { q, t: 'body', d: bytes.subarray(i, i + limit) };
        this.nc.publish(subject.http(owner), packr.pack(part));
      }
      if (last) this.nc.publish(subject.http(owner), packr.pack({ q, t: 'end' } satisfies HttpPart));
    });
  }
}
