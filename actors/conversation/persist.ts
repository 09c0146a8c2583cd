/**
 * Journal first: every change of a conversation is applied to memory and
 * appended to its journal; acks and events go out only once the append has
 * committed, in seq order. The actor does not wait for a commit before its
 * next message: appends commit in the order they were issued, so a burst of
 * messages shares one transaction. A failed append marks the state broken
 * (recovery.ts rebuilds it once every write issued has settled).
 */
import { ProtocolError } from '../../protocol/errors.js';
import { StateEventTypes } from '../../protocol/conversation-event-types.js';
import type { AutoMessageKey, ConversationEvent, MessageEvent, Participant } from '../../protocol/frames.js';
import type { RecordWrite } from '../journal.js';
import { Keys } from '../keyspace.js';
import { defaultConversationNeeds } from '../routing/needs.js';
import type { DecisionRecord, OpenConversationRecord } from './records.js';
import { autoMessageText } from '../auto-messages.js';
import { conversationSummary } from '../monitor.js';
import { apply, snapshotOf, type Snapshot } from './state.js';
import type { State } from './actor-state.js';
import { SYSTEM } from './access.js';
import { dropNonReaders, publish, subscribeAgent } from './followers.js';
import { armAutoClose, armResponseTimer } from './timers.js';
import { messageIdOf, senderKey, type ConversationContext } from './context.js';

const RECENT_CLIENT_MSG_IDS = 1024;

const SNAPSHOT_EVERY = 200;

/** Events that change what a supervisor's live view shows (SUP-1). */
const MONITORED: ReadonlySet<ConversationEvent['type']> = new Set(StateEventTypes);

/** The reducer's view, and the client message ids a retried send is checked against (OPS-2). */
export function applyEvent(s: State, e: ConversationEvent): void {
  Object.assign(s, apply(s, e));
  if (e.type !== 'message' || e.clientMsgId === undefined) return;
  const key = senderKey(e.from, e.clientMsgId);
  s.recentClientMsgIds.set(key, e.seq);
  s.clientMsgFilter.add(key);
  // Map order is insertion order: the first key is the oldest.
  if (s.recentClientMsgIds.size > RECENT_CLIENT_MSG_IDS) {
    s.recentClientMsgIds.delete(s.recentClientMsgIds.keys().next().value!);
    s.recentComplete = false;
  }
}

/** The `open` index record of the conversation as it stands; none once resolved. */
export function openRecord(s: State): RecordWrite {
  const value: OpenConversationRecord | undefined =
    s.status === 'resolved'
      ? undefined
      : {
          id: s.id,
          visitorId: s.visitorId,
          department: s.department,
          status: s.status,
          agentId: s.agentId,
          place: s.place,
          createdAt: s.createdAt,
          ...(s.needs !== defaultConversationNeeds ? { needs: s.needs } : {}),
          ...(s.backlog ? { backlog: s.backlog } : {}),
          ...(s.stickyAgent !== undefined ? { stickyAgent: s.stickyAgent } : {}),
          ...(s.excluded.length ? { exclude: s.excluded } : {}),
        };
  return { key: Keys.open(s.id), value };
}

/** The next decision record's write (ROUTE-16); numbered in the order outcomes happened. */
export const decisionWrite = (s: State, record: DecisionRecord): RecordWrite => ({
  key: Keys.decision(s.id, s.decisionCount++),
  value: record,
});

/** Stores a routing outcome that changes nothing else (ROUTE-16). */
export function storeDecision(cx: ConversationContext, s: State, record: DecisionRecord): void {
  cx.ports.journal
    .writeRecords([decisionWrite(s, record)])
    .catch((err: unknown) => cx.ports.log.warn({ err, conversationId: cx.id }, 'routing decision not stored'));
}

/**
 * Memory follows live work: a resolved conversation's actor stops once its
 * writes (journal and read marks) are done and no reopen is pending; it is
 * spawned again from the store if anyone reads or writes it.
 */
export function sleepIfDone(cx: ConversationContext, s: State): void {
  if (s.status === 'resolved' && s.writes.size === 0 && !s.broken && !s.reopening && !cx.presence.writing)
    cx.ports.runtime.stopWhenIdle(cx.self);
}

function settled(cx: ConversationContext, s: State): void {
  if (s.broken && s.writes.size === 0) cx.ports.runtime.tell(cx.self, { type: 'recover' });
}

export interface PersistOptions {
  records?: (s: State) => RecordWrite[];
  /** Runs on commit before subscribers hear of the event (a handover must reach its agent before the `assigned`). */
  beforePublish?: (e: ConversationEvent) => void;
  onCommit?: (e: ConversationEvent) => void;
  onFail?: (err: ProtocolError) => void;
}

/**
 * Applies the event now and appends it; `onCommit` runs once it has
 * committed, in seq order. A failed commit leaves memory ahead of the
 * store: the actor answers `unavailable` until every write it issued has
 * settled, then rebuilds its state from the store. It keeps running, so no
 * second actor can reuse the seqs of writes still in flight.
 */
export function persist(
  cx: ConversationContext,
  s: State,
  build: (seq: number, at: number) => ConversationEvent,
  opts: PersistOptions = {},
): ConversationEvent {
  const { ports, id, stream, self } = cx;
  const { journal, notifier, log } = ports;
  const seq = ++s.seq;
  const event = build(seq, ports.clock.now());
  const departmentBefore = s.department;
  applyEvent(s, event);
  // Whether this event moved it, decided now: by its commit, later events (a transfer's `assigned`) may have changed memory again.
  const moved = s.department !== departmentBefore;
  const write = journal.append(stream, seq, event, opts.records?.(s) ?? []);
  s.writes.set(seq, write);
  write.then(
    () => {
      s.writes.delete(seq);
      s.committedSeq = Math.max(s.committedSeq, seq);
      if (event.type === 'assigned') {
        subscribeAgent(notifier, s, event.agent.id, seq);
        armResponseTimer(ports, self, s);
        armAutoClose(ports, self, s);
      }
      opts.beforePublish?.(event);
      publish(notifier, s, event);
      if (moved) dropNonReaders(s);
      if (MONITORED.has(event.type))
        ports.monitor.publish(conversationSummary(s), event.type, moved ? departmentBefore : undefined);
      opts.onCommit?.(event);
      settled(cx, s);
      // The last write of a resolved conversation (its automatic messages follow the resolve) lets it sleep.
      sleepIfDone(cx, s);
    },
    (err: unknown) => {
      s.writes.delete(seq);
      if (!s.broken)
        log.error({ err, conversationId: id, seq }, 'journal append failed; conversation rebuilds from the store');
      s.broken = true;
      opts.onFail?.(new ProtocolError('storage_failed', 'not stored; retry'));
      settled(cx, s);
    },
  );
  if (++s.eventsSinceSnapshot >= SNAPSHOT_EVERY) {
    s.eventsSinceSnapshot = 0;
    const snapshot: Snapshot = snapshotOf(s);
    journal
      .saveSnapshot(stream, seq, snapshot)
      .catch((err: unknown) => log.warn({ err, conversationId: id }, 'snapshot failed; recovery reads more journal'));
  }
  return event;
}

/** A chat message event: what a sender wrote (text, file, client message id) with its place in the journal. */
export const messageEvent = (
  conversationId: string,
  seq: number,
  at: number,
  from: Participant,
  body: Pick<MessageEvent, 'text' | 'file' | 'clientMsgId' | 'auto'>,
): MessageEvent => ({
  type: 'message',
  conversationId,
  seq,
  at,
  messageId: messageIdOf(conversationId, seq),
  from,
  ...body,
});

/**
 * CONV-4: an automatic message to the customer, stored like any message
 * (from `system`), in the conversation's language; nothing when the
 * workspace turned it off.
 */
export function autoMessage(
  cx: ConversationContext,
  s: State,
  key: AutoMessageKey,
  vars: { position?: number; agent?: string } = {},
): void {
  const text = autoMessageText(cx.ports.settings().workspace, s.language, key, vars);
  if (text === undefined) return;
  persist(cx, s, (seq, at) => messageEvent(cx.id, seq, at, SYSTEM, { text, auto: key }));
}
