/**
 * OPS-1 (issue 13, defect 7): a data directory is a directory whatever its
 * name. lmdb-js took a path with an extension (`data.v2`, the names
 * `mktemp -d` makes) for a data file and refused it. A start that fails
 * leaves no directory it created, and stores written before keep opening
 * with the same files inside.
 */
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { runCli, startServerProcess } from './support/process.js';
import { startTestServer, tempDataDir } from './support/server.js';
import { converse, messagesOf } from './support/conversation-probe.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { runBackup, runRestore } from '../src/backup-commands.js';

t.test(
  "OPS-1: a server starts on a data directory named with a dot (./data.v2), keeps LMDB's two files in it, and finds its data after a restart",
  async (t) => {
    const work = tempDataDir();
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const dataDir = join(work, 'data.v2');
    const first = await startServerProcess(dataDir);
    t.teardown(() => first.proc.kill('SIGKILL'));
    const { visitorId, conversationId } = await converse(first, 'kept in data.v2');
    first.proc.kill('SIGTERM');
    t.same(await first.exited, { code: 0, signal: null });
    t.same(
      readdirSync(dataDir).sort(),
      ['data.mdb', 'lock.mdb'],
      'a directory holding data.mdb and lock.mdb, as always',
    );

    const again = await startServerProcess(dataDir);
    t.teardown(() => again.proc.kill('SIGKILL'));
    t.same(await messagesOf(again, visitorId, conversationId), ['kept in data.v2']);
    again.proc.kill('SIGTERM');
    await again.exited;
  },
);

t.test(
  'OPS-1 OPS-3: a mktemp-style directory (a dot in the name, already there and empty) serves, backs up and restores',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard.'));
    const work = tempDataDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const s = await startTestServer({ dataDir: dir, keepData: true });
    await s.server.store.writeRecords([{ key: ['probe'], value: 'in a dotted directory' }]);
    await s.stop();
    const file = join(work, 'b.backup');
    const errors: string[] = [];
    const io = { out: () => undefined, err: (line: string) => void errors.push(line) };
    t.equal(await runBackup([file, '--data', dir], {}, io), 0, `backup of a dotted directory ${errors.join()}`);
    const target = join(work, 'restored.v3');
    t.equal(await runRestore([file, '--data', target], {}, io), 0, `restore into a dotted directory ${errors.join()}`);
    const store = LmdbStore.open(target);
    t.teardown(() => store.close());
    t.equal(store.getRecord(['probe']), 'in a dotted directory');
  },
);

async function portInUse(): Promise<{ port: number; close(): Promise<void> }> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  return {
    port: (holder.address() as AddressInfo).port,
    close: () => new Promise((resolve) => holder.close(() => resolve())),
  };
}

t.test(
  'OPS-1: a start that fails (its port is in use) leaves no data directory it created, and leaves an existing one as it was',
  async (t) => {
    const work = tempDataDir();
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const taken = await portInUse();
    t.teardown(() => taken.close());

    const fresh = join(work, 'new', 'data');
    const failed = await runCli(['start', '--data', fresh, '--port', String(taken.port), '--log-level', 'warn']);
    t.equal(failed.code, 1, 'the start fails');
    t.match(failed.stderr, `cannot listen on 127.0.0.1:${taken.port}`);
    t.equal(existsSync(join(work, 'new')), false, 'no directory is left behind, not even the parent it created');

    const existing = join(work, 'existing');
    mkdirSync(existing);
    writeFileSync(join(existing, 'README'), 'operator notes');
    const again = await runCli(['start', '--data', existing, '--port', String(taken.port), '--log-level', 'warn']);
    t.equal(again.code, 1);
    t.same(
      readdirSync(existing).sort(),
      ['README', 'data.mdb', 'lock.mdb'],
      'an existing directory is kept, with the store the failed start made in it',
    );
  },
);

t.test(
  'OPS-1: a store written the way the server wrote it before (lmdb-js given the directory path) opens with its data and the same file names',
  async (t) => {
    const dir = tempDataDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    // The open call LmdbStore made before this change, on a path without a dot, and its layout (format 1, one workspace).
    const before = open({ path: dir, maxDbs: 8, compression: false });
    await before
      .openDB<{ formatVersion: number; createdAt: number }, string>({ name: 'meta' })
      .put('format', { formatVersion: 1, createdAt: 1 });
    const events = before.openDB<unknown, (string | number)[]>({ name: 'events' });
    for (let seq = 1; seq <= 100; seq++) void events.put(['s1', seq], { n: seq });
    await before.flushed;
    await before.close();
    t.same(readdirSync(dir).sort(), ['data.mdb', 'lock.mdb']);

    const store = LmdbStore.open(dir);
    t.equal(store.lastSeq('s1'), 100, 'the events are read');
    t.same(
      [...store.read<{ n: number }>('s1', 99)].map((e) => e.event.n),
      [99, 100],
    );
    await store.append('s1', 101, { n: 101 });
    await store.close();
    t.same(readdirSync(dir).sort(), ['data.mdb', 'lock.mdb'], 'and the files inside are the same two');
  },
);
