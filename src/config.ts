/**
 * Server configuration: defaults, then SWITCHBOARD_* environment variables,
 * then command-line flags (highest precedence).
 */
import { parseArgs } from 'node:util';
import type { Durability } from './store/lmdb-store.js';
import type { LevelWithSilent } from 'pino';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  durability: Durability;
  logLevel: LevelWithSilent;
  /** Create the demo workspace (departments and staff) when the store is empty. */
  demo: boolean;
  /** CONV-1: largest file upload, in bytes. */
  maxUploadBytes: number;
  /** SIM-2: append committed conversation traffic to this file, for what-if replays; off when absent. */
  record?: string;
}

export const defaults: Config = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: './data',
  durability: 'commit',
  logLevel: 'info',
  demo: true,
  maxUploadBytes: 10 * 1024 * 1024,
};

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
    record: { type: 'string' },
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
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? (env[`SWITCHBOARD_${name}`] || undefined);
  const port = Number(pick(values.port, 'PORT') ?? defaults.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid port: ${String(pick(values.port, 'PORT'))}`);
  const durability = pick(values.durability, 'DURABILITY') ?? defaults.durability;
  if (durability !== 'commit' && durability !== 'flushed') throw new ConfigError(`durability must be "commit" or "flushed", not "${durability}"`);
  const logLevel = pick(values['log-level'], 'LOG_LEVEL') ?? defaults.logLevel;
  if (!LEVELS.includes(logLevel)) throw new ConfigError(`log level must be one of ${LEVELS.join(', ')}`);
  const maxUpload = pick(values['max-upload-bytes'], 'MAX_UPLOAD_BYTES');
  const maxUploadBytes = Number(maxUpload ?? defaults.maxUploadBytes);
  // 1 GiB: LMDB keeps a file as one value, and it is held in memory while it arrives.
  if (!Number.isInteger(maxUploadBytes) || maxUploadBytes < 1 || maxUploadBytes > 2 ** 30) throw new ConfigError(`invalid max upload bytes: ${String(maxUpload)} (1 to 1073741824)`);
  const record = pick(values.record, 'RECORD');
  const noDemo = values['no-demo'] === true || env.SWITCHBOARD_DEMO === '0' || env.SWITCHBOARD_DEMO === 'false';
  return {
    host: pick(values.host, 'HOST') ?? defaults.host,
    port,
    dataDir: pick(values.data, 'DATA') ?? defaults.dataDir,
    durability,
    logLevel: logLevel as LevelWithSilent,
    demo: !noDemo,
    maxUploadBytes,
    ...(record !== undefined ? { record } : {}),
  };
}
