/**
 * CLUSTER-1: two workspaces in one store see only their own records, events
 * and snapshots; deleting one removes all it owns and nothing of the other.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { LmdbStore, StoreError } from '../src/store/lmdb-store.js';
import { tempDataDir } from './support/server.js';

t.test('CLUSTER-1: workspaces of one store are separate, and one is deleted whole', async (t) => {
  const dir = tempDataDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = LmdbStore.open(dir);
  t.equal(await store.createWorkspace('acme'), true);
  t.equal(await store.createWorkspace('acme'), false, 'a second create of one id is refused');
  const a = store.workspace('acme');
  await Promise.all([
    store.writeRecords([{ key: ['staff', 'alice'], value: { ws: 'default' } }]),
    a.writeRecords([{ key: ['staff', 'alice'], value: { ws: 'acme' } }]),
    store.append('conv:c-1', 1, { n: 'default' }),
    a.append('conv:c-1', 1, { n: 'acme-1' }),
    a.append('conv:c-1', 2, { n: 'acme-2' }),
    a.saveSnapshot('conv:c-1', 2, { s: 'acme' }),
  ]);
  t.same(store.getRecord(['staff', 'alice']), { ws: 'default' });
  t.same(a.getRecord(['staff', 'alice']), { ws: 'acme' });
  t.same(
    [...a.records(['staff'])].map((r) => r.key),
    [['staff', 'alice']],
    'a range read names keys without the workspace',
  );
  t.equal(store.lastSeq('conv:c-1'), 1);
  t.equal(a.lastSeq('conv:c-1'), 2);
  t.equal(store.loadSnapshot('conv:c-1'), undefined, 'a snapshot is its workspace alone');
  t.same(
    store.workspaces().map((w) => w.id),
    ['default', 'acme'],
  );
  t.same(store.deleteWorkspace('acme'), { keys: 4 }, 'its record, two events and snapshot');
  t.equal(a.getRecord(['staff', 'alice']), undefined);
  t.equal(store.workspace('acme').lastSeq('conv:c-1'), 0);
  t.same(store.getRecord(['staff', 'alice']), { ws: 'default' }, 'the default workspace keeps its own');
  t.equal(store.lastSeq('conv:c-1'), 1);
  t.same(
    store.workspaces().map((w) => w.id),
    ['default'],
  );
  const refused = (() => {
    try {
      store.deleteWorkspace('default');
    } catch (e) {
      return e;
    }
  })();
  t.equal(refused instanceof StoreError && refused.code, 'workspace_invalid', 'the default workspace is never deleted');
  await store.close();
});
