/**
 * OPS-1 OPS-3 (issue 13, defect 2): `restore --force` under a running server
 * would swap the data file under its memory map; the data directory's lock
 * refuses it at once. `backup` is not refused: it reads the store in one
 * LMDB read transaction, a consistent reader beside the server.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startServerProcess } from './support/process.js';
import { tempDataDir } from './support/server.js';
import { converse, messagesOf } from './support/conversation-probe.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { conversationStream } from '../actors/conversation/records.js';

t.test(
  'OPS-1 OPS-3: restore is refused while a server runs on the directory (backup is not: it is a consistent reader), and works once it stopped',
  async (t) => {
    const work = tempDataDir();
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const dataDir = join(work, 'data');
    const file = join(work, 'early.backup');
    const server = await startServerProcess(dataDir);
    t.teardown(() => server.proc.kill('SIGKILL'));
    const early = await converse(server, 'in the backup');
    const backup = await runCli(['backup', file, '--data', dataDir]);
    t.equal(backup.code, 0, `backup runs beside the server: ${backup.stderr}`);
    const late = await converse(server, 'after the backup');

    const refused = await runCli(['restore', file, '--data', dataDir, '--force']);
    t.equal(refused.code, 1, 'restore --force is refused');
    t.match(
      refused.stderr,
      new RegExp(
        `^store_locked: data directory ${dataDir} is in use by another Switchboard process \\(pid ${server.proc.pid}\\)`,
      ),
    );
    t.same(
      await messagesOf(server, late.visitorId, late.conversationId),
      ['after the backup'],
      "the running server's store was not replaced",
    );

    server.proc.kill('SIGTERM');
    await server.exited;
    const restore = await runCli(['restore', file, '--data', dataDir, '--force']);
    t.equal(restore.code, 0, `restore --force works once the server stopped: ${restore.stderr}`);
    const restored = LmdbStore.open(dataDir);
    t.teardown(() => restored.close());
    const texts = [...restored.read<{ text?: string }>(conversationStream(early.conversationId), 1)].map(
      (e) => e.event.text,
    );
    t.ok(texts.includes('in the backup'), 'the restored store holds the message of the backup');
    t.equal(
      restored.lastSeq(conversationStream(late.conversationId)),
      0,
      'and is the backup: the conversation started after it is not there',
    );
  },
);
