/**
 * MON-2: the reports engine, seen by the actors as their journal. It sits in
 * front of the store (as the traffic recorder does) and, for every
 * conversation event appended and every rating written, adds the rollup and
 * tracking records the event changes to the same write, so they commit in
 * the same transaction as the event: the rollups never count an event the
 * journal lacks, nor miss one it holds. An agent's presence changes (its own
 * stream, actors/agent/presence.ts) add its online and slot time the same
 * way. No actor knows reports exist.
 *
 * Over a store that takes batches (BatchJournal), the first write of a turn
 * that adds report records opens a burst: every write of the turn from then
 * on joins it, and the burst goes to the store as one batch once the turn's
 * synchronous work is done (a microtask), with each report record written
 * once, at its last value. A conversation's track changes with each of the
 * create's three events, and every conversation of a department shares the
 * hour's rollup, so under load most report writes of a turn fall together.
 * The batch is admitted or refused whole and commits in one transaction, in
 * the order the writes were issued, as a turn's writes did before.
 */
import {
  recordKeyId,
  type BatchJournal,
  type Journal,
  type JournalWrite,
  type RecordKey,
  type RecordWrite,
  type StoredEvent,
} from '../../actors/journal.js';
import { Keys, Prefix, StreamPrefix } from '../../actors/keyspace.js';
import type { ConversationEvent } from '../../protocol/frames.js';
import type { RatingRecord } from '../../actors/conversation/records.js';
import type { PresenceEvent } from '../../actors/agent/presence.js';
import { stepEvent, stepRating, type Contribution, type ConversationTrack, type Step } from './conversation-track.js';
import { stepPresence, type PresenceTrack } from './presence-track.js';
import { RollupCache } from './rollup-cache.js';
import { addSums, copySums, emptySums, type RollupSums } from './rollup-sums.js';
import { hourOf } from './hours.js';
import { PeriodRollups } from './period-rollups.js';

const MINUTE_MS = 60_000;
/** Open conversations whose track is kept in memory; past it the oldest is read from the store again when it next changes. */
const OPEN_TRACKS_MAX = 20_000;

/** The writes of one turn, gathered for one batch. */
interface Burst {
  writes: JournalWrite[];
  /** The reports' records, one write per key: the last value. */
  reports: Map<string, RecordWrite>;
  /** Every reports write as issued (a key may come more than once), for the cache's and the periods' counts. */
  issued: RecordWrite[];
  done: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

export class ReportsJournal implements Journal {
  private readonly cache: RollupCache;
  /** The kept days and months the summary reads (period-rollups.ts); rollup writes into them delete them. */
  readonly periods: PeriodRollups;
  /** The minute of the last `reportAlive` written: it is written at most once a minute. */
  private aliveMinute: number;
  /**
   * The tracks of conversations not resolved, as last written (committed or in flight), by conversation id:
   * every event of an open conversation needs its track, and most change nothing (a relayed message), so
   * reading it here spares a store read and decode per event. A write that fails forgets its tracks.
   */
  private readonly openTracks = new Map<string, ConversationTrack>();
  /** The inner journal when it takes batches (the store does; the simulator's memory journal does not). */
  private readonly batches: BatchJournal | undefined;
  private burst: Burst | undefined;
  /**
   * The last burst handed to the store, until it settles. Writes issued meanwhile go through a burst as
   * well, even without report records: a burst's promises resolve a step after its batch commits, so a
   * write of the same transaction issued after it, on its own, would resolve first, and a conversation's
   * events would be published out of order.
   */
  private flushed: Promise<void> | undefined;

  constructor(private readonly inner: Journal) {
    this.batches = 'writeBatch' in inner ? (inner as BatchJournal) : undefined;
    this.cache = new RollupCache(inner);
    this.periods = new PeriodRollups(inner);
    this.aliveMinute = Math.floor((inner.getRecord<number>(Keys.reportAlive) ?? 0) / MINUTE_MS);
  }

  append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
    let extra: RecordWrite[] = [];
    let at: number | undefined;
    if (stream.startsWith(StreamPrefix.conversation)) {
      const e = event as unknown as ConversationEvent;
      extra = this.writesOf((track) => stepEvent(track, e, records), e.conversationId);
      at = e.at;
    } else if (stream.startsWith(StreamPrefix.presence)) {
      const e = event as unknown as PresenceEvent;
      extra = this.presenceWrites(e);
      at = e.at;
    }
    const mark = at === undefined ? undefined : this.aliveMark(at);
    if (mark) extra.push(mark);
    const burst = this.burstFor(extra);
    if (!burst) {
      if (!extra.length) return this.inner.append(stream, seq, event, records);
      return this.settle(this.inner.append(stream, seq, event, [...records, ...extra]), extra);
    }
    burst.writes.push({ kind: 'event', stream, seq, event });
    for (const write of records) burst.writes.push({ kind: 'record', write });
    this.addReports(burst, extra);
    return burst.done;
  }

  /** The turn's open burst, or a new one when `extra` has report records to write and the store takes batches. */
  private burstFor(extra: readonly RecordWrite[]): Burst | undefined {
    if (this.burst || !this.batches || (!extra.length && !this.flushed)) return this.burst;
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const burst: Burst = { writes: [], reports: new Map(), issued: [], done, resolve, reject };
    this.burst = burst;
    queueMicrotask(() => this.flush(burst));
    return burst;
  }

  private addReports(burst: Burst, extra: readonly RecordWrite[]): void {
    for (const w of extra) {
      burst.reports.set(recordKeyId(w.key), w);
      burst.issued.push(w);
    }
  }

  /** Hands the burst to the store as one batch: its writes in order, then each report record once. */
  private flush(burst: Burst): void {
    if (this.burst === burst) this.burst = undefined;
    const writes = [...burst.writes];
    for (const write of burst.reports.values()) writes.push({ kind: 'record', write });
    let write: Promise<void>;
    try {
      write = this.batches!.writeBatch(writes);
    } catch (err) {
      // A store that throws (closed) fails every write of the burst, as it would have failed each.
      write = Promise.reject(err);
    }
    this.settle(write, burst.issued).then(burst.resolve, burst.reject);
    const flushed = burst.done.then(
      () => undefined,
      () => undefined,
    );
    this.flushed = flushed;
    void flushed.then(() => {
      if (this.flushed === flushed) this.flushed = undefined;
    });
  }

  /**
   * Marks the server alive at `at` (kept to the minute, like the marks the events write), so that a crash
   * while agents sit online with nothing happening loses at most a minute of their online time.
   */
  markAlive(at: number): Promise<void> {
    const mark = this.aliveMark(at);
    return mark ? this.recordsVia([], [mark]) : Promise.resolve();
  }

  /** The write of the alive mark at `at`, when `at` is in a later minute than the last one written. */
  private aliveMark(at: number): RecordWrite | undefined {
    const minute = Math.floor(at / MINUTE_MS);
    if (minute <= this.aliveMinute) return undefined;
    this.aliveMinute = minute;
    return this.cache.set(Keys.reportAlive, at);
  }

  writeRecords(writes: readonly RecordWrite[]): Promise<void> {
    const extra: RecordWrite[] = [];
    for (const w of writes) {
      if (w.key[0] !== Prefix.rating || w.value === undefined) continue;
      const rating = w.value as RatingRecord;
      extra.push(...this.writesOf((track) => stepRating(track, rating), rating.conversationId));
    }
    return this.recordsVia(writes, extra);
  }

  /** `writes` and their report records `extra`, through the turn's burst when there is one. */
  private recordsVia(writes: readonly RecordWrite[], extra: RecordWrite[]): Promise<void> {
    const burst = this.burstFor(extra);
    if (!burst) {
      if (!extra.length) return this.inner.writeRecords(writes);
      return this.settle(this.inner.writeRecords([...writes, ...extra]), extra);
    }
    for (const write of writes) burst.writes.push({ kind: 'record', write });
    this.addReports(burst, extra);
    return burst.done;
  }

  read<E>(stream: string, fromSeq: number, toSeq?: number): Iterable<StoredEvent<E>> {
    return this.inner.read<E>(stream, fromSeq, toSeq);
  }
  lastSeq(stream: string): number {
    return this.inner.lastSeq(stream);
  }
  saveSnapshot<S>(stream: string, seq: number, state: S): Promise<void> {
    const burst = this.burstFor([]);
    if (!burst) return this.inner.saveSnapshot(stream, seq, state);
    burst.writes.push({ kind: 'snapshot', stream, seq, state });
    return burst.done;
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
    const kept = this.openTracks.get(conversationId);
    const before = kept ?? this.cache.get<ConversationTrack>(trackKey);
    const { track, contributions } = step(before);
    // No track (an event before the reports existed), or the same track (a message that changes no figure): no write.
    if (!track) return [];
    if (track === before) {
      if (!kept) this.keepTrack(track);
      return [];
    }
    this.keepTrack(track);
    const writes = [this.cache.set(trackKey, track)];
    if (!before)
      writes.push(this.cache.set(Keys.reportCreated(hourOf(track.createdAt), track.createdAt, track.id), track.id));
    return [...writes, ...this.rollupWrites(contributions)];
  }

  /** Keeps an open conversation's track in memory; a resolved one is read from the store when it changes again. */
  private keepTrack(track: ConversationTrack): void {
    this.openTracks.delete(track.id);
    if (track.status === 'resolved') return;
    this.openTracks.set(track.id, track);
    if (this.openTracks.size > OPEN_TRACKS_MAX) {
      const oldest = this.openTracks.keys().next();
      if (!oldest.done) this.openTracks.delete(oldest.value);
    }
  }

  /** The presence track and rollup writes of one presence change. */
  private presenceWrites(e: PresenceEvent): RecordWrite[] {
    const key = Keys.reportPresence(e.agentId);
    const { track, contributions } = stepPresence(this.cache.get<PresenceTrack>(key), e);
    return [this.cache.set(key, track), ...this.rollupWrites(contributions)];
  }

  private rollupWrites(contributions: readonly Contribution[]): RecordWrite[] {
    const writes = contributions.map((c) => {
      const key = Keys.reportHour(hourOf(c.at), c.department, c.agent);
      // A fresh copy each write: the value of a write in flight stays as it was issued.
      const current = this.cache.get<RollupSums>(key);
      return this.cache.set(key, addSums(current ? copySums(current) : emptySums(), c.sums));
    });
    return writes.length ? [...writes, ...this.periods.touch(writes.map((w) => w.key[1] as number))] : writes;
  }

  private settle(write: Promise<void>, extra: readonly RecordWrite[]): Promise<void> {
    const hours = extra.filter((w) => w.key[0] === Prefix.reportHour).map((w) => w.key[1] as number);
    const done = (): void => {
      this.cache.settled(extra.map((w) => w.key));
      this.periods.release(hours);
    };
    const failed = (): void => {
      // The store may not hold what the kept tracks say: they are read from it again.
      for (const w of extra) if (w.key[0] === Prefix.reportConversation) this.openTracks.delete(w.key[1] as string);
      done();
    };
    write.then(done, failed);
    return write;
  }
}
