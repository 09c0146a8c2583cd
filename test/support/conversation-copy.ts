/**
 * A journal wrapper for tests that copies what the conversations write to
 * another store as it passes: their event streams with the records each
 * event commits with, and their routing, transfer and rating records. What
 * the reports would rebuild from (src/reports/rebuild.ts) is all there;
 * the reports' own records are not, so a server started on the copy
 * rebuilds its rollups from the events alone.
 */
import type { Journal, RecordKey, RecordWrite, StoredEvent } from '../../actors/journal.js';
import { Prefix, StreamPrefix } from '../../actors/keyspace.js';

const COPIED: ReadonlySet<unknown> = new Set([Prefix.routing, Prefix.transfer, Prefix.rating]);
const isReport = (w: RecordWrite): boolean => String(w.key[0]).startsWith('report-');

export class ConversationCopy implements Journal {
  private readonly pending: Promise<void>[] = [];

  constructor(
    private readonly inner: Journal,
    private readonly copy: Pick<Journal, 'append' | 'writeRecords'>,
  ) {}

  append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
    if (stream.startsWith(StreamPrefix.conversation))
      this.pending.push(
        this.copy.append(
          stream,
          seq,
          event,
          records.filter((w) => !isReport(w)),
        ),
      );
    return this.inner.append(stream, seq, event, records);
  }

  writeRecords(writes: readonly RecordWrite[]): Promise<void> {
    const copied = writes.filter((w) => COPIED.has(w.key[0]));
    if (copied.length) this.pending.push(this.copy.writeRecords(copied));
    return this.inner.writeRecords(writes);
  }

  /** Resolves once every copied write has committed. */
  async flushed(): Promise<void> {
    await Promise.all(this.pending);
  }

  read<E>(stream: string, fromSeq: number, toSeq?: number): Iterable<StoredEvent<E>> {
    return this.inner.read<E>(stream, fromSeq, toSeq);
  }
  lastSeq(stream: string): number {
    return this.inner.lastSeq(stream);
  }
  saveSnapshot<S>(stream: string, seq: number, state: S): Promise<void> {
    return this.inner.saveSnapshot(stream, seq, state);
  }
  loadSnapshot<S>(stream: string): { seq: number; state: S } | undefined {
    return this.inner.loadSnapshot<S>(stream);
  }
  getRecord<V>(key: RecordKey): V | undefined {
    return this.inner.getRecord<V>(key);
  }
  records<V>(prefix: RecordKey): Iterable<{ key: RecordKey; value: V }> {
    return this.inner.records<V>(prefix);
  }
}
