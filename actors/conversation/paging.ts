/**
 * Replaying a conversation's journal to one connection in pages (a
 * `resume`), and the receiving agent's handover (XFER-4), which is one such
 * page. Paging keeps a long history within a connection's backpressure
 * limit.
 */
import type { ConversationEvent, HandoverEvent } from '../../protocol/frames.js';
import type { Journal } from '../journal.js';
import type { Notifier } from '../notifier.js';
import { Keys } from '../keyspace.js';
import type { NoteRecord, TransferRecord } from './records.js';
import { customerView } from '../customer-view.js';
import type { State } from './actor-state.js';
import { markSent } from './followers.js';

/** A resume replays at most this many events (or about this many bytes) before asking the client to continue. */
export const REPLAY_PAGE_EVENTS = 200;
export const REPLAY_PAGE_BYTES = 256 * 1024;
/** Wire size of an event, estimated cheaply (UTF-8 takes at most 3 bytes per UTF-16 unit of text), for paging. */
const eventBytes = (event: ConversationEvent): number =>
  200 + (event.type === 'message' ? (event.text?.length ?? 0) * 3 : 0);

/**
 * Sends one page of events after `lastSeq` to `connection`: up to the last
 * committed one, or, for a connection that follows, up to the one before its
 * mark (what it was sent live never comes again, OPS-2). `more`: the page is
 * full and events before that end remain.
 */
export function replayPage(
  journal: Journal,
  notifier: Notifier,
  stream: string,
  s: State,
  connection: number,
  lastSeq: number,
): { last: number; more: boolean } {
  const following = s.subscribers.get(connection);
  const end = following ? Math.min(s.committedSeq, following.from - 1) : s.committedSeq;
  let last = lastSeq;
  let events = 0;
  let bytes = 0;
  for (const { seq, event } of journal.read<ConversationEvent>(stream, lastSeq + 1, end)) {
    notifier.send({ kind: 'connection', id: connection }, event);
    last = seq;
    bytes += eventBytes(event);
    if (++events >= REPLAY_PAGE_EVENTS || bytes >= REPLAY_PAGE_BYTES) break;
  }
  return { last, more: last < end };
}

/**
 * XFER-4: everything the receiving agent needs, sent just before the
 * `assigned` event reaches them live: history up to the event before it,
 * so each event arrives exactly once.
 */
export function sendHandover(
  journal: Journal,
  notifier: Notifier,
  stream: string,
  s: State,
  agentId: string,
  assignedSeq: number,
): void {
  const id = s.id;
  const transfers = [...journal.records<TransferRecord>(Keys.transfers(id))].map((r) => r.value);
  const transfer = transfers[transfers.length - 1];
  if (!transfer) return;
  // One page, like a resume's, so that a long history cannot overrun the connection's backpressure limit in one frame.
  let history = [
    ...journal.read<ConversationEvent>(stream, Math.max(1, assignedSeq - REPLAY_PAGE_EVENTS), assignedSeq - 1),
  ].map((e) => e.event);
  let bytes = 0;
  let keep = history.length;
  while (keep > 0 && bytes + eventBytes(history[keep - 1]!) <= REPLAY_PAGE_BYTES) bytes += eventBytes(history[--keep]!);
  history = history.slice(keep);
  const fromSeq = history[0]?.seq ?? assignedSeq;
  const frame: HandoverEvent = {
    type: 'handover',
    conversationId: id,
    transfer,
    transfers,
    notes: [...journal.records<NoteRecord>(Keys.notes(id))].map((r) => r.value),
    history,
    historyFromSeq: fromSeq,
    // CUST-2: who the customer is and what happened before, so nobody asks them again.
    customer: customerView(journal, s.visitorId, { exclude: id }),
  };
  notifier.send({ kind: 'staff', id: agentId }, frame);
  // The agent's connections were sent the history: a resume of theirs replays only what came before it (OPS-2).
  markSent(notifier, s, agentId, fromSeq);
}
