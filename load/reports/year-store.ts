/**
 * MON-2 benchmark: a data directory holding a year of conversations, built
 * once per seed and size and kept under the temp directory, so re-runs
 * reuse it. The workspace (departments, agents, an admin) is created by the
 * actors on the real server, as bench-seed.ts does; the year's traffic is
 * then fed through the reports journal in front of the LMDB store, the path
 * every live event takes, so the journal, the tracking records and the
 * hourly rollups are what a server that lived through the year would hold.
 * Writes are issued a batch of conversations per event-loop turn (one LMDB
 * transaction each) instead of one commit per event.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StaffRecord } from '../../actors/agent/records.js';
import { conversationStream } from '../../actors/conversation/records.js';
import { Keys } from '../../actors/keyspace.js';
import { startServer } from '../../src/app.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { createLogger } from '../../src/logger.js';
import { LmdbStore } from '../../src/store/lmdb-store.js';
import { ReportsJournal } from '../../src/reports/reports-journal.js';
import { yearTraffic } from './year-traffic.js';
import { YEAR_DEPARTMENTS, yearAgents } from './year-workspace.js';

/** Bumped when the generator or the layout changes, so an old cached store is not reused. */
const BUILD_VERSION = 1;
/** Conversations per transaction while building. */
const BATCH = 2000;
export const YEAR_START = Date.UTC(2025, 11, 1);

export interface YearStore {
  dataDir: string;
  seed: number;
  conversations: number;
  events: number;
  ratings: number;
  adminEmail: string;
  adminPassword: string;
  /** How long the build took (when this run built it, else the cached build's). */
  buildMs: number;
  dataFileBytes: number;
}

export const yearStoreDir = (seed: number, conversations: number): string =>
  join(tmpdir(), `switchboard-rbench-v${BUILD_VERSION}-s${seed}-n${conversations}`);

/** The cached store for `seed` and `conversations`, built first when missing or incomplete. */
export async function yearStore(
  seed: number,
  conversations: number,
  progress: (line: string) => void,
): Promise<YearStore & { reused: boolean }> {
  const dataDir = yearStoreDir(seed, conversations);
  const marker = join(dataDir, 'rbench-built.json');
  if (existsSync(marker)) return { ...(JSON.parse(readFileSync(marker, 'utf8')) as YearStore), reused: true };
  rmSync(dataDir, { recursive: true, force: true });
  const started = performance.now();
  const adminPassword = randomBytes(12).toString('base64url');
  const adminEmail = 'admin@rbench.switchboard.local';
  await seedWorkspace(dataDir, adminEmail, adminPassword);
  const store = LmdbStore.open(dataDir);
  const journal = new ReportsJournal(store);
  let events = 0;
  let ratings = 0;
  let done = 0;
  let pending: Promise<void>[] = [];
  for (const c of yearTraffic({ seed, conversations, start: YEAR_START, agents: yearAgents() })) {
    for (const w of c.writes) {
      if (w.kind === 'event') {
        events++;
        pending.push(journal.append(conversationStream(c.id), w.event.seq, w.event, w.records));
      } else {
        ratings++;
        pending.push(journal.writeRecords([{ key: Keys.rating(c.id), value: w.rating }]));
      }
    }
    if (++done % BATCH === 0) {
      await Promise.all(pending);
      pending = [];
      if (done % 50_000 === 0)
        progress(`  ${done} conversations, ${events} events, ${Math.round((performance.now() - started) / 1000)} s`);
    }
  }
  await Promise.all(pending);
  await store.close();
  const built: YearStore = {
    dataDir,
    seed,
    conversations,
    events,
    ratings,
    adminEmail,
    adminPassword,
    buildMs: Math.round(performance.now() - started),
    dataFileBytes: statSync(join(dataDir, 'data.mdb')).size,
  };
  writeFileSync(marker, JSON.stringify(built));
  return { ...built, reused: false };
}

/** The departments, agents and admin, created by the actors on a real server start (no demo workspace). */
async function seedWorkspace(dataDir: string, adminEmail: string, adminPassword: string): Promise<void> {
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, demo: false, logger: createLogger('warn') });
  try {
    const { runtime } = server.directory.deps;
    const workspace = server.directory.workspace;
    for (const d of YEAR_DEPARTMENTS)
      await runtime.ask(workspace, {
        type: 'createDepartment',
        department: { id: d.id, name: d.name, defaultMaxConcurrent: 5 },
      });
    const passwordHash = await hashPassword(randomBytes(12).toString('base64url'));
    for (const a of yearAgents()) {
      const staff: StaffRecord = {
        id: a.id,
        name: a.name,
        email: `${a.id}@rbench.switchboard.local`,
        role: 'agent',
        departments: a.departments,
        passwordHash,
      };
      await runtime.ask(workspace, { type: 'createStaff', staff });
    }
    const admin: StaffRecord = {
      id: 'admin',
      name: 'Admin',
      email: adminEmail,
      role: 'admin',
      departments: YEAR_DEPARTMENTS.map((d) => d.id),
      passwordHash: await hashPassword(adminPassword),
    };
    await runtime.ask(workspace, { type: 'createStaff', staff: admin });
  } finally {
    await server.close();
  }
}
