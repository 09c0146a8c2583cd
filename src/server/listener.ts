/**
 * The listening side of the gateway: one uWebSockets.js app (App, or
 * SSLApp with `--tls-cert`/`--tls-key`) with every route, on one port.
 *
 * WEB-1, reloading the certificate without dropping a connection: an
 * SSLApp's certificate is fixed when it is made, and its server-name (SNI)
 * contexts serve only clients that send a name (not those who open an IP
 * address). So a reload makes a second SSLApp from the new files, with the
 * same routes, listens on the same port beside the first (uWS sets
 * SO_REUSEPORT on a named port), and closes the first listen socket one
 * event-loop turn later, once what it had accepted is taken. Closing a
 * listen socket closes no connection: those open keep their app and their
 * certificate until they end; every new one gets the new certificate.
 */
import { createServer } from 'node:net';
import type { TemplatedApp, us_listen_socket } from 'uWebSockets.js';
import { uws } from './uws.js';
import { TlsError, checkTlsFiles, type TlsFiles, type TlsSummary } from './tls.js';

export class Listener {
  private socket: us_listen_socket | undefined;
  private address: { host: string; port: number } | undefined;
  /** Every app made; an app whose listen socket is closed still serves its open connections. */
  private readonly apps: TemplatedApp[] = [];
  private closing: us_listen_socket[] = [];

  constructor(
    private readonly routes: (app: TemplatedApp) => void,
    private readonly tls: TlsFiles | undefined,
  ) {}

  get secure(): boolean {
    return this.tls !== undefined;
  }

  /** Listens; resolves with the port. Throws a TlsError for TLS files that cannot serve. */
  async listen(host: string, port: number): Promise<{ port: number; tls?: TlsSummary }> {
    const tls = this.tls ? checkTlsFiles(this.tls) : undefined;
    const app = this.makeApp();
    // A reload's second socket needs SO_REUSEPORT, which uWS sets only when a port is named: port 0 is chosen first.
    const named = port === 0 && this.tls ? await freePort(host) : port;
    const socket = listenOn(app, host, named);
    if (!socket) throw new Error(`cannot listen on ${host}:${named}`);
    this.socket = socket;
    this.address = { host, port: uws.us_socket_local_port(socket) };
    return { port: this.address.port, ...(tls ? { tls } : {}) };
  }

  /**
   * Serves new connections with the certificate the files hold now. Throws a TlsError (and
   * changes nothing) when they cannot serve, or when the server serves no TLS.
   */
  reload(): TlsSummary {
    if (!this.tls) throw new TlsError('the server serves no TLS: there is no certificate to reload');
    if (!this.socket || !this.address) throw new TlsError('the server is not listening');
    const summary = checkTlsFiles(this.tls);
    const app = this.makeApp();
    const socket = listenOn(app, this.address.host, this.address.port);
    if (!socket) throw new TlsError(`cannot open a second listen socket on port ${this.address.port}`);
    const old = this.socket;
    this.socket = socket;
    this.closing.push(old);
    setImmediate(() => {
      if (!this.closing.includes(old)) return;
      this.closing = this.closing.filter((s) => s !== old);
      uws.us_listen_socket_close(old);
    });
    return summary;
  }

  /** Stops accepting connections; the open ones stay. */
  close(): void {
    for (const s of [...this.closing, ...(this.socket ? [this.socket] : [])]) uws.us_listen_socket_close(s);
    this.closing = [];
    this.socket = undefined;
  }

  private makeApp(): TemplatedApp {
    let app: TemplatedApp;
    try {
      app = this.tls ? uws.SSLApp({ cert_file_name: this.tls.certFile, key_file_name: this.tls.keyFile }) : uws.App();
    } catch (err) {
      // The files were checked a moment ago: they changed since, or uWS's OpenSSL reads them otherwise.
      throw new TlsError(`uWebSockets.js refused the TLS files: ${String(err)}`);
    }
    this.routes(app);
    this.apps.push(app);
    return app;
  }
}

/** uWS calls back at once: the listen socket, or false. */
function listenOn(app: TemplatedApp, host: string, port: number): us_listen_socket | undefined {
  let socket: us_listen_socket | undefined;
  app.listen(host, port, (token) => {
    if (token) socket = token;
  });
  return socket;
}

/** A port free at this moment on `host`, from the kernel. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
