/**
 * OPS-3 command line: `switchboard backup <file> [--data DIR]` copies the
 * store while a server may be running on it; `switchboard restore <file>
 * [--data DIR] [--force]` puts a backup in place for a server to start on.
 * Both answer with an exit code: 0 done, 1 refused or failed (the reason on
 * stderr), 2 bad usage.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LmdbStore, StoreError } from './store/lmdb-store.js';
import { restoreStore } from './store/restore.js';
import { tryLockDataDir } from './store/data-dir-lock.js';
import { defaults } from './config.js';

export const BACKUP_USAGE =
  'usage: switchboard backup <file> [--data ./data]\n       switchboard restore <file> [--data ./data] [--force]';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

interface Args {
  file: string;
  dataDir: string;
  force: boolean;
}

function parse(argv: string[], env: NodeJS.ProcessEnv, withForce: boolean): Args | string {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { data: { type: 'string' }, ...(withForce ? { force: { type: 'boolean' } } : {}) },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length !== 1) return 'exactly one backup file is needed';
    const dataDir = (values.data as string | undefined) ?? (env.SWITCHBOARD_DATA || undefined) ?? defaults.dataDir;
    return { file: positionals[0]!, dataDir, force: values.force === true };
  } catch (err) {
    return (err as Error).message;
  }
}

/** Parses, runs `work`, and turns the outcome into an exit code and a line of output. */
async function command(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: Output,
  withForce: boolean,
  work: (args: Args) => Promise<string>,
): Promise<number> {
  const args = parse(argv, env, withForce);
  if (typeof args === 'string') {
    io.err(`${args}\n${BACKUP_USAGE}`);
    return 2;
  }
  try {
    io.out(await work(args));
    return 0;
  } catch (err) {
    io.err(err instanceof StoreError ? `${err.code}: ${err.message}` : `failed: ${(err as Error).message}`);
    return 1;
  }
}

/**
 * Opens the store at `dataDir` to read it, beside a server that may hold it,
 * runs `work` and closes it. Opening would create an empty store, so a
 * mistyped directory is refused with `missing`. Without a server, the lock
 * is held while the data file is checked, so that no server starts writing
 * into the pages being read; beside one, the server has checked it.
 */
export async function readingStore<T>(
  dataDir: string,
  missing: 'backup_invalid' | 'store_missing',
  work: (store: LmdbStore) => Promise<T> | T,
): Promise<T> {
  if (!existsSync(join(dataDir, 'data.mdb'))) throw new StoreError(missing, `no store in ${dataDir}`);
  const lock = tryLockDataDir(dataDir);
  let store: LmdbStore;
  try {
    store = LmdbStore.open(dataDir, 'commit', undefined, { fileChecked: lock === undefined });
  } finally {
    lock?.release();
  }
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function runBackup(argv: string[], env: NodeJS.ProcessEnv, io: Output = stdio): Promise<number> {
  return command(argv, env, io, false, async (args) => {
    const started = Date.now();
    await readingStore(args.dataDir, 'backup_invalid', (store) => store.backup(args.file));
    return `backup written to ${args.file}: ${statSync(args.file).size} bytes in ${Date.now() - started} ms`;
  });
}

export function runRestore(argv: string[], env: NodeJS.ProcessEnv, io: Output = stdio): Promise<number> {
  return command(argv, env, io, true, async (args) => {
    const { bytes } = restoreStore(args.file, args.dataDir, { force: args.force });
    return `restored ${args.file} into ${args.dataDir} (${bytes} bytes)`;
  });
}
