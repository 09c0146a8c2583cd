/**
 * What a stretch of server work costs the store: every write the store is
 * handed (events, records, snapshots), grouped by the LMDB transaction it
 * commits in. The store's own methods are wrapped on the instance, so the
 * writes of every layer above it (the reports engine adds its rollups) are
 * seen as the store gets them; a batch ends when lmdb-js hands it over.
 */
import type { RecordWrite } from '../../actors/journal.js';
import type { LmdbStore } from '../../src/store/lmdb-store.js';

/** One transaction: the writes it carried, each named by what it is (`event created`, `record open`). */
export interface TracedCommit {
  writes: string[];
}

type Writes = Pick<LmdbStore, 'append' | 'writeRecords' | 'saveSnapshot' | 'writeBatch'>;

/** `event <type>` for a conversation event (`event message/welcome` for an automatic one); else `event`. */
function eventName(event: unknown): string {
  const e = event as { type?: unknown; auto?: unknown };
  if (typeof e.type !== 'string') return 'event';
  return typeof e.auto === 'string' ? `event ${e.type}/${e.auto}` : `event ${e.type}`;
}

const recordName = (w: RecordWrite): string => `${w.value === undefined ? 'delete' : 'record'} ${String(w.key[0])}`;

export class CommitTrace {
  readonly commits: TracedCommit[] = [];
  private open: string[] = [];
  private readonly stopBatches: () => void;

  constructor(private readonly store: LmdbStore) {
    const original: Writes = {
      append: store.append.bind(store),
      writeRecords: store.writeRecords.bind(store),
      saveSnapshot: store.saveSnapshot.bind(store),
      writeBatch: store.writeBatch.bind(store),
    };
    store.append = (stream, seq, event, records = []) => {
      this.open.push(eventName(event), ...records.map(recordName));
      return original.append(stream, seq, event, records);
    };
    store.writeRecords = (writes) => {
      this.open.push(...writes.map(recordName));
      return original.writeRecords(writes);
    };
    store.saveSnapshot = (stream, seq, state) => {
      this.open.push('snapshot');
      return original.saveSnapshot(stream, seq, state);
    };
    // The reports engine hands a turn's writes over as one batch (src/reports/reports-journal.ts).
    store.writeBatch = (writes) => {
      for (const w of writes)
        this.open.push(
          w.kind === 'event' ? eventName(w.event) : w.kind === 'record' ? recordName(w.write) : 'snapshot',
        );
      return original.writeBatch(writes);
    };
    this.stopBatches = store.onBatch(() => {
      if (this.open.length) this.commits.push({ writes: this.open });
      this.open = [];
    });
  }

  /** Resolves once no write has been issued for `quietMs` (every batch handed over and committed). */
  async settle(quietMs = 30): Promise<void> {
    for (let seen = -1; seen !== this.commits.length || this.open.length; ) {
      seen = this.commits.length;
      await this.store.flush();
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  /** Puts the store's own methods back. */
  stop(): void {
    this.stopBatches();
    for (const name of ['append', 'writeRecords', 'saveSnapshot']) Reflect.deleteProperty(this.store, name);
  }
}
