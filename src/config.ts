/**
 * Server configuration: defaults, then SWITCHBOARD_* environment variables,
 * then command-line flags (highest precedence).
 */
import { parseArgs } from 'node:util';
import type { Durability } from './store/lmdb-store.js';
import type { LevelWithSilent } from 'pino';
import type { SessionTimes } from '../actors/sessions.js';
import { reportTimeZone as checkedZone } from './reports/report-zone.js';

/** `cluster` (CLUSTER-3): acknowledged once a quorum of the NATS servers has the write; needs --nats. */
export type ConfiguredDurability = Durability | 'cluster';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  durability: ConfiguredDurability;
  logLevel: LevelWithSilent;
  /** Create the demo workspace (departments and staff) when the store is empty. */
  demo: boolean;
  /** CONV-1: largest file upload, in bytes. */
  maxUploadBytes: number;
  /** CONV-1, OPS-5: an upload body that sends no bytes for this many ms is answered 408 and its slot given back. */
  uploadIdleMs: number;
  /** ROLE-4: lifetime of a staff access token, minutes. */
  sessionTtlMin: number;
  /** ROLE-4: lifetime of a refresh token, days. */
  refreshTtlDays: number;
  /** OPS-5: per-connection frame rate limit (frames per second, 0 = off) and burst. */
  frameRate: number;
  frameBurst: number;
  /** OPS-5: writes are refused while the data directory's disk has fewer free bytes than this (0 = never). */
  minFreeBytes: number;
  /** SIM-2: append committed conversation traffic to this file, for what-if replays; off when absent. */
  record?: string;
  /** WEB-1: PEM certificate (chain) and key files: the port serves HTTPS and WSS; both or neither. */
  tlsCert?: string;
  tlsKey?: string;
  /** MON-2: the IANA zone whose local days the reports count by default. */
  reportTimeZone: string;
  /** CLUSTER-2: run as a cluster node on these NATS servers (comma-separated URLs); absent: a single node. */
  nats?: string[];
  /** CLUSTER-2: this node's id in the cluster; the host name and port by default. */
  nodeId?: string;
  /** CLUSTER-3: how long a workspace lease lasts unrenewed (the failover bound's main term), ms. */
  leaseMs: number;
}

export const defaults: Config = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: './data',
  durability: 'commit',
  logLevel: 'info',
  demo: true,
  maxUploadBytes: 10 * 1024 * 1024,
  uploadIdleMs: 8000,
  sessionTtlMin: 720,
  refreshTtlDays: 30,
  frameRate: 200,
  frameBurst: 2000,
  minFreeBytes: 64 * 1024 * 1024,
  reportTimeZone: 'UTC',
  leaseMs: 5000,
};

/** uWebSockets.js closes an HTTP connection that sends nothing for this long (HTTP_IDLE_TIMEOUT_S, fixed in its build). */
export const UWS_HTTP_IDLE_MS = 10_000;

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  override readonly name = 'ConfigError';
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const options = {
    host: { type: 'string' },
    port: { type: 'string' },
    data: { type: 'string' },
    durability: { type: 'string' },
    'log-level': { type: 'string' },
    'no-demo': { type: 'boolean' },
    'max-upload-bytes': { type: 'string' },
    'upload-idle-ms': { type: 'string' },
    'session-ttl-min': { type: 'string' },
    'refresh-ttl-days': { type: 'string' },
    'frame-rate': { type: 'string' },
    'frame-burst': { type: 'string' },
    'min-free-bytes': { type: 'string' },
    record: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'report-time-zone': { type: 'string' },
    nats: { type: 'string' },
    'node-id': { type: 'string' },
    'lease-ms': { type: 'string' },
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    // parseArgs throws a TypeError for unknown flags or missing values: a configuration error all the same.
    throw new ConfigError((err as Error).message);
  }
  const { values } = parsed;
  // An empty variable counts as unset: `SWITCHBOARD_PORT= npm start` must not mean port 0.
  const pick = (flag: string | undefined, name: string): string | undefined =>
    flag ?? (env[`SWITCHBOARD_${name}`] || undefined);
  const port = Number(pick(values.port, 'PORT') ?? defaults.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`invalid port: ${String(pick(values.port, 'PORT'))}`);
  const natsList = pick(values.nats, 'NATS');
  const nats = natsList
    ?.split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (nats !== undefined && nats.length === 0) throw new ConfigError('--nats needs at least one server URL');
  const durability = pick(values.durability, 'DURABILITY') ?? (nats ? 'cluster' : defaults.durability);
  if (durability !== 'commit' && durability !== 'flushed' && durability !== 'cluster')
    throw new ConfigError(`durability must be "commit", "flushed" or "cluster", not "${durability}"`);
  if ((durability === 'cluster') !== (nats !== undefined))
    throw new ConfigError(
      nats
        ? `a cluster node (--nats) acknowledges writes once JetStream has them: its durability is "cluster", not "${durability}"`
        : 'durability "cluster" needs the NATS servers of the cluster (--nats, SWITCHBOARD_NATS)',
    );
  const nodeId = pick(values['node-id'], 'NODE_ID');
  if (nodeId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(nodeId))
    throw new ConfigError(`node id must be 1-64 of A-Z a-z 0-9 _ -, not "${nodeId}"`);
  const logLevel = pick(values['log-level'], 'LOG_LEVEL') ?? defaults.logLevel;
  if (!LEVELS.includes(logLevel)) throw new ConfigError(`log level must be one of ${LEVELS.join(', ')}`);
  const maxUpload = pick(values['max-upload-bytes'], 'MAX_UPLOAD_BYTES');
  const maxUploadBytes = Number(maxUpload ?? defaults.maxUploadBytes);
  // 1 GiB: LMDB keeps a file as one value, and it is held in memory while it arrives.
  if (!Number.isInteger(maxUploadBytes) || maxUploadBytes < 1 || maxUploadBytes > 2 ** 30)
    throw new ConfigError(`invalid max upload bytes: ${String(maxUpload)} (1 to 1073741824)`);
  const count = (flag: string | undefined, name: string, fallback: number, min: number, max = 1_000_000): number => {
    const raw = pick(flag, name);
    const n = Number(raw ?? fallback);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new ConfigError(`invalid ${name.toLowerCase().replaceAll('_', ' ')}: ${String(raw)} (${min} to ${max})`);
    return n;
  };
  const frameRate = count(values['frame-rate'], 'FRAME_RATE', defaults.frameRate, 0);
  const frameBurst = count(values['frame-burst'], 'FRAME_BURST', defaults.frameBurst, 1);
  // uWS itself drops an HTTP connection silent for 10 s (the client gets no answer): the timeout must come before that.
  const uploadIdleMs = count(
    values['upload-idle-ms'],
    'UPLOAD_IDLE_MS',
    defaults.uploadIdleMs,
    100,
    UWS_HTTP_IDLE_MS - 1000,
  );
  const minFreeBytes = count(
    values['min-free-bytes'],
    'MIN_FREE_BYTES',
    defaults.minFreeBytes,
    0,
    Number.MAX_SAFE_INTEGER,
  );
  const sessionTtlMin = count(values['session-ttl-min'], 'SESSION_TTL_MIN', defaults.sessionTtlMin, 1, 7 * 24 * 60);
  const refreshTtlDays = count(values['refresh-ttl-days'], 'REFRESH_TTL_DAYS', defaults.refreshTtlDays, 1, 365);
  const leaseMs = count(values['lease-ms'], 'LEASE_MS', defaults.leaseMs, 300, 600_000);
  const record = pick(values.record, 'RECORD');
  const tlsCert = pick(values['tls-cert'], 'TLS_CERT');
  const tlsKey = pick(values['tls-key'], 'TLS_KEY');
  if ((tlsCert === undefined) !== (tlsKey === undefined))
    throw new ConfigError('TLS needs both --tls-cert and --tls-key (SWITCHBOARD_TLS_CERT, SWITCHBOARD_TLS_KEY)');
  const zoneName = pick(values['report-time-zone'], 'REPORT_TIME_ZONE') ?? defaults.reportTimeZone;
  let reportTimeZone: string;
  try {
    reportTimeZone = checkedZone(zoneName);
  } catch {
    throw new ConfigError(`report time zone must be an IANA zone such as Asia/Shanghai, not "${zoneName}"`);
  }
  const noDemo = values['no-demo'] === true || env.SWITCHBOARD_DEMO === '0' || env.SWITCHBOARD_DEMO === 'false';
  return {
    host: pick(values.host, 'HOST') ?? defaults.host,
    port,
    dataDir: pick(values.data, 'DATA') ?? defaults.dataDir,
    durability,
    logLevel: logLevel as LevelWithSilent,
    demo: !noDemo,
    maxUploadBytes,
    uploadIdleMs,
    sessionTtlMin,
    refreshTtlDays,
    frameRate,
    frameBurst,
    minFreeBytes,
    reportTimeZone,
    leaseMs,
    ...(nats ? { nats } : {}),
    ...(nodeId !== undefined ? { nodeId } : {}),
    ...(record !== undefined ? { record } : {}),
    ...(tlsCert !== undefined && tlsKey !== undefined ? { tlsCert, tlsKey } : {}),
  };
}

/** ROLE-4: the token lifetimes a configuration sets. */
export const sessionTimesOf = (c: Pick<Config, 'sessionTtlMin' | 'refreshTtlDays'>): SessionTimes => ({
  accessTtlMs: c.sessionTtlMin * 60_000,
  refreshTtlMs: c.refreshTtlDays * 24 * 3600_000,
});
