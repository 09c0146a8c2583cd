/**
 * OPS-3: online backup of a running server's store and restore into a new
 * data directory; refusals (non-empty directory, not a backup, another data
 * format) are clear and leave nothing half-done.
 */
import t from 'tap';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import { runCli, startServerProcess, type Credential, type ServerProcess } from './support/process.js';
import { tempDataDir } from './support/server.js';
import { TestClient, type Frame } from './support/client.js';
import { LmdbStore, STORE_FORMAT_VERSION } from '../src/store/lmdb-store.js';
import { runBackup, runRestore } from '../src/backup-commands.js';
import { capture } from './support/captured-output.js';

const url = (p: ServerProcess, path: string) => `ws://127.0.0.1:${p.port}${path}`;
const staffUrl = (p: ServerProcess, c: Credential) => `${url(p, '/v1/staff')}?token=${encodeURIComponent(c.token)}`;
const summary = (events: Frame[]) => events.map((e) => `${e.seq} ${e.type} ${String(e.clientMsgId ?? '')}`);

t.test(
  'OPS-3: a backup taken while the server runs and takes messages restores into a new directory with the same conversations, messages, assignment and queue',
  async (t) => {
    const work = tempDataDir();
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const dataDir = join(work, 'live');
    const restoredDir = join(work, 'restored');
    const file = join(work, 'switchboard.backup');
    let server = await startServerProcess(dataDir);
    t.teardown(() => server.proc.kill('SIGKILL'));
    const creds = new Map(server.credentials);

    const alice = await TestClient.connect(staffUrl(server, creds.get('alice')!), { binary: true });
    await alice.ok({ type: 'status', status: 'online' });
    const a = await TestClient.connect(url(server, '/v1/visitor'), { binary: true });
    const { visitorId } = (await a.ok({ type: 'hello' })) as { visitorId: string };
    const { conversationId } = (await a.ok({ type: 'start', department: 'pre-sales' })) as { conversationId: string };
    await a.waitFor((e) => e.type === 'assigned');
    const queued: string[] = [];
    for (let i = 0; i < 3; i++) {
      const v = await TestClient.connect(url(server, '/v1/visitor'));
      await v.ok({ type: 'hello' });
      queued.push(
        ((await v.ok({ type: 'start', department: 'after-sales' })) as { conversationId: string }).conversationId,
      );
      await v.waitFor((e) => e.type === 'queued');
      v.ws.terminate();
    }
    for (let i = 0; i < 50; i++)
      await a.ok({ type: 'send', conversationId, clientMsgId: `before-${i}`, text: `before ${i}` });

    // Traffic keeps flowing while the backup runs: a send is always in flight.
    let sending = true;
    let sentDuring = 0;
    const traffic = (async () => {
      for (let i = 0; sending; i++) {
        const r = await a.command({ type: 'send', conversationId, clientMsgId: `during-${i}`, text: `during ${i}` });
        if (r.type === 'ack') sentDuring++;
      }
    })();
    while (sentDuring < 20) await new Promise((r) => setTimeout(r, 5));
    const ackedBeforeBackup = sentDuring;
    const backup = await runCli(['backup', file, '--data', dataDir]);
    const ackedAfterBackup = sentDuring;
    sending = false;
    await traffic;
    t.equal(backup.code, 0, `backup exits 0: ${backup.stderr}`);
    t.match(backup.stdout, /^backup written to .*: \d+ bytes in \d+ ms/);
    t.comment(backup.stdout.trim());
    t.ok(
      ackedAfterBackup > ackedBeforeBackup,
      `messages were acknowledged while the backup ran (${ackedAfterBackup - ackedBeforeBackup})`,
    );
    t.same(readdirSync(work).sort(), ['live', 'switchboard.backup'], 'no staging directory is left behind');

    await a.resumeAll(conversationId, 0);
    const original = a.conversationEvents(conversationId);
    for (const c of [alice, a]) c.ws.terminate();
    server.proc.kill('SIGTERM');
    t.equal((await server.exited).code, 0);

    const restore = await runCli(['restore', file, '--data', restoredDir]);
    t.equal(restore.code, 0, `restore exits 0: ${restore.stderr}`);
    t.same(readdirSync(restoredDir), ['data.mdb'], 'only the data file is put in place');
    server = await startServerProcess(restoredDir);
    t.equal(server.credentials.size, 0, 'the restored store has its workspace: no demo seed');

    const a2 = await TestClient.connect(url(server, '/v1/visitor'), { binary: true });
    t.same(
      await a2.ok({ type: 'hello', visitorId }),
      { visitorId, conversationId },
      'the visitor finds their conversation',
    );
    const resumed = await a2.resumeAll(conversationId, 0);
    const restored = a2.conversationEvents(conversationId);
    t.same(
      restored.map((e) => e.seq),
      Array.from({ length: resumed.lastSeq as number }, (_, i) => i + 1),
      'seq is gap-free from 1',
    );
    t.same(
      summary(restored),
      summary(original.slice(0, restored.length)),
      'the copy is one consistent moment of the journal: a prefix of the live history',
    );
    const messages = restored.filter((e) => e.type === 'message').map((e) => String(e.clientMsgId));
    t.same(
      messages.filter((m) => m.startsWith('before-')),
      Array.from({ length: 50 }, (_, i) => `before-${i}`),
      'every message acked before the backup is there once, in order',
    );
    const during = messages.filter((m) => m.startsWith('during-')).length;
    t.ok(
      during >= ackedBeforeBackup && during <= ackedAfterBackup + 1,
      `messages acked before the backup began are in it (${ackedBeforeBackup} ≤ ${during} ≤ ${ackedAfterBackup})`,
    );

    const alice2 = await TestClient.connect(staffUrl(server, creds.get('alice')!));
    t.equal((await alice2.resumeAll(conversationId, 0)).status, 'assigned', 'the assignment is restored');
    const bob = await TestClient.connect(staffUrl(server, creds.get('bob')!));
    await bob.ok({ type: 'status', status: 'online' });
    await bob.waitFor((e) => e.type === 'assigned' && e.conversationId === queued[2]);
    t.same(
      bob.events.filter((e) => e.type === 'assigned').map((e) => e.conversationId),
      queued,
      'the queue is restored in order',
    );
    for (const c of [a2, alice2, bob]) c.ws.terminate();
    server.proc.kill('SIGTERM');
    await server.exited;
  },
);

t.test('OPS-3: restore refuses a non-empty directory unless --force, and a file that is not a backup', async (t) => {
  const work = tempDataDir();
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const live = join(work, 'live');
  const store = LmdbStore.open(live);
  await store.writeRecords([{ key: ['probe'], value: 'kept' }]);
  await store.close();
  const file = join(work, 'b.mdb');
  const io = capture();
  t.equal(await runBackup([file, '--data', live], {}, io), 0, io.errors.join());

  const target = join(work, 'target');
  mkdirSync(target);
  writeFileSync(join(target, 'notes.txt'), 'something else');
  t.equal(await runRestore([file, '--data', target], {}, io), 1, 'a non-empty directory is refused');
  t.match(io.errors.at(-1), /^store_not_empty: data directory .* is not empty \(notes\.txt\).*--force/);
  t.same(readdirSync(target), ['notes.txt'], 'and left untouched');
  t.equal(
    await runRestore([file, '--force'], { SWITCHBOARD_DATA: target }, io),
    0,
    '--force replaces the store (directory from the environment)',
  );
  const restored = LmdbStore.open(target);
  t.equal(restored.getRecord(['probe']), 'kept', 'the restored store has the data');
  await restored.close();

  const notBackup = join(work, 'log.txt');
  writeFileSync(notBackup, 'x'.repeat(10_000));
  const empty = join(work, 'empty');
  t.equal(await runRestore([notBackup, '--data', empty], {}, io), 1);
  t.match(io.errors.at(-1), /^backup_invalid: .*log\.txt is not a Switchboard backup/);
  t.equal(existsSync(join(empty, 'data.mdb')), false, 'nothing restored');
  t.equal(await runRestore([join(work, 'missing.mdb'), '--data', empty], {}, io), 1);
  t.match(io.errors.at(-1), /^backup_invalid: no backup file at/);

  // An LMDB file that Switchboard did not write has no format stamp.
  const foreign = join(work, 'foreign');
  const raw = open({ path: foreign });
  await raw.put('k', 'v');
  mkdirSync(join(work, 'foreign-copy'));
  await raw.backup(join(work, 'foreign-copy'), false);
  await raw.close();
  t.equal(await runRestore([join(work, 'foreign-copy', 'data.mdb'), '--data', empty], {}, io), 1);
  t.match(io.errors.at(-1), /^backup_invalid: .* is not a Switchboard backup \(it has no data format stamp\)/);
  t.equal(
    existsSync(empty),
    false,
    'no staging directory, nor the directory the failed restore created, is left behind',
  );

  t.equal(
    await runBackup([join(work, 'x.mdb'), '--data', join(work, 'nothing')], {}, io),
    1,
    'backup of a directory without a store',
  );
  t.match(io.errors.at(-1), /^backup_invalid: no store in/);
  t.equal(existsSync(join(work, 'nothing')), false, 'no empty store is created by a mistyped --data');
  t.equal(await runBackup([], {}, io), 2, 'a backup file is required');
  t.equal(await runRestore([file, '--bogus'], {}, io), 2, 'unknown flags are usage errors');
  t.match(io.errors.at(-1), /usage: switchboard backup/);
});

t.test(
  'OPS-3: a backup of another data format is refused by restore, and a server on a store of another format exits 1 with the reason',
  async (t) => {
    const work = tempDataDir();
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const other = join(work, 'other');
    await LmdbStore.open(other).close();
    const raw = open({ path: other, maxDbs: 8 });
    await raw
      .openDB<{ formatVersion: number; createdAt: number }, string>({ name: 'meta' })
      .put('format', { formatVersion: STORE_FORMAT_VERSION + 1, createdAt: 0 });
    mkdirSync(join(work, 'copy'));
    await raw.backup(join(work, 'copy'), true);
    await raw.close();
    const file = join(work, 'other.backup');
    renameSync(join(work, 'copy', 'data.mdb'), file);

    const io = capture();
    const target = join(work, 'target');
    t.equal(await runRestore([file, '--data', target], {}, io), 1);
    t.equal(
      io.errors.at(-1),
      `store_version_mismatch: backup ${file} has data format ${STORE_FORMAT_VERSION + 1}; this server reads format ${STORE_FORMAT_VERSION}. Restore a matching backup or run the matching server version.`,
    );
    t.equal(existsSync(target), false, 'nothing restored, and the directory the failed restore created is removed');

    const start = await runCli(['start', '--data', other, '--port', '0', '--log-level', 'silent']);
    t.equal(start.code, 1, 'the server refuses to start');
    t.match(
      start.stderr,
      new RegExp(
        `^switchboard failed to start: store_version_mismatch: store at ${other} has data format ${STORE_FORMAT_VERSION + 1}; this server reads format ${STORE_FORMAT_VERSION}\\.`,
      ),
    );
    const backup = await runCli(['backup', join(work, 'b'), '--data', other]);
    t.equal(backup.code, 1, 'nor is it backed up by this version');
    t.match(backup.stderr, /^store_version_mismatch:/);
  },
);
