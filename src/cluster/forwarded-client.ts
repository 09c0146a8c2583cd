/**
 * CLUSTER-2: the address of a client whose HTTP request another node
 * forwarded. The owner replays a forwarded request against its own loopback
 * listener, so uWS sees 127.0.0.1; the real address rides in a header that
 * counts only when it carries this process's secret, which no other process
 * knows, so nothing local can forge an address.
 */
import { randomBytes } from 'node:crypto';

export const FORWARDED_HEADER = 'x-switchboard-forwarded';
export const FORWARDED_FOR_HEADER = 'x-switchboard-forwarded-for';

const secret = randomBytes(18).toString('base64url');

/** The value of FORWARDED_HEADER this process's own forwarder sets. */
export function forwardedSecret(): string {
  return secret;
}

/** The client's address: the forwarded one when the request came from this process's forwarder. */
export function clientAddress(remote: string, forwarded: string, forwardedFor: string): string {
  return forwarded === secret && forwardedFor ? forwardedFor : remote;
}

/** Whether a request came from this process's own forwarder (so it must not be forwarded again). */
export function isForwarded(forwarded: string): boolean {
  return forwarded === secret;
}
