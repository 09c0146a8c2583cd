/**
 * OPS-1 (issue 13, defect 2): one process owns a data directory. Two servers
 * on one store hand out colliding seqs and lose acknowledged messages, so a
 * second server, or a restore, is refused at once while one runs; the lock
 * dies with its process, so kill -9 never leaves a stale one.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { runCli, startServerProcess } from './support/process.js';
import { startTestServer, tempDataDir } from './support/server.js';
import { converse, messagesOf } from './support/conversation-probe.js';
import { StoreError } from '../src/store/lmdb-store.js';

t.test(
  'OPS-1: a second server on the same data directory exits 1 at once with a clear message, and the first keeps serving',
  async (t) => {
    const dataDir = tempDataDir();
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startServerProcess(dataDir);
    t.teardown(() => first.proc.kill('SIGKILL'));
    const { visitorId, conversationId } = await converse(first, 'before the second server');

    // The lock is taken without waiting: a second server that waited would hang here until runCli's time limit.
    const second = await runCli(['start', '--data', dataDir, '--port', '0', '--log-level', 'warn']);
    t.equal(second.code, 1, 'the second server exits 1');
    t.match(
      second.stderr,
      new RegExp(
        `^switchboard failed to start: store_locked: data directory ${dataDir} is in use by another Switchboard process \\(pid ${first.proc.pid}\\); stop it first`,
      ),
    );
    t.notMatch(second.stdout, /switchboard listening/, 'it never listened');

    t.same(
      await messagesOf(first, visitorId, conversationId),
      ['before the second server'],
      'the first server still serves its store',
    );
    first.proc.kill('SIGTERM');
    t.same(await first.exited, { code: 0, signal: null });
  },
);

t.test(
  'OPS-1: after kill -9 of the server a new one starts on the directory at once (no stale lock), with every acknowledged message',
  async (t) => {
    const dataDir = tempDataDir();
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startServerProcess(dataDir);
    t.teardown(() => first.proc.kill('SIGKILL'));
    const { visitorId, conversationId } = await converse(first, 'acknowledged before kill -9');
    first.proc.kill('SIGKILL');
    t.equal((await first.exited).signal, 'SIGKILL');

    const next = await startServerProcess(dataDir);
    t.teardown(() => next.proc.kill('SIGKILL'));
    t.same(await messagesOf(next, visitorId, conversationId), ['acknowledged before kill -9']);
    const third = await runCli(['start', '--data', dataDir, '--port', '0', '--log-level', 'warn']);
    t.equal(third.code, 1, 'and the new server holds the lock in turn');
    t.match(third.stderr, /store_locked/);
    next.proc.kill('SIGTERM');
    t.same(await next.exited, { code: 0, signal: null });
  },
);

t.test(
  'OPS-1: in one process too, a second server on a directory in use is refused, and starts once the first closed',
  async (t) => {
    const first = await startTestServer({ keepData: true });
    t.teardown(() => rmSync(first.dataDir, { recursive: true, force: true }));
    const refused = await startTestServer({ dataDir: first.dataDir, keepData: true }).then(
      () => undefined,
      (err: unknown) => err,
    );
    t.ok(refused instanceof StoreError, 'refused with a StoreError');
    t.equal((refused as StoreError).code, 'store_locked');
    await first.stop();
    const second = await startTestServer({ dataDir: first.dataDir, keepData: true, demo: false });
    t.ok(second.server.port > 0, 'starts once the first closed');
    await second.stop();
  },
);
