/**
 * A customer's website on another origin (its own HTTP server on a random
 * loopback port, named "localhost" while Switchboard is reached as
 * 127.0.0.1), embedding the widget snippet: the widget must load and chat
 * across origins.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface HostSite {
  url: string;
  close(): Promise<void>;
}

/** `tls`: served over HTTPS with this certificate and key (PEM files), as customer sites are (WEB-1). */
export async function startHostSite(html: string, tls?: { certFile: string; keyFile: string }): Promise<HostSite> {
  const serve: RequestListener = (req, res) => {
    if (req.url !== '/') {
      res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  };
  const server: Server = tls
    ? createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, serve)
    : createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://localhost:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function snippet(serverPort: number, attrs: Record<string, string> = {}): string {
  const data = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${v}"`)
    .join('');
  return `<script src="http://127.0.0.1:${serverPort}/widget.js"${data} async></script>`;
}
