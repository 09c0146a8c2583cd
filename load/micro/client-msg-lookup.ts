/**
 * Microbenchmark of the OPS-2 duplicate check of a send (actors/conversation/chat.ts),
 * before and after the Bloom filter (client-msg-filter.ts), on a real LMDB store:
 * a conversation with `--ids` client message ids stored (their index records),
 * past the 1,024 recent ids kept in memory, so the exact check of a new id is a
 * store lookup. Timed: new ids (the usual send) and retried ones (duplicates).
 *
 *   npm run bench:client-msg -- [--ids 20000] [--lookups 200000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ClientMsgFilter } from '../../actors/conversation/client-msg-filter.js';
import { Keys } from '../../actors/keyspace.js';
import { LmdbStore } from '../../src/store/lmdb-store.js';

const { values } = parseArgs({ options: { ids: { type: 'string' }, lookups: { type: 'string' } } });
const ids = Number(values.ids ?? 20_000);
const lookups = Number(values.lookups ?? 200_000);
const conversation = 'c-bench';
const senderKey = (i: number) => `visitor:v-1:m.${i}.${1_733_000_000_000_000 + i * 37}`;

const dir = mkdtempSync(join(tmpdir(), 'sb-cmid-bench-'));
const store = LmdbStore.open(dir);
try {
  const writes = [];
  for (let i = 0; i < ids; i++) writes.push({ key: Keys.clientMsg(conversation, senderKey(i)), value: i + 1 });
  await store.writeRecords(writes);
  // What memory holds: the newest 1,024 ids, incomplete; the filter rebuilt from the stored ids, as at load.
  const recent = new Map<string, number>();
  for (let i = Math.max(0, ids - 1024); i < ids; i++) recent.set(senderKey(i), i + 1);
  const filter = new ClientMsgFilter(ids);
  for (const { key } of store.records(Keys.clientMsgs(conversation))) filter.add(String(key[2]));

  const before = (key: string) => recent.get(key) ?? store.getRecord<number>(Keys.clientMsg(conversation, key));
  const after = (key: string) => (filter.mightHave(key) ? before(key) : undefined);
  const time = (check: (k: string) => number | undefined, keyOf: (i: number) => string): number => {
    let found = 0;
    const t0 = performance.now();
    for (let i = 0; i < lookups; i++) if (check(keyOf(i)) !== undefined) found++;
    const ns = ((performance.now() - t0) * 1e6) / lookups;
    if (found < 0) console.log(found);
    return Math.round(ns);
  };
  const fresh = (i: number) => senderKey(ids + i);
  // Old ids, outside the recent window: the retry that needs the store.
  const retried = (i: number) => senderKey(i % Math.max(1, ids - 1024));
  const rows: Record<string, number>[] = [];
  for (let round = 0; round < 3; round++)
    rows.push({
      newBefore: time(before, fresh),
      newAfter: time(after, fresh),
      dupBefore: time(before, retried),
      dupAfter: time(after, retried),
    });
  const best = (k: string) => Math.min(...rows.map((r) => r[k] ?? Number.POSITIVE_INFINITY));
  console.log(
    JSON.stringify({
      ids,
      lookups,
      nsPerLookup: {
        newId: { before: best('newBefore'), after: best('newAfter') },
        duplicate: { before: best('dupBefore'), after: best('dupAfter') },
      },
      rounds: rows,
    }),
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
