/**
 * SIM-2: records live traffic for what-if replays. It sits in front of the
 * store as the actors' journal and, for every conversation event that has
 * committed, appends one compact line (src/sim/recording.ts) to a file. The
 * actors are not changed: whatever they store, in the order it commits, is
 * what the recording holds. Writes go through a stream, so recording never
 * waits on the file.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Journal, RecordKey, RecordWrite, StoredEvent } from '../../actors/journal.js';
import type { ConversationEvent } from '../../protocol/frames.js';
import type { RoutingRecord } from '../../actors/conversation/records.js';
import { visitorHandle } from '../../actors/customer-view.js';
import { RECORDING_VERSION, type RecordedLine } from './recording.js';
import type { Log } from '../../actors/log.js';

const STREAM_PREFIX = 'conv:';

/** The line for one committed event, or undefined for events a replay does not need (automatic messages, notes, joins). */
export function recordedLine(event: ConversationEvent, records: readonly RecordWrite[]): RecordedLine | undefined {
  const base = { t: event.at, c: event.conversationId };
  switch (event.type) {
    case 'created': {
      const routing = records.find((r) => r.key[0] === 'routing')?.value as RoutingRecord | undefined;
      // The visitor's public handle only: a full visitor id is a credential.
      return {
        ...base,
        e: 'created',
        v: visitorHandle(event.visitorId),
        d: routing?.department ?? event.department,
        ...(routing ? { n: routing.needs } : {}),
      };
    }
    case 'message':
      return event.from.role === 'system'
        ? undefined
        : { ...base, e: 'message', r: event.from.role === 'visitor' ? 'visitor' : 'agent' };
    case 'queued':
      return { ...base, e: 'queued', d: event.department, ...(event.reason ? { why: event.reason } : {}) };
    case 'assigned':
      return { ...base, e: 'assigned', a: event.agent.id, d: event.department };
    case 'unassigned':
      return { ...base, e: 'unassigned', why: event.reason };
    case 'transferred':
      return { ...base, e: 'transferred', d: event.department };
    case 'resolved':
      return { ...base, e: 'resolved', ...(event.reason ? { why: event.reason } : {}) };
    case 'reopened':
      return { ...base, e: 'reopened' };
    default:
      return undefined;
  }
}

export class TrafficRecorder {
  private readonly out: WriteStream;
  private failed = false;

  constructor(
    readonly path: string,
    log: Log,
    now: number,
  ) {
    this.out = createWriteStream(path, { flags: 'a' });
    this.out.on('error', (err) => {
      // Recording is a side channel: losing it must not take the server down.
      if (!this.failed) log.error({ err, path }, 'traffic recording failed; recording stopped');
      this.failed = true;
    });
    this.write({ e: 'recording', v: RECORDING_VERSION, t: now });
  }

  /** The journal actors should use: `store` itself, with committed conversation events copied to the recording. */
  wrap(store: Journal): Journal {
    const onCommit = (stream: string, event: unknown, records: readonly RecordWrite[]): void => {
      if (!stream.startsWith(STREAM_PREFIX)) return;
      const line = recordedLine(event as ConversationEvent, records);
      if (line) this.write(line);
    };
    return {
      append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
        const write = store.append(stream, seq, event, records);
        write.then(
          () => onCommit(stream, event, records),
          () => undefined,
        );
        return write;
      },
      read: <E>(stream: string, fromSeq: number, toSeq?: number): Iterable<StoredEvent<E>> =>
        store.read<E>(stream, fromSeq, toSeq),
      lastSeq: (stream: string) => store.lastSeq(stream),
      saveSnapshot: <S>(stream: string, seq: number, state: S) => store.saveSnapshot(stream, seq, state),
      loadSnapshot: <S>(stream: string) => store.loadSnapshot<S>(stream),
      writeRecords: (writes: readonly RecordWrite[]) => store.writeRecords(writes),
      getRecord: <V>(key: RecordKey) => store.getRecord<V>(key),
      records: <V>(prefix: RecordKey) => store.records<V>(prefix),
    };
  }

  private write(line: RecordedLine): void {
    if (!this.failed) this.out.write(`${JSON.stringify(line)}\n`);
  }

  /** Flushes what is buffered and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.out.closed || this.out.destroyed) return resolve();
      this.out.end(() => resolve());
    });
  }
}
