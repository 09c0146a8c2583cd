/**
 * Fault injection for the store of a running test server: a write that
 * carries a chosen event is refused, as a commit on a full disk would be.
 * Events reach the store through `append`, or within a turn's batch
 * (`writeBatch`, the reports journal's); a refused batch fails whole, as
 * its one transaction would.
 */
import type { RecordWrite } from '../../actors/journal.js';
import type { LmdbStore } from '../../src/store/lmdb-store.js';

export interface EventHooks {
  /** A refusal (a promise that rejects) for the write carrying this event; undefined lets it through. */
  refuse?(stream: string, seq: number, event: unknown): Promise<void> | undefined;
  /** Told of each event once its write committed. */
  committed?(event: unknown): void;
  /** A refusal for a write carrying these records (given as `writeRecords` or within a batch). */
  refuseRecords?(writes: readonly RecordWrite[]): Promise<void> | undefined;
}

export function interceptEvents(store: LmdbStore, hooks: EventHooks): void {
  const append = store.append.bind(store);
  const writeRecords = store.writeRecords.bind(store);
  const writeBatch = store.writeBatch.bind(store);
  store.writeRecords = (writes) => hooks.refuseRecords?.(writes) ?? writeRecords(writes);
  store.append = (stream, seq, event, records) => {
    const refused = hooks.refuse?.(stream, seq, event);
    if (refused) return refused;
    return append(stream, seq, event, records).then(() => hooks.committed?.(event));
  };
  store.writeBatch = (writes) => {
    for (const w of writes) {
      const refused = w.kind === 'event' ? hooks.refuse?.(w.stream, w.seq, w.event) : undefined;
      if (refused) return refused;
    }
    const records = writes.flatMap((w) => (w.kind === 'record' ? [w.write] : []));
    const refused = records.length ? hooks.refuseRecords?.(records) : undefined;
    if (refused) return refused;
    return writeBatch(writes).then(() => {
      for (const w of writes) if (w.kind === 'event') hooks.committed?.(w.event);
    });
  };
}
