import t from 'tap';
import { rmSync } from 'node:fs';
import { open } from 'lmdb';
import { LmdbStore, STORE_FORMAT_VERSION, StoreError } from '../src/store/lmdb-store.js';
import { tempDataDir } from './support/server.js';

t.test('OPS-1 store: appended events and their records read back in order, and survive close and reopen', async (t) => {
  const dir = tempDataDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = LmdbStore.open(dir);
  const writes = [];
  for (let seq = 1; seq <= 500; seq++)
    writes.push(store.append('s1', seq, { n: seq }, seq === 500 ? [{ key: ['idx', 's1'], value: { last: 500 } }] : []));
  await Promise.all(writes);
  t.equal(store.lastSeq('s1'), 500);
  t.equal(store.lastSeq('s2'), 0, 'an empty stream');
  t.same(
    [...store.read<{ n: number }>('s1', 498)].map((e) => e.event.n),
    [498, 499, 500],
  );
  t.same(
    [...store.read('s1', 2, 3)].map((e) => e.seq),
    [2, 3],
  );
  t.same(store.getRecord(['idx', 's1']), { last: 500 });
  await store.writeRecords([
    { key: ['idx', 's1'], value: undefined },
    { key: ['idx', 'a'], value: 1 },
    { key: ['idy', 'b'], value: 2 },
  ]);
  t.equal(store.getRecord(['idx', 's1']), undefined, 'undefined deletes');
  t.same(
    [...store.records(['idx'])].map((r) => r.key),
    [['idx', 'a']],
    'prefix scan stays in its prefix',
  );
  await store.saveSnapshot('s1', 500, { total: 125250 });
  t.same(store.loadSnapshot('s1'), { seq: 500, state: { total: 125250 } });
  await store.close();

  const again = LmdbStore.open(dir, 'flushed');
  t.equal(again.durability, 'flushed');
  t.equal(again.lastSeq('s1'), 500, 'data survives close and reopen');
  await again.append('s1', 501, { n: 501 });
  t.equal(again.lastSeq('s1'), 501, 'a store opened with flushed durability appends and reads back');
  await again.close();
});

t.test('OPS-1 store: a store of another data format version is refused with a clear message', async (t) => {
  const dir = tempDataDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await LmdbStore.open(dir).close();
  const raw = open({ path: dir, maxDbs: 8 });
  const meta = raw.openDB<{ formatVersion: number; createdAt: number }, string>({ name: 'meta' });
  await meta.put('format', { formatVersion: STORE_FORMAT_VERSION + 1, createdAt: 0 });
  await raw.close();
  const err = (() => {
    try {
      LmdbStore.open(dir);
    } catch (e) {
      return e;
    }
  })();
  t.ok(err instanceof StoreError);
  t.equal((err as StoreError).code, 'store_version_mismatch');
  t.match(
    (err as Error).message,
    `data format ${STORE_FORMAT_VERSION + 1}; this server reads format ${STORE_FORMAT_VERSION}`,
  );
});
