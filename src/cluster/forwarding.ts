/**
 * CLUSTER-2: every node accepts every client. A node that does not own a
 * client's workspace forwards it to the owner over core NATS, and the
 * owner's frames come back the same way, so a client never knows where
 * its workspace lives and nodes need no route to each other's HTTP ports.
 *
 * WebSocket (per connection, key `<gateway node>.<n>`):
 * - the gateway asks the owner `fwd.<owner>.open` with what the upgrade
 *   request said (token, origin, host, address); the owner admits it as it
 *   would its own (WorkspaceGateway.admit) and answers ok or the refusal,
 *   which the gateway sends as the HTTP answer to the upgrade;
 * - frames go to `fwd.<owner>.in`, the owner's to `fwd.<gateway>.out`,
 *   in order (one connection per node, and NATS keeps a publisher's order);
 * - the owner runs the connection on a RemoteSocket: the four socket
 *   methods the server uses (getUserData, cork, send, end), so nothing
 *   above the gateway knows the socket is elsewhere;
 * - a gateway tells each owner every 2 s which of its connections are
 *   open; an owner that hears nothing for 10 s closes them, and a gateway
 *   whose workspace changes owner closes its forwarded sockets (1001), so
 *   clients reconnect and resume (OPS-2) on the new owner.
 * HTTP: the gateway sends the request (in parts under the message limit)
 * to `fwd.<owner>.http`; the owner replays it against its own loopback
 * listener, with the client's address in a header only it can set
 * (forwarded-client.ts), and streams the answer back in parts.
 */
import type { HttpRequest, HttpResponse, WebSocket, WebSocketBehavior } from 'uWebSockets.js';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { Packr } from 'msgpackr';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { ConnectionData } from '../server/connections.js';
import {
  type Refusal,
  type UpgradeRequest,
  upgradeRequestOf,
  type WorkspaceGateway,
} from '../server/workspace-gateway.js';
import { FORWARDED_FOR_HEADER, FORWARDED_HEADER, forwardedSecret } from './forwarded-client.js';

const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false });
const ALIVE_EVERY_MS = 2000;
const SILENT_GATEWAY_MS = 10_000;
const OPEN_TIMEOUT_MS = 5000;
/** How long a forwarded upgrade waits for a workspace's owner to serve (a takeover catching up). */
const OPEN_WAIT_MS = 3000;
const HTTP_TIMEOUT_MS = 60_000;
/** Headers a replayed request or a relayed answer must not copy: hop-by-hop, or set by the sender itself. */
const HOP_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  FORWARDED_HEADER,
  FORWARDED_FOR_HEADER,
]);

type Kind = 'visitor' | 'staff';

interface OpenRequest {
  c: string;
  w: string;
  k: Kind;
  r: UpgradeRequest;
}
type OpenAnswer = { ok: true } | { refused: Refusal };
type Inbound = { c: string; t: 'msg'; d: Uint8Array; b: boolean } | { c: string; t: 'close'; code: number };
type Outbound =
  | { c: string; t: 'send'; d: Uint8Array | string; b: boolean }
  | { c: string; t: 'end'; code: number; reason: string };
interface Alive {
  g: string;
  c: string[];
}
type HttpPart =
  | { q: string; t: 'head'; w: string; m: string; u: string; h: [string, string][]; reply: string }
  | { q: string; t: 'body'; d: Uint8Array }
  | { q: string; t: 'end' };
type HttpAnswer =
  | { t: 'head'; s: number; st: string; h: [string, string][] }
  | { t: 'body'; d: Uint8Array }
  | { t: 'end' }
  | { t: 'fail'; s: number; body: unknown };

const subject = {
  open: (node: string) => `switchboard.fwd.${node}.open`,
  in: (node: string) => `switchboard.fwd.${node}.in`,
  out: (node: string) => `switchboard.fwd.${node}.out`,
  alive: (node: string) => `switchboard.fwd.${node}.alive`,
  http: (node: string) => `switchboard.fwd.${node}.http`,
};

const gatewayOf = (key: string): string => key.slice(0, key.lastIndexOf('.'));
/** Part of every connection key this process makes: a restarted node's keys never repeat its last run's. */
const RUN = randomBytes(4).toString('hex');

/** Who owns each workspace now, as this node sees it. */
export interface OwnerView {
  ownerOf(workspace: string): string | undefined;
}

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

/** A subscription whose handler's failure is logged, never thrown into the NATS client. */
function listen(nc: NatsConnection, name: string, handle: (m: Msg) => void, log: Logger): Subscription {
  return nc.subscribe(name, {
    callback: (err, m) => {
      if (err) return void log.warn({ err, subject: name }, 'forwarding subscription failed');
      try {
        handle(m);
      } catch (e) {
        log.error({ err: e, subject: name }, 'forwarded message not handled');
      }
    },
  });
}

/** A message part well under the servers' max_payload. */
function partBytes(nc: NatsConnection): number {
  return Math.max(16 * 1024, Math.floor((nc.info?.max_payload ?? 1024 * 1024) / 2));
}

function notOwner(workspace: string): Refusal {
  return {
    status: '503 Service Unavailable',
    body: {
      error: {
        code: 'not_owner',
        message: `workspace "${workspace}" is moving between nodes or has no owner now; retry shortly`,
      },
    },
  };
}

function isNotOwner(r: Refusal): boolean {
  return (r.body as { error?: { code?: string } } | undefined)?.error?.code === 'not_owner';
}

function refusalAnswer(r: Refusal): { s: number; body: unknown } {
  return { s: Number(r.status.split(' ')[0]), body: r.body };
}

function statusLine(status: number): string {
  const text: Record<number, string> = {
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return `${status} ${text[status] ?? ''}`.trim();
}
