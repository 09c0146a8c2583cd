/**
 * OPS-1: looks at an LMDB data file with plain reads before LMDB maps it.
 * LMDB trusts its file: a page past the end of a truncated file is a SIGBUS
 * when touched through the map, a garbage page number a SIGSEGV, and the
 * process dies with no word. This check reads what LMDB would trust at open
 * and on its first reads, and says what is wrong instead.
 *
 * The layout is that of the LMDB bundled with lmdb-js 3.5.6
 * (dependencies/lmdb/libraries/liblmdb/mdb.c, data version 2, 64-bit):
 *  - page header, 24 bytes: pgno u64, txnid u64, pad u16, flags u16,
 *    lower u16, upper u16 (an overflow page: page count u32 at 20);
 *  - pages 0 and 1 are meta pages (flag P_META); the meta follows the header:
 *    magic u32 (0xBEEFC0DE), version u32, address u64, mapsize u64, the free
 *    and the main database (MDB_db, 48 bytes each: pad u32 — the page size in
 *    the free one —, flags u16, depth u16, branch, leaf and overflow page
 *    counts, entries, root, u64 each), last page u64, txnid u64. LMDB uses
 *    the meta with the higher txnid;
 *  - branch and leaf pages: `lower >> 1` node offsets (u16 at 24 + 2i, each
 *    relative to the end of the header); a node is lo u16, hi u16, flags u16,
 *    key size u16, key, data. A branch node's child is lo | hi << 16 |
 *    flags << 32; a leaf's data size is lo | hi << 16; F_BIGDATA data is the
 *    u64 number of an overflow page, F_SUBDATA data an MDB_db (a named
 *    database, in the main database's leaves).
 *
 * The file may end before the meta's last page: pages freed in the
 * transaction that allocated them are never written. So the size alone
 * proves nothing; what must be inside the file is every page a reader can
 * reach. The check walks the trees of the latest meta: the main database
 * and the free-page database in full, and the branch pages of every named
 * database, checking that each page number lies inside the file and that
 * each page read says it is that page, of the expected kind. Leaves of the
 * named databases are not read (that would read the whole file at every
 * start); their numbers are checked against the file's size.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const HEADER = 24;
const META_BYTES = 144;
const MAGIC = 0xbeefc0de;
const DATA_VERSION = 2;
const P_BRANCH = 0x01;
const P_LEAF = 0x02;
const P_OVERFLOW = 0x04;
const P_META = 0x08;
const F_BIGDATA = 0x01;
const F_SUBDATA = 0x02;
const INVALID_PAGE = 0xffffffffffffffffn;
const MAX_DEPTH = 64;

/** Thrown with the reason a data file cannot be opened safely. */
export class DataFileDamage extends Error {
  override name = 'DataFileDamage';
}

interface Tree {
  root: bigint;
  depth: number;
  entries: number;
}

export interface DataFileReport {
  pageSize: number;
  /** Whole pages in the file. */
  pages: number;
  /** Named databases (lmdb-js `openDB` names) and their entry counts. */
  databases: Map<string, number>;
  /** Entries of the main database that are not named databases (Switchboard writes none). */
  plainEntries: number;
}

class Reader {
  private readonly seen = new Set<bigint>();

  constructor(
    private readonly fd: number,
    readonly pageSize: number,
    readonly pages: number,
  ) {}

  read(offset: number, length: number): Buffer {
    const buf = Buffer.alloc(length);
    const got = readSync(this.fd, buf, 0, length, offset);
    if (got !== length) throw new DataFileDamage(`the file ends at byte ${offset + got}, inside a page LMDB needs`);
    return buf;
  }

  inFile(pgno: bigint, count = 1n, what = 'page'): void {
    if (pgno + count > BigInt(this.pages)) {
      throw new DataFileDamage(
        `${what} ${pgno} lies past the end of the file (${this.pages} pages of ${this.pageSize} bytes): the file is truncated`,
      );
    }
  }

  /** Reads page `pgno`, checking that it is in the file, is that page, and is of `kind`. */
  page(pgno: bigint, kind: number): Buffer {
    this.inFile(pgno);
    if (this.seen.has(pgno)) throw new DataFileDamage(`page ${pgno} is reached twice: the trees are damaged`);
    this.seen.add(pgno);
    const page = this.read(Number(pgno) * this.pageSize, this.pageSize);
    const said = page.readBigUInt64LE(0);
    const flags = page.readUInt16LE(18);
    if (said !== pgno || (flags & kind) === 0) {
      throw new DataFileDamage(
        `page ${pgno} does not hold what the tree expects (it says page ${said}, flags 0x${flags.toString(16)}): the file is damaged`,
      );
    }
    return page;
  }
}

function tree(buf: Buffer, at: number): Tree {
  return {
    depth: buf.readUInt16LE(at + 6),
    entries: Number(buf.readBigUInt64LE(at + 32)),
    root: buf.readBigUInt64LE(at + 40),
  };
}

interface Node {
  flags: number;
  key: Buffer;
  /** Branch: the child page. */
  child: bigint;
  /** Leaf: the data. */
  data: Buffer;
}

function* nodes(page: Buffer, pageSize: number): Iterable<Node> {
  const count = page.readUInt16LE(20) >> 1;
  if (HEADER + 2 * count > pageSize)
    throw new DataFileDamage(`page ${page.readBigUInt64LE(0)} claims ${count} nodes, more than fit`);
  for (let i = 0; i < count; i++) {
    const at = HEADER + page.readUInt16LE(HEADER + 2 * i);
    if (at + 8 > pageSize) throw new DataFileDamage(`page ${page.readBigUInt64LE(0)} has a node outside the page`);
    const lo = page.readUInt16LE(at);
    const hi = page.readUInt16LE(at + 2);
    const flags = page.readUInt16LE(at + 4);
    const keyEnd = at + 8 + page.readUInt16LE(at + 6);
    const child = BigInt(lo) | (BigInt(hi) << 16n) | (BigInt(flags) << 32n);
    const size = lo | (hi << 16);
    const dataEnd = keyEnd + ((flags & F_BIGDATA) !== 0 ? 8 : size);
    if (keyEnd > pageSize || ((page.readUInt16LE(18) & P_LEAF) !== 0 && dataEnd > pageSize)) {
      throw new DataFileDamage(`page ${page.readBigUInt64LE(0)} has a node running past the page`);
    }
    yield {
      flags,
      key: page.subarray(at + 8, keyEnd),
      child,
      data: page.subarray(keyEnd, Math.min(dataEnd, pageSize)),
    };
  }
}

/**
 * Walks one tree. `leaves`: read the leaf pages too (and check their
 * overflow pages), handing each leaf node to `onLeaf`; otherwise only
 * check that the leaves' page numbers lie inside the file.
 */
function walk(reader: Reader, t: Tree, name: string, leaves: boolean, onLeaf?: (node: Node) => void): void {
  if (t.root === INVALID_PAGE) return;
  if (t.depth < 1 || t.depth > MAX_DEPTH)
    throw new DataFileDamage(`database ${name} has an impossible depth ${t.depth}`);
  const visit = (pgno: bigint, level: number): void => {
    if (level === 1 && !leaves) return reader.inFile(pgno, 1n, `a page of database ${name},`);
    const page = reader.page(pgno, level === 1 ? P_LEAF : P_BRANCH);
    for (const node of nodes(page, reader.pageSize)) {
      if (level > 1) {
        visit(node.child, level - 1);
        continue;
      }
      if ((node.flags & F_BIGDATA) !== 0) {
        const first = node.data.readBigUInt64LE(0);
        const count = reader.page(first, P_OVERFLOW).readUInt32LE(20);
        reader.inFile(first, BigInt(count), `a large value of database ${name} at page`);
      }
      onLeaf?.(node);
    }
  };
  visit(t.root, t.depth);
}

function readMeta(reader: Reader, index: number): { txnid: bigint; lastPage: bigint; free: Tree; main: Tree } {
  const buf = reader.read(index * reader.pageSize, HEADER + META_BYTES);
  checkMeta(buf, index);
  return {
    free: tree(buf, HEADER + 24),
    main: tree(buf, HEADER + 72),
    lastPage: buf.readBigUInt64LE(HEADER + 120),
    txnid: buf.readBigUInt64LE(HEADER + 128),
  };
}

function checkMeta(buf: Buffer, index: number): void {
  const magic = buf.readUInt32LE(HEADER);
  if ((buf.readUInt16LE(18) & P_META) === 0 || magic !== MAGIC) {
    throw new DataFileDamage(
      `meta page ${index} is not an LMDB meta page (magic 0x${magic.toString(16)}, expected 0x${MAGIC.toString(16)}): the file is damaged or not an LMDB data file`,
    );
  }
  const version = buf.readUInt32LE(HEADER + 4) & 0xffff;
  if (version !== DATA_VERSION)
    throw new DataFileDamage(
      `meta page ${index} has LMDB data version ${version}; this LMDB reads version ${DATA_VERSION}`,
    );
}

/** Checks the LMDB data file `file`; throws DataFileDamage with the reason, or returns what it found. */
export function inspectDataFile(file: string): DataFileReport {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER + META_BYTES)
      throw new DataFileDamage(`the file has ${size} bytes, fewer than one LMDB meta page`);
    const head = Buffer.alloc(HEADER + META_BYTES);
    readSync(fd, head, 0, head.length, 0);
    checkMeta(head, 0);
    const pageSize = head.readUInt32LE(HEADER + 24);
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
      throw new DataFileDamage(`meta page 0 gives an impossible page size ${pageSize}`);
    const reader = new Reader(fd, pageSize, Math.floor(size / pageSize));
    if (reader.pages < 2)
      throw new DataFileDamage(`the file has ${size} bytes, fewer than LMDB's two meta pages: it is truncated`);
    const metas = [readMeta(reader, 0), readMeta(reader, 1)];
    const latest = metas[0]!.txnid >= metas[1]!.txnid ? metas[0]! : metas[1]!;
    if (latest.main.root !== INVALID_PAGE && latest.main.root > latest.lastPage)
      throw new DataFileDamage(
        `the main database's root ${latest.main.root} is past the meta's last page ${latest.lastPage}`,
      );
    const databases = new Map<string, number>();
    const named: [string, Tree][] = [];
    let plainEntries = 0;
    walk(reader, latest.free, 'free pages', true);
    walk(reader, latest.main, 'main', true, (node) => {
      if ((node.flags & F_SUBDATA) === 0) return void plainEntries++;
      // lmdb-js stores a database's name with its terminating NUL.
      const name = node.key.toString('utf8').replace(/\0$/, '');
      const t = tree(node.data, 0);
      databases.set(name, t.entries);
      named.push([name, t]);
    });
    for (const [name, t] of named) walk(reader, t, name, false);
    return { pageSize, pages: reader.pages, databases, plainEntries };
  } catch (err) {
    if (err instanceof RangeError)
      throw new DataFileDamage(`a page points outside itself (${err.message}): the file is damaged`);
    throw err;
  } finally {
    closeSync(fd);
  }
}
