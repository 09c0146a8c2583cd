/**
 * Seeds a benchmark workspace into a fresh data directory: one department and
 * N agent accounts with known sign-in tokens. The actor system is booted on
 * that directory exactly as the server boots it (startServer, no demo
 * workspace, port 0), the department and staff are created through the
 * workspace actor's messages (createDepartment / createStaff, like
 * src/seed.ts), and the server is closed again, so that the store is only ever
 * written by the actors. The caller then starts the real server on the
 * directory.
 */
import { randomBytes } from 'node:crypto';
import type { PolicyName } from '../../actors/routing/decision.js';
import type { StaffRecord } from '../../actors/agent/records.js';
import { startServer } from '../../src/app.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { createLogger } from '../../src/logger.js';
import { LmdbStore } from '../../src/store/lmdb-store.js';
import { DEFAULT_WORKSPACE } from '../../src/workspaces/workspace-id.js';
import type { Directory } from '../../actors/directory.js';

export interface BenchSeedOptions {
  dataDir: string;
  /** Department id (also its name). */
  department: string;
  agents: number;
  /** The department's default maximum concurrent conversations per agent. */
  maxConcurrent: number;
  /** Assignment policy; the department's default (round robin) when absent. */
  policy?: PolicyName;
  /** Also a supervisor of the department, for the department monitor (MON-1, `mixed --monitors`). */
  supervisor?: boolean;
}

export interface BenchSeed {
  agents: BenchAgent[];
  supervisor?: BenchAgent;
}

export interface BenchAgent {
  id: string;
  token: string;
}

/** How many createStaff asks are in flight at once (the workspace actor handles them one by one anyway). */
const CREATE_BATCH = 100;

export async function seedBenchWorkspace(opts: BenchSeedOptions): Promise<BenchSeed> {
  return (await seedBenchWorkspaces(opts, [DEFAULT_WORKSPACE])).get(DEFAULT_WORKSPACE)!;
}

/** CLUSTER-4: the same seed in each of `workspaces` of one store (created first), by workspace id. */
export async function seedBenchWorkspaces(
  opts: BenchSeedOptions,
  workspaces: readonly string[],
): Promise<Map<string, BenchSeed>> {
  const store = LmdbStore.open(opts.dataDir);
  for (const id of workspaces) if (id !== DEFAULT_WORKSPACE) await store.createWorkspace(id);
  await store.close();
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: opts.dataDir,
    demo: false,
    logger: createLogger('warn'),
  });
  try {
    const seeds = new Map<string, BenchSeed>();
    for (const id of workspaces) {
      const served = server.workspaces.get(id);
      if (!served) throw new Error(`workspace ${id} is not served after it was created`);
      seeds.set(id, await seedInto(served.directory, opts));
    }
    return seeds;
  } finally {
    await server.close();
  }
}

async function seedInto(directory: Directory, opts: BenchSeedOptions): Promise<BenchSeed> {
  const { runtime } = directory.deps;
  await runtime.ask(directory.workspace, {
    type: 'createDepartment',
    department: {
      id: opts.department,
      name: opts.department,
      defaultMaxConcurrent: opts.maxConcurrent,
      ...(opts.policy ? { policy: opts.policy } : {}),
    },
  });
  // The agents sign in by token; they share one random password (one scrypt hash instead of N).
  const passwordHash = await hashPassword(randomBytes(12).toString('base64url'));
  const agents: BenchAgent[] = [];
  const width = String(opts.agents).length;
  for (let first = 0; first < opts.agents; first += CREATE_BATCH) {
    const batch: Promise<unknown>[] = [];
    for (let i = first; i < Math.min(opts.agents, first + CREATE_BATCH); i++) {
      const id = `agent-${String(i + 1).padStart(width, '0')}`;
      const staff: StaffRecord = {
        id,
        name: `Agent ${i + 1}`,
        email: `${id}@bench.switchboard.local`,
        role: 'agent',
        departments: [opts.department],
        passwordHash,
      };
      batch.push(
        runtime
          .ask(directory.workspace, { type: 'createStaff', staff })
          .then(() => runtime.ask(directory.sessions, { type: 'open', staffId: id }))
          .then(({ token }) => agents.push({ id, token })),
      );
    }
    await Promise.all(batch);
  }
  if (!opts.supervisor) return { agents };
  const id = 'bench-supervisor';
  await runtime.ask(directory.workspace, {
    type: 'createStaff',
    staff: {
      id,
      name: 'Bench supervisor',
      email: `${id}@bench.switchboard.local`,
      role: 'supervisor',
      departments: [opts.department],
      passwordHash,
    },
  });
  const { token } = await runtime.ask(directory.sessions, { type: 'open', staffId: id });
  return { agents, supervisor: { id, token } };
}
