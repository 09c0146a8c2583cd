/**
 * MON-2: the records the reports write, as they stand including writes not
 * yet committed. Reads of the store see committed data only, so two events
 * of one turn that add to the same hour must see each other's sums: the
 * cache holds every record with a write in flight and forgets it once its
 * last write has settled (the store then holds the same value).
 */
import { recordKeyId, type Journal, type RecordKey, type RecordWrite } from '../../actors/journal.js';

interface Entry {
  value: unknown;
  inFlight: number;
}

export class RollupCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly store: Pick<Journal, 'getRecord'>) {}

  get<V>(key: RecordKey): V | undefined {
    const entry = this.entries.get(recordKeyId(key));
    return entry ? (entry.value as V | undefined) : this.store.getRecord<V>(key);
  }

  /** Records a write about to be issued; `settled` is called when it committed or failed. */
  set(key: RecordKey, value: unknown): RecordWrite {
    const k = recordKeyId(key);
    const entry = this.entries.get(k);
    if (entry) {
      entry.value = value;
      entry.inFlight++;
    } else this.entries.set(k, { value, inFlight: 1 });
    return { key, value };
  }

  /** After the write of `keys` settled: a key with no write left in flight is read from the store again. */
  settled(keys: readonly RecordKey[]): void {
    for (const key of keys) {
      const k = recordKeyId(key);
      const entry = this.entries.get(k);
      if (entry && --entry.inFlight <= 0) this.entries.delete(k);
    }
  }

  /** How many records have writes in flight (a test reads it). */
  get size(): number {
    return this.entries.size;
  }
}
