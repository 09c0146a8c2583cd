/**
 * OPS-5: the disk-space account every write reserves its bytes in before the
 * store writes them (src/store/space-account.ts), on a disk whose free space
 * the test sets.
 */
import t from 'tap';
import { estimateBytes, PAGE_BYTES, SpaceAccount } from '../src/store/space-account.js';

const MiB = 1024 * 1024;

function account(freeBytes: number, minFreeBytes = 10 * MiB) {
  const disk = { free: freeBytes, measured: 0 };
  const changes: [boolean, number][] = [];
  const space = new SpaceAccount(
    '/nowhere',
    minFreeBytes,
    (low, free) => changes.push([low, free]),
    () => (disk.measured++, disk.free),
  );
  space.measure();
  return { space, disk, changes };
}

t.test('OPS-5: concurrent reservations share one account: together they never take the reserve', async (t) => {
  const { space } = account(30 * MiB);
  const a = space.reserve(12 * MiB);
  const b = space.reserve(6 * MiB);
  t.ok(a && b, 'two that fit together are granted');
  t.equal(
    space.reserve(3 * MiB),
    undefined,
    'a third that would dip into the reserve is refused, though the disk alone has room for it',
  );
  b!.release(false);
  t.ok(space.reserve(3 * MiB), 'once one is given back unwritten, its bytes are free again');
});

t.test('OPS-5: a reservation is given back once; written bytes count as used until the next measurement', async (t) => {
  const { space, disk } = account(20 * MiB);
  const r = space.reserve(8 * MiB)!;
  r.release(false);
  r.release(false);
  r.release(true);
  const all = space.reserve(10 * MiB);
  t.ok(all, 'given back: all 10 MiB above the reserve are free');
  t.equal(space.reserve(1), undefined, 'and only once: not a byte more');
  all!.release(false);

  space.reserve(8 * MiB)!.release(true);
  t.ok(space.reserve(2 * MiB), 'a committed write still counts before the disk was measured again');
  // The disk shows the written bytes now: 12 MiB free, 2 MiB of them reserved.
  disk.free = 12 * MiB;
  t.equal(space.reserve(1), undefined, 'and after a fresh measurement it is what the disk shows');
});

t.test('OPS-5: a write that does not fit the last measurement measures again before it is refused', async (t) => {
  const { space, disk } = account(11 * MiB);
  const before = disk.measured;
  t.equal(space.reserve(2 * MiB), undefined, 'refused while the disk is that full');
  t.equal(disk.measured, before + 1, 'after one fresh look');
  disk.free = 100 * MiB;
  t.ok(space.reserve(2 * MiB), 'granted once space was freed, without waiting for the once-a-second check');
});

t.test(
  'OPS-5: an upload grows its reservation as its body arrives, and keeps what it held when more does not fit',
  async (t) => {
    const { space } = account(20 * MiB);
    const r = space.reserve(MiB)!;
    t.ok(r.grow(5 * MiB), 'grows while there is room');
    t.equal(r.bytes, 5 * MiB);
    t.notOk(r.grow(11 * MiB), 'not past the reserve');
    t.equal(r.bytes, 5 * MiB, 'and still holds what it held');
    r.release(false);
    t.notOk(r.grow(MiB), 'a released reservation does not grow again');
    t.ok(space.reserve(10 * MiB), 'everything it held is free again');
  },
);

t.test(
  'OPS-5: below the reserve every write is refused and the change is told once each way; a reserve of 0 refuses nothing',
  async (t) => {
    const { space, disk, changes } = account(9 * MiB);
    t.same(changes, [[true, 9 * MiB]], 'told at the first measurement');
    t.same(space.state(), { low: true, freeBytes: 9 * MiB, minFreeBytes: 10 * MiB });
    t.equal(space.reserve(1), undefined);
    t.equal(space.reserve(0), undefined, 'even a write estimated at nothing');
    space.measure();
    t.equal(changes.length, 1, 'not told again while it stays low');
    disk.free = 50 * MiB;
    space.measure();
    t.same(changes.at(-1), [false, 50 * MiB], 'told when space is back');
    t.ok(space.reserve(MiB));
    const off = account(MiB, 0);
    t.ok(off.space.reserve(100 * MiB), 'with no reserve nothing is refused');
    t.same(off.changes, []);
  },
);

t.test('OPS-5: a write is estimated at its binary bytes plus a page, and a page for any other value', async (t) => {
  t.equal(estimateBytes([Buffer.alloc(10_000), { id: 'f-1', name: 'x.png' }]), 10_000 + 2 * PAGE_BYTES);
  t.equal(estimateBytes([undefined]), PAGE_BYTES, 'a deletion is a page too');
  t.equal(estimateBytes([]), 0);
});
