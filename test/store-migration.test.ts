/**
 * CLUSTER-1: a store written by the code before workspaces (format 1, the
 * fixture in test/fixtures/store-format-1, made by its make-fixture.mjs with
 * that code) opens with this code as the default workspace of a format-2
 * store: every record, event and snapshot is found, and the server serves
 * the old visitor its old conversation.
 */
import t from 'tap';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { open } from 'lmdb';
import { LmdbStore, STORE_FORMAT_VERSION, readFormat } from '../src/store/lmdb-store.js';
import { startTestServer, tempDataDir, type TestOwner } from './support/server.js';
import type { RecordKey } from '../actors/journal.js';

const fixture = resolve(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/store-format-1');

interface Entry {
  key: RecordKey | string;
  digest: string;
}
interface Manifest {
  visitorId: string;
  conversationId: string;
  events: Entry[];
  records: Entry[];
  snapshots: Entry[];
}

const manifest = JSON.parse(readFileSync(join(fixture, 'manifest.json'), 'utf8')) as Manifest;
const digest = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

function fixtureCopy(t: TestOwner): string {
  const dir = tempDataDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(fixture, 'data.mdb'), join(dir, 'data.mdb'));
  return dir;
}

t.test('CLUSTER-1: a format-1 store opens as the default workspace with every record and event', async (t) => {
  const dir = fixtureCopy(t);
  t.equal(readFormat(dir)?.formatVersion, 1, 'the fixture is a format-1 store');
  t.ok(manifest.records.length > 30 && manifest.events.length > 5, 'and holds a served conversation');
  const store = LmdbStore.open(dir);
  for (const r of manifest.records) {
    t.equal(digest(store.getRecord(r.key as RecordKey)), r.digest, `record ${JSON.stringify(r.key)}`);
  }
  for (const e of manifest.events) {
    const [stream, seq] = e.key as [string, number];
    const found = [...store.read(stream, seq, seq)];
    t.equal(found.length === 1 ? digest(found[0]!.event) : 'missing', e.digest, `event ${stream} #${seq}`);
  }
  t.same(
    store.workspaces().map((w) => w.id),
    ['default'],
  );
  t.equal(
    store.workspace('other').getRecord(manifest.records[0]!.key as RecordKey),
    undefined,
    'no other workspace sees them',
  );
  await store.close();
  t.equal(readFormat(dir)?.formatVersion, STORE_FORMAT_VERSION, 'stamped with the new format');
  const again = LmdbStore.open(dir);
  t.equal(
    digest(again.getRecord(manifest.records[0]!.key as RecordKey)),
    manifest.records[0]!.digest,
    'a second open leaves it alone',
  );
  await again.close();
});

t.test('CLUSTER-1: a format-1 snapshot is found after the migration', async (t) => {
  const dir = tempDataDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const raw = open({ path: dir, maxDbs: 8, compression: false });
  await raw
    .openDB<{ formatVersion: number; createdAt: number }, string>({ name: 'meta' })
    .put('format', { formatVersion: 1, createdAt: 1 });
  await raw.openDB<unknown, string>({ name: 'snapshots' }).put('conv:c-1', { seq: 4, state: { n: 4 } });
  await raw.close();
  const store = LmdbStore.open(dir);
  t.same(store.loadSnapshot('conv:c-1'), { seq: 4, state: { n: 4 } });
  await store.close();
});

t.test('CLUSTER-1: a server on a migrated format-1 store serves the old visitor its conversation', async (t) => {
  const dir = fixtureCopy(t);
  const s = await startTestServer(t, { dataDir: dir, keepData: true });
  t.same(s.server.demoCredentials, [], 'the store already had a workspace: no new demo seed');
  const v = await s.visitor();
  const hello = await v.ok({ type: 'hello', visitorId: manifest.visitorId });
  t.equal(hello.visitorId, manifest.visitorId, 'the old visitor id is accepted');
  await v.resumeAll(manifest.conversationId, 0);
  const texts = v
    .conversationEvents(manifest.conversationId)
    .filter((e) => e.type === 'message')
    .map((e) => e.text);
  t.ok(
    texts.includes('hello from format 1') && texts.includes('an answer'),
    `the messages are replayed (${texts.join(', ')})`,
  );
});
