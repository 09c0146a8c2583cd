#!/usr/bin/env node
/**
 * Command line: `switchboard start [--host H] [--port P] [--data DIR]
 * [--durability commit|flushed] [--log-level L] [--no-demo] [--max-upload-bytes N] [--upload-idle-ms N] [--session-ttl-min N] [--refresh-ttl-days N] [--frame-rate N] [--frame-burst N] [--min-free-bytes N] [--record FILE] [--tls-cert FILE --tls-key FILE] [--report-time-zone ZONE] [--nats URLS [--node-id ID] [--lease-ms N]]`.
 * SWITCHBOARD_HOST, _PORT, _DATA, _DURABILITY, _LOG_LEVEL, _DEMO=0, _MAX_UPLOAD_BYTES, _UPLOAD_IDLE_MS, _SESSION_TTL_MIN, _REFRESH_TTL_DAYS, _FRAME_RATE, _FRAME_BURST, _MIN_FREE_BYTES, _RECORD, _TLS_CERT, _TLS_KEY do the same.
 * SIGHUP reloads the TLS certificate and key (WEB-1); SIGTERM and SIGINT stop gracefully.
 * `switchboard backup <file> [--data DIR]` and `switchboard restore <file> [--data DIR] [--force]` (OPS-3).
 * `switchboard workspace list|create|export|delete …` (CLUSTER-1, src/workspace-commands.ts).
 * `switchboard simulate <scenario.json> [--replay FILE] [--compare FILE] [--seed N] [--json]`: the routing simulator (SIM-1, SIM-2).
 */
import { hostname } from 'node:os';
import { loadConfig, ConfigError, sessionTimesOf } from './config.js';
import { startServer } from './app.js';
import { createLogger } from './logger.js';
import type { DemoCredential } from './seed.js';
import { BACKUP_USAGE, runBackup, runRestore } from './backup-commands.js';
import { runWorkspace, WORKSPACE_USAGE } from './workspace-commands.js';
import { StoreError } from './store/lmdb-store.js';
import { TlsError } from './server/tls.js';
import { simulateCommand, SIMULATE_USAGE } from './sim/command.js';

const USAGE = `usage: switchboard start [--host 127.0.0.1] [--port 8080] [--data ./data] [--durability commit|flushed] [--log-level info] [--no-demo] [--max-upload-bytes 10485760] [--upload-idle-ms 8000] [--session-ttl-min 720] [--refresh-ttl-days 30] [--frame-rate 200] [--frame-burst 2000] [--min-free-bytes 67108864] [--record traffic.jsonl] [--tls-cert cert.pem --tls-key key.pem] [--report-time-zone UTC] [--nats nats://127.0.0.1:4222,... [--node-id ID] [--lease-ms 5000]]`;
// SIM-1, SIM-2: the routing simulator and what-if replays.
const USAGES = `${USAGE}\n${BACKUP_USAGE}\n${WORKSPACE_USAGE.replace('usage: ', '       ')}\n       ${SIMULATE_USAGE.replace('usage: ', '')}`;

function printCredentials(
  creds: DemoCredential[],
  host: string,
  port: number,
  verificationSecret: string | undefined,
  tls: boolean,
): void {
  const [ws, http] = tls ? ['wss', 'https'] : ['ws', 'http'];
  // Printed once, at first start, to the terminal rather than the log: these are secrets.
  const lines = [
    '',
    'Demo workspace created. Staff sign-in details (shown only this once):',
    ...creds.map((c) => `  ${c.role.padEnd(10)} ${c.email.padEnd(34)} password: ${c.password}  token: ${c.token}`),
    ...(verificationSecret
      ? ['', `Login verification secret (CUST-1; sign user ids with HMAC-SHA256, hex): ${verificationSecret}`]
      : []),
    '',
    `Visitors: ${ws}://${host}:${port}/v1/visitor   Staff: ${ws}://${host}:${port}/v1/staff?token=<token>`,
    `The tokens are first sessions; once they expire, sign in with the password: POST ${http}://${host}:${port}/api/v1/auth/signin {"email","password"}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A wildcard listen address is not one a browser can open. */
/** CLUSTER-2: a node id when none is given: the host name and the port (the pid for a random port). */
function defaultNodeId(port: number): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 40);
  return `${host}-${port || process.pid}`;
}

function browserHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'backup' || command === 'restore') {
    process.exitCode = await (command === 'backup' ? runBackup : runRestore)(rest, process.env);
    return;
  }
  if (command === 'workspace') {
    process.exitCode = await runWorkspace(rest, process.env);
    return;
  }
  if (command === 'simulate') {
    process.exitCode = await simulateCommand(
      rest,
      (t) => process.stdout.write(t),
      (t) => process.stderr.write(t),
    );
    return;
  }
  if (command !== 'start') {
    const help = command === undefined || command === '--help' || command === '-h' || command === 'help';
    // A mistyped command says what was wrong before the usage, like every other usage error.
    process.stderr.write(`${help ? '' : `unknown command "${command}"\n`}${USAGES}\n`);
    process.exitCode = help ? 0 : 2;
    return;
  }
  let config;
  try {
    config = loadConfig(rest, process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exitCode = err instanceof ConfigError ? 2 : 1;
    return;
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer({
    host: config.host,
    port: config.port,
    dataDir: config.dataDir,
    ...(config.durability !== 'cluster' ? { durability: config.durability } : {}),
    demo: config.demo,
    maxUploadBytes: config.maxUploadBytes,
    uploadIdleMs: config.uploadIdleMs,
    sessionTimes: sessionTimesOf(config),
    frameRate: { perSecond: config.frameRate, burst: config.frameBurst },
    minFreeBytes: config.minFreeBytes,
    reportTimeZone: config.reportTimeZone,
    logger,
    ...(config.record !== undefined ? { record: config.record } : {}),
    ...(config.nats
      ? {
          cluster: {
            servers: config.nats,
            nodeId: config.nodeId ?? defaultNodeId(config.port),
            leaseMs: config.leaseMs,
          },
        }
      : {}),
    ...(config.tlsCert !== undefined && config.tlsKey !== undefined
      ? { tls: { certFile: config.tlsCert, keyFile: config.tlsKey } }
      : {}),
  });
  // The newcomer's way in (README): the demo shop with the widget.
  process.stdout.write(
    `\nSwitchboard is running. Open the demo: ${server.tls ? 'https' : 'http'}://${browserHost(server.host)}:${server.port}/demo\n`,
  );
  if (server.demoCredentials.length)
    printCredentials(server.demoCredentials, server.host, server.port, server.demoVerificationSecret, server.tls);
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // WEB-1: as nginx does, SIGHUP re-reads the certificate (renewed by certbot or the like) without a restart.
  process.on('SIGHUP', () => {
    if (server.tls) server.reloadTls();
    else logger.info('SIGHUP: the server serves no TLS, nothing to reload');
  });
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // A store of another data format, or one that cannot be opened: the reason is the whole story, no stack.
  if (err instanceof StoreError || err instanceof TlsError) {
    process.stderr.write(`switchboard failed to start: ${err.code}: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`switchboard failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
