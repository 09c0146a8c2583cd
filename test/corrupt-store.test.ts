/**
 * OPS-1 (issue 13, defect 6): a damaged data file is refused with a message
 * that names it and says how to recover, and exit code 1. Before, LMDB
 * mapped it and the process died with no word: SIGBUS on a file truncated
 * to half, SIGSEGV on a zeroed or garbage one.
 */
import t from 'tap';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { open } from 'lmdb';
import { runCli } from './support/process.js';
import { startTestServer, tempDataDir } from './support/server.js';
import { openConversation } from './support/conversations.js';
import { LmdbStore, StoreError } from '../src/store/lmdb-store.js';
import { inspectDataFile } from '../src/store/data-file-check.js';
import { Keys } from '../actors/keyspace.js';

const work = tempDataDir();
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const healthy = join(work, 'healthy');

/** A real store: the demo workspace and 300 messages in 30 conversations, written by a server. */
t.before(async () => {
  const s = await startTestServer({ dataDir: healthy, keepData: true });
  for (let c = 0; c < 30; c++) {
    const { v, conversationId } = await openConversation(s, { department: 'pre-sales' });
    for (let i = 0; i < 10; i++)
      await v.ok({ type: 'send', conversationId, clientMsgId: `m${i}`, text: `message ${i} `.repeat(20) });
  }
  await s.stop();
});

/** A copy of the healthy store's directory with its data file damaged by `damage`. */
function damaged(name: string, damage: (file: string, size: number) => void): string {
  const dir = join(work, name);
  mkdirSync(dir);
  const file = join(dir, 'data.mdb');
  copyFileSync(join(healthy, 'data.mdb'), file);
  damage(file, statSync(file).size);
  return dir;
}

const cases: [string, (file: string, size: number) => void, RegExp][] = [
  [
    'truncated to half',
    (file, size) => truncateSync(file, Math.floor(size / 2)),
    /past the end of the file .*: the file is truncated/,
  ],
  [
    'zeroed',
    (file, size) => writeFileSync(file, Buffer.alloc(size)),
    /meta page 0 is not an LMDB meta page \(magic 0x0/,
  ],
  ['garbage', (file, size) => writeFileSync(file, randomBytes(size)), /meta page 0 is not an LMDB meta page/],
];

for (const [name, damage, reason] of cases) {
  t.test(
    `OPS-1: a server on a data file ${name} exits 1 with a message naming the file and suggesting restore`,
    async (t) => {
      const dir = damaged(name.replace(/ /g, '-'), damage);
      const run = await runCli(['start', '--data', dir, '--port', '0', '--log-level', 'warn']);
      t.same({ code: run.code }, { code: 1 }, `exit code 1, not a signal: ${run.stderr.slice(0, 300)}`);
      t.match(
        run.stderr,
        `switchboard failed to start: store_corrupt: data file ${join(dir, 'data.mdb')} is damaged: `,
      );
      t.match(run.stderr, reason);
      t.match(run.stderr, `switchboard restore <backup-file> --data ${dir} --force`);
      t.notMatch(run.stdout, /switchboard listening/);
    },
  );
}

t.test(
  'OPS-1 OPS-3: backup of a damaged store and restore of a damaged backup are refused with exit 1, not a crash',
  async (t) => {
    const dir = damaged('backup-source', (file, size) => truncateSync(file, Math.floor(size / 2)));
    const backup = await runCli(['backup', join(work, 'out.backup'), '--data', dir]);
    t.equal(backup.code, 1, backup.stderr);
    t.match(backup.stderr, `store_corrupt: data file ${join(dir, 'data.mdb')} is damaged`);

    const file = join(work, 'truncated.backup');
    copyFileSync(join(dir, 'data.mdb'), file);
    const target = join(work, 'restore-target');
    const restore = await runCli(['restore', file, '--data', target]);
    t.equal(restore.code, 1, restore.stderr);
    t.match(
      restore.stderr,
      /^backup_invalid: .*truncated\.backup is not a Switchboard backup, or a damaged one: .*truncated/,
    );
  },
);

t.test(
  'OPS-1: the check passes a healthy store, which opens with its data; a store without the format stamp but with data is refused',
  async (t) => {
    const report = inspectDataFile(join(healthy, 'data.mdb'));
    t.equal(report.pageSize, 4096);
    t.ok(
      (report.databases.get('events') ?? 0) >= 300,
      `the events database is found with its entries (${report.databases.get('events')})`,
    );
    const store = LmdbStore.open(healthy);
    t.ok(store.getRecord(Keys.visitorIdKey) !== undefined, 'opens, with what the server wrote');
    await store.close();

    const foreign = join(work, 'foreign');
    const raw = open({ path: foreign, maxDbs: 8 });
    await raw.openDB<string, string>({ name: 'events' }).put('k', 'v');
    await raw.close();
    const err = (() => {
      try {
        LmdbStore.open(foreign);
      } catch (e) {
        return e;
      }
    })();
    t.ok(err instanceof StoreError);
    t.equal((err as StoreError).code, 'store_corrupt');
    t.match(
      (err as Error).message,
      `data file ${join(foreign, 'data.mdb')} holds data (events) but no Switchboard format stamp`,
    );
  },
);

t.test(
  'OPS-1: every meta page and tree page is checked: a damaged second meta page or a tree page that is not itself is refused',
  async (t) => {
    const size = statSync(join(healthy, 'data.mdb')).size;
    const meta1 = damaged('meta1', (file) => {
      const bytes = readFileSync(file);
      bytes.writeUInt32LE(0x12345678, 4096 + 24);
      writeFileSync(file, bytes);
    });
    t.throws(() => inspectDataFile(join(meta1, 'data.mdb')), /meta page 1 is not an LMDB meta page/);
    const version = damaged('version', (file) => {
      const bytes = readFileSync(file);
      bytes.writeUInt32LE(1, 24 + 4);
      writeFileSync(file, bytes);
    });
    t.throws(() => inspectDataFile(join(version, 'data.mdb')), /meta page 0 has LMDB data version 1/);
    // Zero every page but the two meta pages: each tree's root is then a page that does not say it is that page.
    const pages = damaged('pages', (file) => {
      const bytes = readFileSync(file);
      bytes.fill(0, 2 * 4096);
      writeFileSync(file, bytes);
    });
    t.equal(statSync(join(pages, 'data.mdb')).size, size);
    t.throws(() => inspectDataFile(join(pages, 'data.mdb')), /page \d+ does not hold what the tree expects/);
  },
);
