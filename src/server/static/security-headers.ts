/**
 * Headers every web response carries, and the Content-Security-Policy of
 * the HTML pages: scripts only from this server (no inline script), styles
 * only from this server (the widget's constructed style sheets are not
 * inline styles), and connections back to this server over http(s) and
 * ws(s) only. The host name in connect-src comes from the request's Host
 * header, and only when it is a plain host[:port].
 */
export const commonHeaders: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
];

const plainHost = /^(?:[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

export function contentSecurityPolicy(host: string): string {
  const ownSockets = plainHost.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${ownSockets}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** JavaScript is loaded by customer sites from another origin, as modules: it must be readable cross-origin. */
export const scriptHeaders: [string, string][] = [
  ['Access-Control-Allow-Origin', '*'],
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
];

export const pageHeaders: [string, string][] = [['X-Frame-Options', 'DENY']];
