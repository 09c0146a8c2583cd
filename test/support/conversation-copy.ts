/**
 * A journal wrapper for tests that copies what the conversations write to
 * another store as it passes: their event streams with the records each
 * event commits with, and their routing, transfer and rating records. What
 * the reports would rebuild from (src/reports/rebuild.ts) is all there;
 * the reports' own records are not, so a server started on the copy
 * rebuilds its rollups from the events alone.
 */
import type { Journal, RecordWrite } from '../../actors/journal.js';
import { Prefix, StreamPrefix } from '../../actors/keyspace.js';

const COPIED: ReadonlySet<unknown> = new Set([Prefix.routing, Prefix.transfer, Prefix.rating]);
const isReport = (w: RecordWrite): boolean => String(w.key[0]).startsWith('report-');

export interface ConversationCopy {
  /** The journal to give the actors: `inner`, with the writes copied as they pass. */
  journal: Journal;
  /** Resolves once every copied write has committed. */
  flushed(): Promise<void>;
}

export function conversationCopy(inner: Journal, copy: Pick<Journal, 'append' | 'writeRecords'>): ConversationCopy {
  const pending: Promise<void>[] = [];
  const writes: Pick<Journal, 'append' | 'writeRecords'> = {
    append<E>(stream: string, seq: number, event: E, records: readonly RecordWrite[] = []): Promise<void> {
      if (stream.startsWith(StreamPrefix.conversation))
        pending.push(
          copy.append(
            stream,
            seq,
            event,
            records.filter((w) => !isReport(w)),
          ),
        );
      return inner.append(stream, seq, event, records);
    },
    writeRecords(list: readonly RecordWrite[]): Promise<void> {
      const copied = list.filter((w) => COPIED.has(w.key[0]));
      if (copied.length) pending.push(copy.writeRecords(copied));
      return inner.writeRecords(list);
    },
  };
  // Everything but the two writes goes to `inner` unchanged.
  const journal = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'append' || prop === 'writeRecords') return writes[prop];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { journal, flushed: async () => void (await Promise.all(pending)) };
}
