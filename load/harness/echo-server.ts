/**
 * A bare uWebSockets.js echo server: the baseline of the relay benchmark.
 * Every WebSocket frame (any path) is sent straight back, same bytes, same
 * kind. Run as a child process by the load harness (load/harness/servers.ts):
 *
 *   node dist/load/harness/echo-server.js [--host 127.0.0.1] [--port 0]
 *
 * Prints one JSON line on stdout once listening:
 *   {"listening":true,"host":"127.0.0.1","port":N,"native":true,"module":"..."}
 * and answers GET /readyz with 200. Exits on SIGTERM / SIGINT.
 *
 * uWebSockets.js is loaded the way src/server/uws.ts loads it (createRequire),
 * and the same frame limits are used as the gateway's, so the two servers
 * differ only in what happens between receiving a frame and answering it.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type * as UwsTypes from 'uWebSockets.js';

const require = createRequire(import.meta.url);
const uws = require('uWebSockets.js') as typeof UwsTypes;

/** Same limits as src/server/gateway.ts (64 KiB frames, 1 MiB backpressure). */
const MAX_PAYLOAD_BYTES = 64 * 1024;
const MAX_BACKPRESSURE_BYTES = 1024 * 1024;

function nativeBinary(): string | undefined {
  return Object.keys(require.cache).find((k) => /uWebSockets\.js[\\/]binaries[\\/]uws_.*\.node$/.test(k));
}

function main(): void {
  const { values } = parseArgs({
    options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '0' } },
    strict: true,
    allowPositionals: false,
  });
  const host = values.host;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${values.port}`);

  let listenSocket: UwsTypes.us_listen_socket | undefined;
  const app = uws.App();
  app.ws<Record<string, never>>('/*', {
    maxPayloadLength: MAX_PAYLOAD_BYTES,
    maxBackpressure: MAX_BACKPRESSURE_BYTES,
    closeOnBackpressureLimit: 1,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    // `message` is only valid during this callback; send copies it into the socket's buffer.
    message: (ws, message, isBinary) => {
      ws.send(message, isBinary);
    },
  });
  app.get('/readyz', (res) => {
    res.cork(() => {
      res.writeStatus('200 OK').writeHeader('content-type', 'application/json');
      res.end('{"status":"ready"}');
    });
  });
  app.any('/*', (res) => {
    res.cork(() => res.writeStatus('404 Not Found').end());
  });
  app.listen(host, port, (token) => {
    if (!token) {
      process.stderr.write(`echo-server: cannot listen on ${host}:${port}\n`);
      process.exit(1);
    }
    listenSocket = token;
    const binary = nativeBinary();
    const info = {
      listening: true,
      host,
      port: uws.us_socket_local_port(token),
      native: binary !== undefined,
      module: binary ?? require.resolve('uWebSockets.js'),
    };
    process.stdout.write(`${JSON.stringify(info)}\n`);
  });

  const stop = (): void => {
    if (listenSocket) uws.us_listen_socket_close(listenSocket);
    listenSocket = undefined;
    // Open client sockets would keep the loop alive; the bench is done with them anyway.
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
