/**
 * The persistence port (actors/journal.ts) held in memory, for the routing
 * simulator (SIM-1): no disk, no fsync, so a simulated day runs in seconds
 * through the same actor code the server runs on LMDB.
 *
 * Semantics follow the LMDB store where actors can tell: writes resolve in
 * the order they were issued (already-resolved promises, so their callbacks
 * run in issue order on the next microtask), reads see every write made so
 * far, and `records(prefix)` yields in key order, numbers before strings as
 * in LMDB's ordered keys. Values are kept by reference, not copied: the
 * simulator never restarts a process from this store, and actors build a new
 * value for each write.
 */
import type { Journal, RecordKey, RecordWrite, StoredEvent } from '../../actors/journal.js';

type Part = string | number;

interface Node {
  has: boolean;
  value: unknown;
  children: Map<Part, Node> | undefined;
  /** Child keys in key order; undefined when a child was added or removed since it was sorted. */
  sorted: Part[] | undefined;
}

const newNode = (): Node => ({ has: false, value: undefined, children: undefined, sorted: undefined });

/** LMDB's ordered-binary order for the parts the store writes: numbers ascending, then strings by code unit. */
const comparePart = (a: Part, b: Part): number => {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
};

const done: Promise<void> = Promise.resolve();

export class MemoryJournal implements Journal {
  private readonly streams = new Map<string, StoredEvent<unknown>[]>();
  private readonly snapshots = new Map<string, { seq: number; state: unknown }>();
  private readonly root: Node = newNode();

  append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
    let events = this.streams.get(stream);
    if (!events) this.streams.set(stream, (events = []));
    const last = events[events.length - 1];
    if (last === undefined || last.seq < seq) events.push({ seq, event });
    else {
      // Out of order or a rewrite of a seq: keep the stream sorted, one event per seq, as the keyed store does.
      const i = events.findIndex((e) => e.seq >= seq);
      if (events[i]!.seq === seq) events[i] = { seq, event };
      else events.splice(i, 0, { seq, event });
    }
    for (const w of records) this.writeOne(w);
    return done;
  }

  *read<E>(stream: string, fromSeq: number, toSeq = Number.MAX_SAFE_INTEGER): Iterable<StoredEvent<E>> {
    for (const e of this.streams.get(stream) ?? []) {
      if (e.seq > toSeq) return;
      if (e.seq >= fromSeq) yield e as StoredEvent<E>;
    }
  }

  lastSeq(stream: string): number {
    const events = this.streams.get(stream);
    return events?.[events.length - 1]?.seq ?? 0;
  }

  saveSnapshot<S>(stream: string, seq: number, state: S): Promise<void> {
    this.snapshots.set(stream, { seq, state });
    return done;
  }

  loadSnapshot<S>(stream: string): { seq: number; state: S } | undefined {
    return this.snapshots.get(stream) as { seq: number; state: S } | undefined;
  }

  writeRecords(writes: readonly RecordWrite[]): Promise<void> {
    for (const w of writes) this.writeOne(w);
    return done;
  }

  getRecord<V>(key: RecordKey): V | undefined {
    const node = this.find(key);
    return node?.has ? (node.value as V) : undefined;
  }

  *records<V>(prefix: RecordKey): Iterable<{ key: RecordKey; value: V }> {
    const node = this.find(prefix);
    if (node) yield* this.walk<V>(node, [...prefix]);
  }

  /**
   * Drops a stream's events and snapshot and every record under the given
   * prefixes: the simulator lets go of conversations nobody will read again,
   * so memory follows live work over a long simulated day.
   */
  forget(stream: string, prefixes: readonly RecordKey[] = []): void {
    this.streams.delete(stream);
    this.snapshots.delete(stream);
    for (const p of prefixes) this.removeSubtree(p);
  }

  /** Streams held, for tests of forget. */
  get streamCount(): number {
    return this.streams.size;
  }

  private *walk<V>(node: Node, key: Part[]): Iterable<{ key: RecordKey; value: V }> {
    if (node.has) yield { key: [...key], value: node.value as V };
    if (!node.children) return;
    node.sorted ??= [...node.children.keys()].sort(comparePart);
    // A copy: a consumer may write while iterating, as it may with LMDB's snapshot reads.
    for (const part of [...node.sorted]) {
      const child = node.children.get(part);
      if (child) yield* this.walk<V>(child, [...key, part]);
    }
  }

  private find(key: RecordKey): Node | undefined {
    let node: Node | undefined = this.root;
    for (const part of key) {
      node = node.children?.get(part);
      if (!node) return undefined;
    }
    return node;
  }

  private writeOne(w: RecordWrite): void {
    if (w.value === undefined) return this.remove(w.key);
    let node = this.root;
    for (const part of w.key) {
      node.children ??= new Map();
      let child = node.children.get(part);
      if (!child) {
        child = newNode();
        node.children.set(part, child);
        node.sorted = undefined;
      }
      node = child;
    }
    node.has = true;
    node.value = w.value;
  }

  private remove(key: RecordKey): void {
    this.clear(key, false);
  }

  private removeSubtree(prefix: RecordKey): void {
    if (prefix.length > 0) this.clear(prefix, true);
  }

  /** Empties the node at `key` (and, with `subtree`, everything below it), then prunes the nodes left empty. */
  private clear(key: RecordKey, subtree: boolean): void {
    const path: Node[] = [this.root];
    for (const part of key) {
      const next = path[path.length - 1]!.children?.get(part);
      if (!next) return;
      path.push(next);
    }
    const target = path[path.length - 1]!;
    target.has = false;
    target.value = undefined;
    if (subtree) target.children = undefined;
    this.prune(path, key);
  }

  /** Removes nodes left with neither a value nor children, bottom up. */
  private prune(path: Node[], key: RecordKey): void {
    for (let i = path.length - 1; i > 0; i--) {
      const node = path[i]!;
      if (node.has || (node.children && node.children.size > 0)) return;
      const parent = path[i - 1]!;
      parent.children!.delete(key[i - 1]!);
      parent.sorted = undefined;
    }
  }
}
