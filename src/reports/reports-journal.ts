/**
 * MON-2: the reports engine, seen by the actors as their journal. It sits in
 * front of the store (as the traffic recorder does) and, for every
 * conversation event appended and every rating written, adds the rollup and
 * tracking records the event changes to the same write, so they commit in
 * the same transaction as the event: the rollups never count an event the
 * journal lacks, nor miss one it holds. No actor knows reports exist.
 */
import type { Journal, RecordKey, RecordWrite, StoredEvent } from '../../actors/journal.js';
import { Keys, Prefix, StreamPrefix } from '../../actors/keyspace.js';
import type { ConversationEvent } from '../../protocol/frames.js';
import type { RatingRecord } from '../../actors/conversation/records.js';
import { stepEvent, stepRating, type ConversationTrack, type Step } from './conversation-track.js';
import { RollupCache } from './rollup-cache.js';
import { PeriodCache } from './period-cache.js';
import { addSums, emptySums, type RollupSums } from './rollup-sums.js';
import { hourOf } from './hours.js';

export class ReportsJournal implements Journal {
  private readonly cache: RollupCache;
  /** MON-2: summed days and months for the summary report, dropped as writes to their hours settle. */
  readonly periods: PeriodCache;

  constructor(private readonly inner: Journal) {
    this.cache = new RollupCache(inner);
    this.periods = new PeriodCache(inner);
  }

  append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
    if (!stream.startsWith(StreamPrefix.conversation)) return this.inner.append(stream, seq, event, records);
    const e = event as unknown as ConversationEvent;
    const extra = this.writesOf((track) => stepEvent(track, e, records), e.conversationId);
    return this.settle(this.inner.append(stream, seq, event, [...records, ...extra]), extra);
  }

  writeRecords(writes: readonly RecordWrite[]): Promise<void> {
    const extra: RecordWrite[] = [];
    for (const w of writes) {
      if (w.key[0] !== Prefix.rating || w.value === undefined) continue;
      const rating = w.value as RatingRecord;
      extra.push(...this.writesOf((track) => stepRating(track, rating), rating.conversationId));
    }
    if (!extra.length) return this.inner.writeRecords(writes);
    return this.settle(this.inner.writeRecords([...writes, ...extra]), extra);
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

  /** The tracking and rollup writes of one step, with the cache updated to their values. */
  private writesOf(step: (track: ConversationTrack | undefined) => Step, conversationId: string): RecordWrite[] {
    const trackKey = Keys.reportConversation(conversationId);
    const before = this.cache.get<ConversationTrack>(trackKey);
    const { track, contributions } = step(before);
    if (!track) return [];
    const writes = [this.cache.set(trackKey, track)];
    if (!before)
      writes.push(this.cache.set(Keys.reportCreated(hourOf(track.createdAt), track.createdAt, track.id), track.id));
    for (const c of contributions) {
      const key = Keys.reportHour(hourOf(c.at), c.department, c.agent);
      const sums = addSums(structuredClone(this.cache.get<RollupSums>(key) ?? emptySums()), c.sums);
      writes.push(this.cache.set(key, sums));
    }
    return writes;
  }

  private settle(write: Promise<void>, extra: readonly RecordWrite[]): Promise<void> {
    const done = (): void => {
      this.cache.settled(extra.map((w) => w.key));
      for (const w of extra) if (w.key[0] === Prefix.reportHour) this.periods.changed(Number(w.key[1]));
    };
    write.then(done, done);
    return write;
  }
}
