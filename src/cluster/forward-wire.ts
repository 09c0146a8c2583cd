/**
 * CLUSTER-2, the wire of forwarding (forward-target.ts: the owner's side; forward-gateway.ts: the
 * forwarding node's side): every node accepts every client. A node that does not own a
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
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { Packr } from 'msgpackr';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { Refusal, UpgradeRequest } from '../server/workspace-gateway.js';
import { FORWARDED_FOR_HEADER, FORWARDED_HEADER } from './forwarded-client.js';

export const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false });
export const ALIVE_EVERY_MS = 2000;
export const SILENT_GATEWAY_MS = 10_000;
export const OPEN_TIMEOUT_MS = 5000;
/** How long a forwarded upgrade waits for a workspace's owner to serve (a takeover catching up). */
export const OPEN_WAIT_MS = 3000;
export const HTTP_TIMEOUT_MS = 60_000;
/** Headers a replayed request or a relayed answer must not copy: hop-by-hop, or set by the sender itself. */
export const HOP_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  FORWARDED_HEADER,
  FORWARDED_FOR_HEADER,
]);

export type Kind = 'visitor' | 'staff';

export interface OpenRequest {
  c: string;
  w: string;
  k: Kind;
  r: UpgradeRequest;
}
export type OpenAnswer = { ok: true } | { refused: Refusal };
export type Inbound = { c: string; t: 'msg'; d: Uint8Array; b: boolean } | { c: string; t: 'close'; code: number };
export type Outbound =
  | { c: string; t: 'send'; d: Uint8Array | string; b: boolean }
  | { c: string; t: 'end'; code: number; reason: string };
export interface Alive {
  g: string;
  c: string[];
}
export type HttpPart =
  | { q: string; t: 'head'; w: string; m: string; u: string; h: [string, string][]; reply: string }
  | { q: string; t: 'body'; d: Uint8Array }
  | { q: string; t: 'end' };
export type HttpAnswer =
  | { t: 'head'; s: number; st: string; h: [string, string][] }
  | { t: 'body'; d: Uint8Array }
  | { t: 'end' }
  | { t: 'fail'; s: number; body: unknown };

export const subject = {
  open: (node: string) => `switchboard.fwd.${node}.open`,
  in: (node: string) => `switchboard.fwd.${node}.in`,
  out: (node: string) => `switchboard.fwd.${node}.out`,
  alive: (node: string) => `switchboard.fwd.${node}.alive`,
  http: (node: string) => `switchboard.fwd.${node}.http`,
};

export const gatewayOf = (key: string): string => key.slice(0, key.lastIndexOf('.'));
/** Part of every connection key this process makes: a restarted node's keys never repeat its last run's. */
export const RUN = randomBytes(4).toString('hex');

/** Who owns each workspace now, as this node sees it. */
export interface OwnerView {
  ownerOf(workspace: string): string | undefined;
}

/** A subscription whose handler's failure is logged, never thrown into the NATS client. */
export function listen(nc: NatsConnection, name: string, handle: (m: Msg) => void, log: Logger): Subscription {
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
export function partBytes(nc: NatsConnection): number {
  return Math.max(16 * 1024, Math.floor((nc.info?.max_payload ?? 1024 * 1024) / 2));
}

export function notOwner(workspace: string): Refusal {
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

export function isNotOwner(r: Refusal): boolean {
  return (r.body as { error?: { code?: string } } | undefined)?.error?.code === 'not_owner';
}

export function refusalAnswer(r: Refusal): { s: number; body: unknown } {
  return { s: Number(r.status.split(' ')[0]), body: r.body };
}

export function statusLine(status: number): string {
  const text: Record<number, string> = {
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return `${status} ${text[status] ?? ''}`.trim();
}
