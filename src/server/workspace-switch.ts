/**
 * CLUSTER-2: a workspace's routes on a cluster node, which owns the
 * workspace at some times and not at others. Its routes are registered once
 * (uWS cannot remove a route); each request and each new socket goes to the
 * workspace's own routes (WorkspaceGateway) while this node owns it, and to
 * the forwarder (src/cluster/forward-gateway.ts) while another node does. A
 * socket stays with the side it opened on until it closes.
 *
 * The owned side's handlers are taken from a WorkspaceGateway by letting it
 * register on a recorder, so the workspace's routes are defined in one place
 * (workspace-gateway.ts, files-http.ts, api/router.ts); ROUTES lists their
 * patterns, and install() refuses a gateway that registers one not listed.
 */
import type { HttpRequest, HttpResponse, TemplatedApp, WebSocket, WebSocketBehavior } from 'uWebSockets.js';
import { DEFAULT_WORKSPACE } from '../../protocol/workspace-scope.js';
import type { ConnectionData } from './connections.js';
import { CloseCodes } from '../../protocol/close-codes.js';
import { SOCKET_OPTIONS, type WorkspaceGateway } from './workspace-gateway.js';
import { API_PREFIX } from './api/router.js';
import type { ForwardGateway } from '../cluster/forward-gateway.js';
import { FORWARDED_HEADER, isForwarded } from '../cluster/forwarded-client.js';

type Method = 'get' | 'post' | 'options' | 'any';
type Handler = (res: HttpResponse, req: HttpRequest) => void;
type Kind = 'visitor' | 'staff';

/** The workspace's HTTP routes below its prefix, in the order the workspace gateway registers them. */
const ROUTES: [Method, string][] = [
  ['options', '/v1/files'],
  ['options', '/v1/files/:id'],
  ['post', '/v1/files'],
  ['get', '/v1/files/:id'],
  ['any', `${API_PREFIX}/*`],
];
const SOCKETS: [Kind, string][] = [
  ['visitor', '/v1/visitor'],
  ['staff', '/v1/staff'],
];

export class WorkspaceSwitch {
  private local: WorkspaceGateway | undefined;
  private handlers = new Map<string, Handler>();
  private behaviors = new Map<string, WebSocketBehavior<ConnectionData>>();
  /** The owned side's handlers of each open local socket: they outlive a step-down until the socket closes. */
  private readonly opened = new WeakMap<ConnectionData, WebSocketBehavior<ConnectionData>>();

  constructor(
    readonly workspaceId: string,
    readonly prefix: string,
    private readonly forwarder: ForwardGateway,
  ) {}

  get prefixes(): string[] {
    return this.prefix ? [this.prefix] : ['', `/w/${DEFAULT_WORKSPACE}`];
  }

  /** The workspace's own routes, while this node owns it. */
  get gateway(): WorkspaceGateway | undefined {
    return this.local;
  }

  /** This node owns the workspace now: requests and new sockets go to `gateway`. */
  install(gateway: WorkspaceGateway): void {
    const handlers = new Map<string, Handler>();
    const behaviors = new Map<string, WebSocketBehavior<ConnectionData>>();
    const known = new Set([...ROUTES.map(([m, p]) => `${m} ${p}`), ...SOCKETS.map(([, p]) => `ws ${p}`)]);
    // Keyed by the whole pattern: a handler knows the prefix it was registered under (the default workspace has two).
    const record = (method: string, pattern: string): string => {
      const p = this.prefixes.find((x) => x && pattern.startsWith(x));
      const route = `${method} ${p ? pattern.slice(p.length) : pattern}`;
      if (!known.has(route)) throw new Error(`workspace route ${route} is not in WorkspaceSwitch's ROUTES`);
      return `${method} ${pattern}`;
    };
    const recorder = {
      ws: (pattern: string, behavior: WebSocketBehavior<ConnectionData>) =>
        behaviors.set(record('ws', pattern), behavior),
      get: (pattern: string, h: Handler) => handlers.set(record('get', pattern), h),
      post: (pattern: string, h: Handler) => handlers.set(record('post', pattern), h),
      options: (pattern: string, h: Handler) => handlers.set(record('options', pattern), h),
      any: (pattern: string, h: Handler) => handlers.set(record('any', pattern), h),
    };
    gateway.register(recorder as unknown as TemplatedApp);
    this.handlers = handlers;
    this.behaviors = behaviors;
    this.local = gateway;
  }

  /** This node no longer owns the workspace: what comes next is forwarded. Returns the gateway it had. */
  uninstall(): WorkspaceGateway | undefined {
    const had = this.local;
    this.local = undefined;
    return had;
  }

  register(app: TemplatedApp): void {
    for (const p of this.prefixes) {
      for (const [kind, path] of SOCKETS) app.ws<ConnectionData>(`${p}${path}`, this.socket(kind, `${p}${path}`));
      for (const [method, path] of ROUTES) {
        const key = `${method} ${p}${path}`;
        app[method](`${p}${path}`, (res, req) => this.request(key, res, req));
      }
    }
  }

  /** Closes the sockets of the owned side with 1001 (the forwarded ones close with their owner's). */
  closeAll(): void {
    this.local?.closeAll();
  }

  private request(key: string, res: HttpResponse, req: HttpRequest): void {
    const handler = this.local ? this.handlers.get(key) : undefined;
    if (handler) return handler(res, req);
    // Replayed here by this node's own forwarder, but this node let the workspace go meanwhile: never forward twice.
    if (isForwarded(req.getHeader(FORWARDED_HEADER))) {
      res.cork(() =>
        res
          .writeStatus('503 Service Unavailable')
          .writeHeader('content-type', 'application/json')
          .end(
            JSON.stringify({
              error: { code: 'not_owner', message: `workspace "${this.workspaceId}" moved; retry shortly` },
            }),
          ),
      );
      return;
    }
    this.forwarder.http(this.workspaceId, res, req);
  }

  private socket(kind: Kind, pattern: string): WebSocketBehavior<ConnectionData> {
    const forward = this.forwarder.behavior(this.workspaceId, kind);
    const key = `ws ${pattern}`;
    const ownedOf = (ws: WebSocket<ConnectionData>): WebSocketBehavior<ConnectionData> | undefined =>
      this.opened.get(ws.getUserData());
    return {
      ...SOCKET_OPTIONS,
      upgrade: (res, req, context) => {
        const owned = this.local ? this.behaviors.get(key) : undefined;
        if (owned?.upgrade) return owned.upgrade(res, req, context);
        return forward.upgrade!(res, req, context);
      },
      open: (ws) => {
        if (ws.getUserData().forward !== undefined) return forward.open!(ws);
        const owned = this.local ? this.behaviors.get(key) : undefined;
        // Upgraded while this node owned the workspace, opened after it let go: the client reconnects.
        if (!owned) return void ws.end(CloseCodes.goingAway.code, CloseCodes.goingAway.reason);
        this.opened.set(ws.getUserData(), owned);
        return owned.open?.(ws);
      },
      message: (ws, message, isBinary) => {
        if (ws.getUserData().forward !== undefined) return forward.message!(ws, message, isBinary);
        return ownedOf(ws)?.message?.(ws, message, isBinary);
      },
      close: (ws, code, message) => {
        if (ws.getUserData().forward !== undefined) return forward.close!(ws, code, message);
        const owned = ownedOf(ws);
        if (owned) return owned.close?.(ws, code, message);
        ws.getUserData().closed = true;
      },
    };
  }
}
