/**
 * A conversation's state from the store: at spawn (latest snapshot plus the
 * journal's tail, and the counts and routing record beside it), and again
 * after a failed append once every write issued has settled. While the
 * state is broken every message is refused, and a slot reserved for it is
 * given back.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { ConversationEvent } from '../../protocol/frames.js';
import type { Journal } from '../journal.js';
import { Keys } from '../keyspace.js';
import { ClientMsgFilter } from './client-msg-filter.js';
import { defaultConversationNeeds } from '../routing/needs.js';
import type { RoutingRecord } from './records.js';
import type { ConversationMsg } from './messages.js';
import { emptyView, type Snapshot } from './state.js';
import type { State } from './actor-state.js';
import { applyEvent } from './persist.js';
import { routeNow } from './routing.js';
import type { ConversationContext, Handlers } from './context.js';

/** OPS-2: every client message id stored for the conversation (their index records), in a filter sized for them. */
function filterOfStoredIds(journal: Journal, id: string): ClientMsgFilter {
  const keys: string[] = [];
  for (const { key } of journal.records(Keys.clientMsgs(id))) keys.push(String(key[2]));
  const filter = new ClientMsgFilter(keys.length);
  for (const k of keys) filter.add(k);
  return filter;
}

/** A conversation with nothing stored yet: what a `create` starts from. */
export function newState(id: string): State {
  return {
    ...emptyView(id),
    needs: defaultConversationNeeds,
    excluded: [],
    decisionCount: 0,
    seq: 0,
    committedSeq: 0,
    recentClientMsgIds: new Map(),
    recentComplete: true,
    clientMsgFilter: new ClientMsgFilter(),
    writes: new Map(),
    broken: false,
    rerouteAfterRecover: false,
    eventsSinceSnapshot: 0,
    subscribers: new Map(),
    responseTimer: undefined,
    autoCloseTimer: undefined,
    transferCount: 0,
    noteCount: 0,
    transferring: false,
    reopening: undefined,
    firstMessageSeen: false,
  };
}

/** The conversation as the store holds it; live-only parts (followers, timers, writes) start empty. */
export function recoverState(cx: Pick<ConversationContext, 'ports' | 'id' | 'stream'>): State {
  const { id, stream } = cx;
  const { journal } = cx.ports;
  const state = newState(id);
  const snap = journal.loadSnapshot<Snapshot>(stream);
  let from = 1;
  if (snap) {
    // Ids before the snapshot are only in the store.
    Object.assign(state, { ...snap.state, seq: snap.seq, recentComplete: false });
    from = snap.seq + 1;
    state.clientMsgFilter = filterOfStoredIds(journal, id);
  }
  for (const { seq, event } of journal.read<ConversationEvent>(stream, from)) {
    applyEvent(state, event);
    state.seq = seq;
  }
  state.committedSeq = state.seq;
  for (const _ of journal.records(Keys.decisions(id))) state.decisionCount++;
  for (const _ of journal.records(Keys.transfers(id))) state.transferCount++;
  for (const _ of journal.records(Keys.notes(id))) state.noteCount++;
  const routing = journal.getRecord<RoutingRecord>(Keys.routing(id));
  if (routing) {
    state.needs = routing.needs;
    state.stickyAgent = routing.stickyAgent;
    state.excluded = routing.excluded ?? [];
  }
  return state;
}

/**
 * Memory is ahead of the store: every message but `recover` is refused
 * (those with a reply hear `unavailable`), and a slot an agent reserved for
 * it goes back.
 */
export function refuseWhileBroken(cx: ConversationContext, s: State, msg: ConversationMsg): void {
  const { ports, id } = cx;
  if (msg.type === 'claimAnswer' && msg.accepted) {
    // The assignee's agent reserved a slot for a claim that cannot be stored now.
    const agent = ports.agent(msg.agent.id);
    if (agent) ports.runtime.tell(agent, { type: 'release', conversationId: id });
  }
  // Every reply accepts an error; the cast spares the compiler a union of every message's reply type.
  if ('reply' in msg)
    return (msg.reply as (e: ProtocolError) => void)(
      new ProtocolError('unavailable', 'conversation is recovering from a storage error; retry'),
    );
  if (msg.type === 'assign') {
    const agent = ports.agent(msg.agentId);
    if (agent) ports.runtime.tell(agent, { type: 'release', conversationId: id });
    s.rerouteAfterRecover = true;
  }
}

export const recoveryHandlers = {
  recover(cx, s) {
    const reroute = s.rerouteAfterRecover;
    Object.assign(s, recoverState(cx), { subscribers: s.subscribers });
    cx.ports.log.warn(
      { conversationId: cx.id, seq: s.seq },
      'conversation rebuilt from the store after a storage error',
    );
    // A create that never reached the store leaves nothing to keep in memory.
    if (s.seq === 0) return cx.ports.runtime.stopWhenIdle(cx.self);
    if (reroute && (s.status === 'new' || s.status === 'queued')) routeNow(cx, s);
  },
} satisfies Partial<Handlers>;
