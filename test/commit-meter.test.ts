/** OPS-4: the store's commit meter (src/store/commit-meter.ts) against a real LMDB store. */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore } from '../src/store/lmdb-store.js';

t.test('OPS-4: one observation per commit, with the writes of its event-loop turn', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-commit-meter-'));
  const store = LmdbStore.open(dir);
  t.teardown(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const seen: { seconds: number; writes: number }[] = [];
  store.observeCommits({ committed: (seconds, writes) => seen.push({ seconds, writes }) });

  // One turn: an event with two records, a snapshot and a record write: five writes, one commit.
  const turn = [
    store.append('s', 1, { n: 1 }, [
      { key: ['r', 1], value: 1 },
      { key: ['r', 2], value: 2 },
    ]),
    store.saveSnapshot('s', 1, { n: 1 }),
    store.writeRecords([{ key: ['r', 3], value: 3 }]),
  ];
  await Promise.all(turn);
  t.equal(seen.length, 1, 'one commit');
  t.equal(seen[0]?.writes, 5);
  t.ok((seen[0]?.seconds ?? -1) >= 0 && (seen[0]?.seconds ?? 99) < 5, `a plausible commit time: ${seen[0]?.seconds}`);

  // The next turn is a commit of its own.
  await new Promise((resolve) => setImmediate(resolve));
  await store.append('s', 2, { n: 2 });
  t.same(
    seen.map((c) => c.writes),
    [5, 1],
  );
  t.throws(() => store.observeCommits({ committed() {} }), /already observed/);
});
