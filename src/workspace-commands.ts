/**
 * CLUSTER-1 operator commands on a data directory's workspaces:
 *
 *   switchboard workspace list [--data DIR] [--json]
 *   switchboard workspace create <id> [--data DIR] [--admin-email E] [--admin-name N]
 *   switchboard workspace export <id> <file> [--data DIR]
 *   switchboard workspace delete <id> [--data DIR] [--force]
 *
 * `list` and `export` read, so they run beside a server (export copies from
 * one consistent read, like `backup`). `create` and `delete` change the
 * store under the actors' feet, so they take the data directory's lock and
 * are refused while a server runs on it. Exit codes as `backup`: 0 done,
 * 1 refused or failed (the reason and its code on stderr), 2 bad usage.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Keys, Prefix } from '../actors/keyspace.js';
import { RealClock } from '../actors/clock.js';
import { noRoutingMetrics } from '../actors/metrics.js';
import type { StaffRecord } from '../actors/agent/records.js';
import { hashPassword } from './auth/passwords.js';
import { createLogger } from './logger.js';
import { UTC } from './reports/report-zone.js';
import { ServedWorkspace } from './workspaces/served-workspace.js';
import type { SessionRecord } from '../actors/sessions.js';
import { type Output, readingStore } from './backup-commands.js';
import { defaults, sessionTimesOf } from './config.js';
import { lockDataDir } from './store/data-dir-lock.js';
import { LmdbStore, StoreError } from './store/lmdb-store.js';
import { DEFAULT_WORKSPACE, workspaceIdProblem } from './workspaces/workspace-id.js';

export const WORKSPACE_USAGE = [
  'usage: switchboard workspace list [--data ./data] [--json]',
  '       switchboard workspace create <id> [--data ./data] [--admin-email E] [--admin-name N]',
  '       switchboard workspace export <id> <file> [--data ./data]',
  '       switchboard workspace delete <id> [--data ./data] [--force]',
].join('\n');

const stdio: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** What a workspace holds that a delete would end: conversations still open, staff sessions still valid. */
export interface WorkspaceActivity {
  openConversations: number;
  liveSessions: number;
}

export function activityOf(store: LmdbStore, id: string, now: number): WorkspaceActivity {
  const view = store.workspace(id);
  let openConversations = 0;
  for (const _ of view.records(Keys.allOpen)) openConversations++;
  let liveSessions = 0;
  for (const { value } of view.records<SessionRecord>([Prefix.session])) {
    if (value.refreshExpiresAt > now) liveSessions++;
  }
  return { openConversations, liveSessions };
}

class UsageError extends Error {}

interface Parsed {
  positionals: string[];
  dataDir: string;
  force: boolean;
  json: boolean;
  adminEmail?: string;
  adminName?: string;
}

function parse(argv: string[], env: NodeJS.ProcessEnv): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        force: { type: 'boolean' },
        json: { type: 'boolean' },
        'admin-email': { type: 'string' },
        'admin-name': { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
    const dataDir = values.data ?? (env.SWITCHBOARD_DATA || undefined) ?? defaults.dataDir;
    return {
      positionals,
      dataDir,
      force: values.force === true,
      json: values.json === true,
      ...(values['admin-email'] !== undefined ? { adminEmail: values['admin-email'] } : {}),
      ...(values['admin-name'] !== undefined ? { adminName: values['admin-name'] } : {}),
    };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Opens the store for reading beside a server that may hold it. */
const reading = <T>(dataDir: string, work: (store: LmdbStore) => Promise<T> | T): Promise<T> =>
  readingStore(dataDir, 'store_missing', work);

/** Opening would create an empty store: a mistyped --data must not look like a store without workspaces. */
function requireStore(dataDir: string): void {
  if (!existsSync(join(dataDir, 'data.mdb'))) throw new StoreError('store_missing', `no store in ${dataDir}`);
}

/** Opens the store for a change, holding the data directory's lock so that no server starts meanwhile. */
async function changing<T>(dataDir: string, work: (store: LmdbStore) => Promise<T>): Promise<T> {
  requireStore(dataDir);
  const lock = lockDataDir(dataDir);
  try {
    const store = LmdbStore.open(dataDir, 'commit');
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  } finally {
    lock.release();
  }
}

function newId(id: string | undefined): string {
  if (id === undefined) throw new UsageError('a workspace id is needed');
  const problem = workspaceIdProblem(id);
  if (problem) throw new StoreError('workspace_invalid', problem);
  return id;
}

function existingId(store: LmdbStore, id: string): string {
  if (!store.workspaces().some((w) => w.id === id)) throw new StoreError('workspace_unknown', `no workspace "${id}"`);
  return id;
}

function arity(p: Parsed, n: number, what: string): void {
  if (p.positionals.length !== n) throw new UsageError(`${what} takes ${n === 1 ? 'one argument' : `${n} arguments`}`);
}

const subcommands: Record<string, (p: Parsed, io: Output) => Promise<void>> = {
  list: async (p, io) => {
    arity(p, 0, 'list');
    const rows = await reading(p.dataDir, (store) => {
      const now = Date.now();
      return store.workspaces().map((w) => ({ ...w, ...activityOf(store, w.id, now) }));
    });
    if (p.json) return io.out(JSON.stringify(rows));
    for (const w of rows) {
      io.out(
        `${w.id.padEnd(32)} created ${new Date(w.createdAt).toISOString()}  open conversations ${w.openConversations}  live sessions ${w.liveSessions}`,
      );
    }
  },
  create: async (p, io) => {
    arity(p, 1, 'create');
    const id = newId(p.positionals[0]);
    if (p.adminEmail !== undefined && !EMAIL.test(p.adminEmail))
      throw new UsageError(`--admin-email "${p.adminEmail}" is not an e-mail address`);
    const admin = await changing(p.dataDir, async (store) => {
      if (!(await store.createWorkspace(id)))
        throw new StoreError('workspace_exists', `workspace "${id}" exists already`);
      return p.adminEmail === undefined ? undefined : firstAdmin(store, id, p.adminEmail, p.adminName ?? 'Admin');
    });
    io.out(`workspace ${id} created in ${p.dataDir}`);
    if (admin) {
      io.out(`admin ${admin.email}, password ${admin.password} (shown only this once)`);
      io.out(
        `sign in: POST /w/${id}/api/v1/auth/signin; the widget and clients use /w/${id}/v1/visitor and /w/${id}/v1/staff`,
      );
    }
  },
  export: async (p, io) => {
    arity(p, 2, 'export');
    const [id, file] = p.positionals as [string, string];
    const started = Date.now();
    await reading(p.dataDir, (store) => exportWorkspace(store, existingId(store, id), file));
    io.out(`workspace ${id} exported to ${file} in ${Date.now() - started} ms`);
  },
  delete: async (p, io) => {
    arity(p, 1, 'delete');
    const id = p.positionals[0]!;
    if (id === DEFAULT_WORKSPACE)
      throw new StoreError('workspace_invalid', 'the default workspace cannot be deleted; it always exists');
    const { keys } = await changing(p.dataDir, async (store) => {
      existingId(store, id);
      const activity = activityOf(store, id, Date.now());
      if (!p.force && (activity.openConversations > 0 || activity.liveSessions > 0)) {
        throw new StoreError(
          'workspace_busy',
          `workspace "${id}" has ${activity.openConversations} open conversations and ${activity.liveSessions} live staff sessions; resolve them, or pass --force to delete it anyway`,
        );
      }
      const removed = store.deleteWorkspace(id);
      await store.flush();
      return removed;
    });
    io.out(`workspace ${id} deleted from ${p.dataDir} (${keys} keys)`);
  },
};

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * The first admin of a new workspace, created through the workspace's own actors (as the demo seed creates
 * the default workspace's staff) with a random password, returned once.
 */
async function firstAdmin(
  store: LmdbStore,
  id: string,
  email: string,
  name: string,
): Promise<{ email: string; password: string }> {
  const workspace = await ServedWorkspace.boot(id, store.workspace(id), {
    clock: new RealClock(),
    log: createLogger('silent'),
    metricsFor: () => noRoutingMetrics,
    sessionTimes: sessionTimesOf(defaults),
    reportTimeZone: UTC,
    noReports: false,
  });
  const password = randomBytes(12).toString('base64url');
  const staff: StaffRecord = {
    id: 'admin',
    name,
    email,
    role: 'admin',
    departments: [],
    passwordHash: await hashPassword(password),
  };
  try {
    await workspace.directory.deps.runtime.ask(workspace.directory.workspace, { type: 'createStaff', staff });
  } finally {
    await workspace.stop();
    await store.flush();
  }
  return { email, password };
}

/**
 * Writes a store file holding workspace `id` alone, which `restore` takes.
 * The whole store is first copied from one read transaction (as a backup
 * is), the other workspaces are removed from the copy, and the copy is
 * compacted into `file`: so the export is one commit's state even beside a
 * running server, at the price of room for one full copy while it runs.
 */
export async function exportWorkspace(store: LmdbStore, id: string, file: string): Promise<void> {
  const target = resolve(file);
  const stage = mkdtempSync(join(dirname(target), '.switchboard-export-'));
  try {
    const copyDir = join(stage, 'store');
    mkdirSync(copyDir);
    await store.backup(join(copyDir, 'data.mdb'));
    const copy = LmdbStore.open(copyDir, 'commit');
    try {
      copy.keepOnlyWorkspace(id);
      await copy.flush();
      await copy.backup(target);
    } finally {
      await copy.close();
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** `switchboard workspace …`: parses, runs, and turns the outcome into an exit code. */
export async function runWorkspace(argv: string[], env: NodeJS.ProcessEnv, io: Output = stdio): Promise<number> {
  const [sub, ...rest] = argv;
  const run = sub === undefined ? undefined : subcommands[sub];
  try {
    if (!run) throw new UsageError(sub === undefined ? 'a subcommand is needed' : `unknown subcommand "${sub}"`);
    await run(parse(rest, env), io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n${WORKSPACE_USAGE}`);
      return 2;
    }
    io.err(err instanceof StoreError ? `${err.code}: ${err.message}` : `failed: ${(err as Error).message}`);
    return 1;
  }
}
