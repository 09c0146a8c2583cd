/**
 * WEB-1: which web pages may use the visitor endpoints, from the request's
 * `Origin` and `Host` headers and the workspace's list of sites that may
 * embed the widget (actors/workspace/widget-origins.ts). Asked on the
 * visitor WebSocket upgrade and by the file routes' CORS answers; staff are
 * never asked, since their pages are the server's own.
 */
import { widgetOriginAllowed } from '../../actors/workspace/widget-origins.js';
import type { Headers } from './http-exchange.js';

/**
 * A request without `Origin` comes from no web page (an app, a server, a test client), which an
 * Origin check could not stop anyway, so it passes. A page the server itself serves (the demo
 * shop; behind a proxy that passes `Host` on) always may; any other site must be on the list.
 */
export function pageMayEmbed(origin: string, host: string, list: readonly string[] | undefined): boolean {
  if (origin === '') return true;
  if (sameHost(origin, host)) return true;
  return widgetOriginAllowed(origin, list);
}

function sameHost(origin: string, host: string): boolean {
  if (host === '') return false;
  try {
    const page = new URL(origin);
    return new URL(`${page.protocol}//${host}`).host === page.host;
  } catch {
    return false;
  }
}

/** Names the headers a CORS answer depends on, so a cache never serves one site's answer to another. */
const VARY: Headers = [['vary', 'Origin']];

/**
 * The CORS headers of an answer to a page of `origin`: the origin echoed (never `*`) when it may
 * embed the widget; nothing that lets the page read the answer when it may not.
 */
export function corsHeaders(origin: string, host: string, list: readonly string[] | undefined): Headers {
  if (origin === '' || !pageMayEmbed(origin, host, list)) return VARY;
  return [['access-control-allow-origin', origin], ...VARY];
}
