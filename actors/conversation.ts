/**
 * Conversation actor: owns one conversation's message log (its journal),
 * state, participants and seq. Every change is appended to the journal first;
 * clients hear of it (ack, events) only once the append has committed.
 *
 * The actor does not wait for a commit before handling its next message:
 * appends commit in the order they were issued, so acks and events still go
 * out in seq order, while a burst of messages shares one transaction.
 */
import { ProtocolError } from '../protocol/errors.js';
import type {
  AssignedEvent,
  UnassignedEvent,
  ConversationEvent,
  CreatedEvent,
  FileRef,
  MessageEvent,
  Participant,
  QueuedEvent,
  ResolvedEvent,
} from '../protocol/frames.js';
import type { Behavior, Ref, Reply } from './runtime.js';
import type { TimerHandle } from './clock.js';
import type { Caller } from './notifier.js';
import type { Directory } from './directory.js';
import type { RecordWrite } from './journal.js';
import type { QueuedItem } from './routing/queue-order.js';
import {
  Keys,
  conversationStream,
  defaultConversationNeeds,
  type BacklogReason,
  type ConversationNeeds,
  type ConversationStatus,
  type DecisionRecord,
  type OpenConversationRecord,
  type RoutingRecord,
  type VisitorRecord,
} from './records.js';

export interface SendResult {
  conversationId: string;
  seq: number;
  messageId: string;
  duplicate: boolean;
}

export interface CloseResult {
  conversationId: string;
  seq: number;
  reason?: 'left' | 'abandoned';
}

export interface ResumeResult {
  conversationId: string;
  fromSeq: number;
  /** The last seq replayed. */
  lastSeq: number;
  status: ConversationStatus;
  /** More events remain: resume again from lastSeq. Live events start only after the last page. */
  more: boolean;
}

/** How a conversation was routed and every routing outcome since (ROUTE-7, ROUTE-16): staff only. */
export interface Explanation {
  conversationId: string;
  department: string;
  status: ConversationStatus;
  routing?: RoutingRecord;
  decisions: DecisionRecord[];
}

export type ConversationMsg =
  /** `routing`: what keyword rules and the widget's entry point settled (ROUTE-7, ROUTE-8). */
  | { type: 'create'; caller: Caller; department: string; text?: string; clientMsgId?: string; routing?: RoutingRecord; reply: Reply<SendResult> }
  /** Without clientMsgId the message cannot be deduplicated (a start's text when a conversation is open). */
  | { type: 'send'; caller: Caller; clientMsgId?: string; text?: string; file?: FileRef; reply: Reply<SendResult> }
  /** CONV-1: may the caller upload to (write) or download from (read) this conversation? The rules of send and resume. */
  | { type: 'access'; caller: Caller; write: boolean; reply: Reply<{ conversationId: string }> }
  | { type: 'resume'; caller: Caller; lastSeq: number; reply: Reply<ResumeResult> }
  | { type: 'queued'; department: string; place: QueuedItem; backlog?: BacklogReason }
  | { type: 'assign'; agentId: string; agentName: string; department: string; policy: string; record: DecisionRecord }
  /** A routing outcome that is not an assignment (queued, waiting for the last agent), to store (ROUTE-16). */
  | { type: 'decided'; record: DecisionRecord }
  /** ROUTE-15: waited too long; move to the fallback department's queue. */
  | { type: 'overflow'; from: string; to: string }
  | { type: 'explain'; caller: Caller; reply: Reply<Explanation> }
  /** After a restart: start the response timer again if one was running. */
  | { type: 'rearm' }
  /** ROUTE-13/17: never offer this conversation to the agent again (timed out, declined or missed its offer). */
  | { type: 'exclude'; agentId: string }
  | { type: 'route' }
  /** ROUTE-14: the agent went offline (or did not come back within the grace period). */
  | { type: 'agentGone'; agentId: string }
  /** ROUTE-13: the response timer of the assignment at `assignedSeq` ran out. */
  | { type: 'responseTimeout'; agentId: string; assignedSeq: number }
  /** Sent to itself once every write issued before a failed one has settled. */
  | { type: 'recover' }
  | { type: 'resolve'; caller: Caller; summary?: string; reply: Reply<CloseResult> }
  | { type: 'leave'; caller: Caller; reply: Reply<CloseResult> }
  /**
   * ROUTE-12: a staff member takes a waiting conversation, or a supervisor or admin gives it to `agent`;
   * that agent's actor must accept it like any offer.
   */
  | { type: 'claim'; caller: Caller; agent: { id: string; name: string }; reply: Reply<{ conversationId: string; seq: number; agentId: string }> }
  | { type: 'claimAnswer'; caller: Caller; agent: { id: string; name: string }; accepted: boolean; reply: Reply<{ conversationId: string; seq: number; agentId: string }> };

interface State {
  id: string;
  visitorId: string;
  department: string;
  status: ConversationStatus;
  agentId: string | undefined;
  agentName: string | undefined;
  /** seq of the current assignment, and whether its agent still owes a first reply (ROUTE-13). */
  assignedSeq: number;
  awaitingReply: boolean;
  place: QueuedItem | undefined;
  createdAt: number;
  /** What it asks of its agent and its queue priority (ROUTE-5/6/7, QUEUE-2). */
  needs: ConversationNeeds;
  /** The agent who served this visitor last (ROUTE-9). */
  stickyAgent: string | undefined;
  /** Agents never to be offered it again, kept across queues, departments and restarts. */
  excluded: string[];
  /** Waiting as a left message, and why (QUEUE-4/6). */
  backlog: BacklogReason | undefined;
  /** Routing outcomes stored so far (ROUTE-16); the next one's number. */
  decisionCount: number;
  /** When the current assignment was made, and since when a customer message waits for an answer (ROUTE-10 figures). */
  assignedAt: number;
  unansweredSince: number | undefined;
  /** Last seq issued (committed or in flight). */
  seq: number;
  /** Last seq known committed; resume reads up to here, later events reach clients on commit. */
  committedSeq: number;
  /**
   * Recent `sender:clientMsgId` → seq, so a retried send is stored once
   * (OPS-2). Bounded: older ids are found in their index records, so memory
   * and snapshots do not grow with the conversation's history.
   */
  recentClientMsgIds: Map<string, number>;
  /** True while recentClientMsgIds holds every id of the conversation: a miss then needs no store lookup. */
  recentComplete: boolean;
  /** Appends issued and not yet settled, by seq; each resolves on commit and rejects on failure. */
  writes: Map<number, Promise<void>>;
  /** A write failed: memory is ahead of the store until every issued write settles and state is rebuilt. */
  broken: boolean;
  /** Route again after the rebuild: the failed write was an assignment. */
  rerouteAfterRecover: boolean;
  eventsSinceSnapshot: number;
  /**
   * Connections that receive this conversation's events as they commit: the
   * one that started it, those that resumed it, and the assigned agent's. A
   * connection joins in the same actor turn as its replay ends, so it gets
   * every event exactly once and in order (OPS-2).
   */
  subscribers: Map<number, { role: Caller['role']; id: string }>;
  /** Runs out when the assigned agent has not replied in time (ROUTE-13); real or virtual clock. */
  responseTimer: TimerHandle | undefined;
}

/** The durable part of State; seq comes from the snapshot record, the rest is runtime bookkeeping. */
type Runtime =
  | 'seq'
  | 'committedSeq'
  | 'recentClientMsgIds'
  | 'recentComplete'
  | 'writes'
  | 'broken'
  | 'rerouteAfterRecover'
  | 'eventsSinceSnapshot'
  | 'subscribers'
  | 'responseTimer'
  | 'decisionCount'
  | 'needs'
  | 'stickyAgent'
  | 'excluded';
type Snapshot = Omit<State, Runtime>;

/** A resume replays at most this many events (or about this many bytes) before asking the client to continue. */
const REPLAY_PAGE_EVENTS = 200;
const REPLAY_PAGE_BYTES = 256 * 1024;

const RECENT_CLIENT_MSG_IDS = 1024;

const SNAPSHOT_EVERY = 200;

/** The same answer for an id that names nothing and one the caller may not see. */
const notFound = (): ProtocolError => new ProtocolError('not_found', 'no such conversation', 'conversationId');

export const messageIdOf = (conversationId: string, seq: number): string => `${conversationId}.${seq}`;

/** Client message ids are scoped to their sender: the same id from the visitor and from the agent are two messages. */
const senderKey = (from: Participant, clientMsgId: string): string => `${from.role}:${from.id}:${clientMsgId}`;

export function conversationBehavior(dir: Directory, id: string): Behavior<State, ConversationMsg> {
  const stream = conversationStream(id);
  const { journal, notifier, clock, log, runtime } = dir.deps;

  const recover = (): State => {
    const state: State = {
      id,
      visitorId: '',
      department: '',
      status: 'new',
      agentId: undefined,
      agentName: undefined,
      assignedSeq: 0,
      awaitingReply: false,
      place: undefined,
      createdAt: 0,
      needs: defaultConversationNeeds,
      stickyAgent: undefined,
      excluded: [],
      backlog: undefined,
      decisionCount: 0,
      assignedAt: 0,
      unansweredSince: undefined,
      seq: 0,
      committedSeq: 0,
      recentClientMsgIds: new Map(),
      recentComplete: true,
      writes: new Map(),
      broken: false,
      rerouteAfterRecover: false,
      eventsSinceSnapshot: 0,
      subscribers: new Map(),
      responseTimer: undefined,
    };
    const snap = journal.loadSnapshot<Snapshot>(stream);
    let from = 1;
    if (snap) {
      // Ids before the snapshot are only in the store.
      Object.assign(state, { ...snap.state, seq: snap.seq, recentComplete: false });
      from = snap.seq + 1;
    }
    for (const { seq, event } of journal.read<ConversationEvent>(stream, from)) {
      apply(state, event);
      state.seq = seq;
    }
    state.committedSeq = state.seq;
    for (const _ of journal.records(Keys.decisions(id))) state.decisionCount++;
    const routing = journal.getRecord<RoutingRecord>(Keys.routing(id));
    if (routing) {
      state.needs = routing.needs;
      state.stickyAgent = routing.stickyAgent;
      state.excluded = routing.excluded ?? [];
    }
    return state;
  };

  const apply = (s: State, e: ConversationEvent): void => {
    switch (e.type) {
      case 'created':
        s.visitorId = e.visitorId;
        s.department = e.department;
        s.createdAt = e.at;
        break;
      case 'message':
        if (e.from.role === 'agent') {
          s.awaitingReply = false;
          s.unansweredSince = undefined;
        } else if (e.from.role === 'visitor') s.unansweredSince ??= e.at;
        if (e.clientMsgId !== undefined) {
          s.recentClientMsgIds.set(senderKey(e.from, e.clientMsgId), e.seq);
          // Map order is insertion order: the first key is the oldest.
          if (s.recentClientMsgIds.size > RECENT_CLIENT_MSG_IDS) {
            s.recentClientMsgIds.delete(s.recentClientMsgIds.keys().next().value!);
            s.recentComplete = false;
          }
        }
        break;
      case 'queued':
        s.status = 'queued';
        s.department = e.department;
        s.backlog = e.reason;
        break;
      case 'assigned':
        s.status = 'assigned';
        s.agentId = e.agent.id;
        s.agentName = e.agent.name;
        s.assignedSeq = e.seq;
        s.assignedAt = e.at;
        s.awaitingReply = true;
        s.department = e.department;
        s.backlog = undefined;
        break;
      case 'unassigned':
        s.status = 'new';
        s.agentId = undefined;
        s.agentName = undefined;
        s.awaitingReply = false;
        break;
      case 'resolved':
        s.status = 'resolved';
        break;
    }
  };

  const openRecord = (s: State): RecordWrite => {
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
  };

  const publish = (s: State, event: ConversationEvent): void => {
    for (const connection of s.subscribers.keys()) {
      if (!notifier.send({ kind: 'connection', id: connection }, event)) s.subscribers.delete(connection);
    }
  };

  const subscribe = (s: State, c: Caller): void => {
    s.subscribers.set(c.connectionId, { role: c.role, id: c.id });
  };

  /** On assignment the agent's open connections follow the conversation, and a former agent's stop. */
  const subscribeAgent = (s: State, agentId: string): void => {
    for (const [connection, who] of s.subscribers) if (who.role === 'agent' && who.id !== agentId) s.subscribers.delete(connection);
    for (const connection of notifier.connectionsOf({ kind: 'staff', id: agentId })) s.subscribers.set(connection, { role: 'agent', id: agentId });
  };

  const armResponseTimer = (s: State): void => {
    s.responseTimer?.cancel();
    s.responseTimer = undefined;
    const seconds = dir.departmentConfig(s.department)?.responseTimeoutSec;
    if (!seconds || !s.awaitingReply || !s.agentId) return;
    const agentId = s.agentId;
    const assignedSeq = s.assignedSeq;
    // From the assignment, not from now: after a restart the agent gets no extra time.
    const left = Math.max(0, s.assignedAt + seconds * 1000 - clock.now());
    s.responseTimer = clock.setTimer(left, () => runtime.tell(self, { type: 'responseTimeout', agentId, assignedSeq }));
  };

  const settled = (s: State): void => {
    if (s.broken && s.writes.size === 0) runtime.tell(self, { type: 'recover' });
  };

  /**
   * Applies the event now and appends it; `onCommit` runs once it has
   * committed, in seq order. A failed commit leaves memory ahead of the
   * store: the actor answers `unavailable` until every write it issued has
   * settled, then rebuilds its state from the store. It keeps running, so no
   * second actor can reuse the seqs of writes still in flight.
   */
  const persist = (
    s: State,
    build: (seq: number, at: number) => ConversationEvent,
    opts: { records?: (s: State) => RecordWrite[]; onCommit?: (e: ConversationEvent) => void; onFail?: (err: ProtocolError) => void } = {},
  ): ConversationEvent => {
    const seq = ++s.seq;
    const event = build(seq, clock.now());
    apply(s, event);
    const write = journal.append(stream, seq, event, opts.records?.(s) ?? []);
    s.writes.set(seq, write);
    write.then(
      () => {
        s.writes.delete(seq);
        s.committedSeq = Math.max(s.committedSeq, seq);
        if (event.type === 'assigned') {
          subscribeAgent(s, event.agent.id);
          armResponseTimer(s);
        }
        publish(s, event);
        opts.onCommit?.(event);
        settled(s);
      },
      (err: unknown) => {
        s.writes.delete(seq);
        if (!s.broken) log.error({ err, conversationId: id, seq }, 'journal append failed; conversation rebuilds from the store');
        s.broken = true;
        opts.onFail?.(new ProtocolError('storage_failed', 'not stored; retry'));
        settled(s);
      },
    );
    if (++s.eventsSinceSnapshot >= SNAPSHOT_EVERY) {
      s.eventsSinceSnapshot = 0;
      const snapshot: Snapshot = {
        id: s.id,
        visitorId: s.visitorId,
        department: s.department,
        status: s.status,
        agentId: s.agentId,
        agentName: s.agentName,
        assignedSeq: s.assignedSeq,
        awaitingReply: s.awaitingReply,
        place: s.place,
        createdAt: s.createdAt,
        backlog: s.backlog,
        assignedAt: s.assignedAt,
        unansweredSince: s.unansweredSince,
      };
      journal.saveSnapshot(stream, seq, snapshot).catch((err: unknown) => log.warn({ err, conversationId: id }, 'snapshot failed; recovery reads more journal'));
    }
    return event;
  };

  /** Writers: the conversation's visitor and its assigned agent. Supervision (SUP-*) comes with its own issue. */
  const isParticipant = (s: State, c: Caller): boolean => (c.role === 'visitor' ? c.id === s.visitorId : c.id === s.agentId);

  /** Readers: participants, plus supervisors of the conversation's department and admins. */
  const canRead = (s: State, c: Caller): boolean =>
    isParticipant(s, c) || c.role === 'admin' || (c.role === 'supervisor' && (c.departments?.includes(s.department) ?? false));

  const participantOf = (c: Caller): Participant => ({ role: c.role === 'visitor' ? 'visitor' : 'agent', id: c.id });

  const appendMessage = (s: State, from: Participant, clientMsgId: string | undefined, text: string | undefined, reply: Reply<SendResult>, keywords = true, file?: FileRef): void => {
    if (from.role === 'agent') {
      s.responseTimer?.cancel();
      s.responseTimer = undefined;
      measureReply(s);
    }
    const event = persist(
      s,
      (seq, at): MessageEvent => ({ type: 'message', conversationId: id, seq, at, messageId: messageIdOf(id, seq), from, ...(clientMsgId ? { clientMsgId } : {}), ...(text !== undefined ? { text } : {}), ...(file ? { file } : {}) }),
      {
        records: (st) => (clientMsgId === undefined ? [] : [{ key: Keys.clientMsg(id, senderKey(from, clientMsgId)), value: st.seq }]),
        onCommit: (e) => reply({ conversationId: id, seq: e.seq, messageId: messageIdOf(id, e.seq), duplicate: false }),
        onFail: reply,
      },
    );
    if (from.role === 'visitor' && keywords && text !== undefined) applyKeywords(s, text, event.seq);
  };

  /**
   * Stores an assignment whose agent actor has already accepted it (the slot
   * is reserved). Once stored, the agent is asked to confirm, since it may
   * have gone offline meanwhile (it then answers agentGone); if the store
   * refuses it, the slot goes back and the conversation is routed again after
   * its rebuild.
   */
  const storeAssignment = (
    s: State,
    agent: { id: string; name: string },
    department: string,
    policy: string,
    record: DecisionRecord,
    done: { onCommit?: (seq: number) => void; onFail?: (err: ProtocolError) => void } = {},
  ): void => {
    const ref = dir.agent(agent.id);
    persist(s, (seq, at): AssignedEvent => ({ type: 'assigned', conversationId: id, seq, at, department, visitorId: s.visitorId, agent, policy }), {
      records: (st) => [openRecord(st), decisionWrite(st, record)],
      onCommit: (e) => {
        done.onCommit?.(e.seq);
        if (ref) runtime.tell(ref, { type: 'confirm', conversationId: id });
      },
      onFail: (err) => {
        if (ref) runtime.tell(ref, { type: 'release', conversationId: id });
        s.rerouteAfterRecover = true;
        done.onFail?.(err);
      },
    });
  };

  /** ROUTE-10: how quickly the assigned agent answers, reported to their agent actor. */
  const measureReply = (s: State): void => {
    const agent = s.status === 'assigned' && s.agentId ? dir.agent(s.agentId) : undefined;
    if (!agent) return;
    const now = clock.now();
    if (s.awaitingReply) runtime.tell(agent, { type: 'figure', kind: 'firstResponse', value: now - s.assignedAt });
    if (s.unansweredSince !== undefined) runtime.tell(agent, { type: 'figure', kind: 'response', value: now - s.unansweredSince });
  };

  /**
   * ROUTE-7: keyword rules see the customer's first message, and later ones
   * where a rule says so. Every match is recorded; while the conversation
   * still waits, a match that changes its needs or department routes it
   * again (an assigned conversation changes hands only by transfer).
   */
  const applyKeywords = (s: State, text: string, seq: number): void => {
    const routing = journal.getRecord<RoutingRecord>(Keys.routing(id)) ?? { department: s.department, matches: [], needs: s.needs };
    const first = routing.firstMessageSeen !== true;
    const outcome = dir.keywords.match(text, first);
    if (!first && outcome.matches.length === 0) return;
    const next: RoutingRecord = { ...routing, firstMessageSeen: true, matches: [...routing.matches, ...outcome.matches.map((m) => ({ ...m, seq }))] };
    const waiting = s.status === 'new' || s.status === 'queued';
    const needs: ConversationNeeds = {
      skills: outcome.skills ? [...outcome.skills] : s.needs.skills,
      tier: outcome.tier ?? s.needs.tier,
      vip: s.needs.vip,
      priority: outcome.priority ?? s.needs.priority,
    };
    const department = outcome.department !== undefined && dir.department(outcome.department) ? outcome.department : s.department;
    const changed = department !== s.department || JSON.stringify(needs) !== JSON.stringify(s.needs);
    if (waiting && changed) next.needs = needs;
    journal.writeRecords([{ key: Keys.routing(id), value: next }]).catch((err: unknown) => log.warn({ err, conversationId: id }, 'keyword matches not stored'));
    if (!waiting || !changed) return;
    const queue = dir.queue(s.department);
    if (queue) runtime.tell(queue, { type: 'remove', conversationId: id });
    s.needs = needs;
    if (department !== s.department) {
      moveTo(s, department);
    } else if (s.place) s.place = { ...s.place, priority: needs.priority };
    routeNow(s);
  };

  /** Moves a waiting conversation to another department's line (keyword rule, ROUTE-15 overflow); the visitor is told. */
  const moveTo = (s: State, department: string): void => {
    const from = s.department;
    s.place = undefined;
    persist(s, (seq, at): QueuedEvent => ({ type: 'queued', conversationId: id, seq, at, department, movedFrom: from }), { records: (st) => [openRecord(st)] });
  };

  /** Adds an agent to the conversation's lasting exclusions, stored with its routing record. */
  const exclude = (s: State, agentId: string): void => {
    if (s.excluded.includes(agentId)) return;
    s.excluded = [...s.excluded, agentId];
    const routing = journal.getRecord<RoutingRecord>(Keys.routing(id)) ?? { department: s.department, matches: [], needs: s.needs };
    journal
      .writeRecords([{ key: Keys.routing(id), value: { ...routing, excluded: s.excluded } }])
      .catch((err: unknown) => log.warn({ err, conversationId: id }, 'exclusion not stored; it holds until a restart'));
  };

  /** The next decision record's write (ROUTE-16); numbered in the order outcomes happened. */
  const decisionWrite = (s: State, record: DecisionRecord): RecordWrite => ({ key: Keys.decision(id, s.decisionCount++), value: record });

  /** Resolves the conversation: frees the agent's slot or the queue place, and lets the actor sleep. */
  const close = (s: State, caller: Caller, summary: string | undefined, reason: ResolvedEvent['reason'], reply: Reply<CloseResult>): void => {
    const agentId = s.agentId;
    // `new` too: the queue may hold it before its notice arrives; a remove of nothing is harmless.
    const waiting = s.status === 'queued' || s.status === 'new';
    s.responseTimer?.cancel();
    s.responseTimer = undefined;
    persist(
      s,
      (seq, at): ResolvedEvent => ({
        type: 'resolved',
        conversationId: id,
        seq,
        at,
        by: participantOf(caller),
        ...(summary ? { summary } : {}),
        ...(reason ? { reason } : {}),
      }),
      {
        records: (st) => [
          openRecord(st),
          {
            key: Keys.visitor(st.visitorId),
            value: {
              visitorId: st.visitorId,
              lastConversationId: id,
              // ROUTE-9: remembered for the visitor's next conversation.
              ...((agentId ?? st.stickyAgent) !== undefined ? { lastAgentId: agentId ?? st.stickyAgent } : {}),
            } satisfies VisitorRecord,
          },
        ],
        onCommit: (e) => {
          reply({ conversationId: id, seq: e.seq, ...(reason ? { reason } : {}) });
          const agent = agentId ? dir.agent(agentId) : undefined;
          if (agent) {
            runtime.tell(agent, { type: 'figure', kind: 'handle', value: e.at - s.assignedAt });
            runtime.tell(agent, { type: 'release', conversationId: id });
          }
          const queue = waiting ? dir.queue(s.department) : undefined;
          if (queue) runtime.tell(queue, { type: 'remove', conversationId: id });
          const dept = waiting ? dir.department(s.department) : undefined;
          if (dept) runtime.tell(dept, { type: 'withdraw', conversationId: id });
          runtime.tell(dir.workspace, { type: 'conversationClosed', visitorId: s.visitorId, conversationId: id });
          // Memory follows live work: a resolved conversation's actor stops once its writes are done;
          // it is spawned again from the store if anyone reads it.
          if (s.writes.size === 0 && !s.broken) runtime.stopWhenIdle(self);
        },
        onFail: reply,
      },
    );
  };

  /**
   * The assigned agent stops serving the conversation (ROUTE-13, ROUTE-14):
   * their slot is given back, their connections stop following it, and it is
   * routed again with its history. After a response timeout that agent is
   * never offered it again.
   */
  const unassign = (s: State, reason: UnassignedEvent['reason']): void => {
    const agent = { id: s.agentId!, name: s.agentName ?? s.agentId! };
    if (reason === 'response_timeout') exclude(s, agent.id);
    s.responseTimer?.cancel();
    s.responseTimer = undefined;
    persist(s, (seq, at): UnassignedEvent => ({ type: 'unassigned', conversationId: id, seq, at, agent, reason }), {
      records: (st) => [openRecord(st)],
      onCommit: () => {
        const ref = dir.agent(agent.id);
        if (ref) {
          runtime.tell(ref, { type: 'release', conversationId: id });
          if (reason === 'response_timeout' && dir.departmentConfig(s.department)?.awayAfterResponseTimeout) runtime.tell(ref, { type: 'away' });
        }
        for (const [connection, who] of s.subscribers) if (who.role !== 'visitor' && who.id === agent.id) s.subscribers.delete(connection);
        if (reason === 'response_timeout') {
          notifier.send(
            { kind: 'staff', id: agent.id },
            { type: 'notice', conversationId: id, code: 'response_timeout', message: 'No reply within the response time: the conversation went to another agent.' },
          );
        }
        // A leave or resolve may have landed while the unassignment was being stored.
        if (s.status === 'new') routeNow(s);
      },
    });
  };

  const routeNow = (s: State): void => {
    const exclude = s.excluded;
    const dept = dir.department(s.department);
    if (dept) {
      runtime.tell(dept, {
        type: 'route',
        conversationId: id,
        visitorId: s.visitorId,
        needs: s.needs,
        ...(s.place ? { place: s.place } : {}),
        ...(exclude.length ? { exclude } : {}),
        ...(s.stickyAgent !== undefined ? { stickyAgent: s.stickyAgent } : {}),
        ...(s.backlog ? { backlog: s.backlog } : {}),
      });
    }
    else log.error({ conversationId: id, department: s.department }, 'conversation names an unknown department');
  };

  const self = { key: `conversation/${id}` } as Ref<ConversationMsg>;

  return {
    init: recover,
    receive(s, msg) {
      if (s.broken && msg.type !== 'recover') {
        if (msg.type === 'claimAnswer' && msg.accepted) {
          // The assignee's agent reserved a slot for a claim that cannot be stored now.
          const agent = dir.agent(msg.agent.id);
          if (agent) runtime.tell(agent, { type: 'release', conversationId: id });
        }
        if ('reply' in msg) return msg.reply(new ProtocolError('unavailable', 'conversation is recovering from a storage error; retry'));
        if (msg.type === 'assign') {
          const agent = dir.agent(msg.agentId);
          if (agent) runtime.tell(agent, { type: 'release', conversationId: id });
          s.rerouteAfterRecover = true;
        }
        return;
      }
      switch (msg.type) {
        case 'recover': {
          const reroute = s.rerouteAfterRecover;
          Object.assign(s, recover(), { subscribers: s.subscribers });
          log.warn({ conversationId: id, seq: s.seq }, 'conversation rebuilt from the store after a storage error');
          // A create that never reached the store leaves nothing to keep in memory.
          if (s.seq === 0) return runtime.stopWhenIdle(self);
          if (reroute && (s.status === 'new' || s.status === 'queued')) routeNow(s);
          return;
        }
        case 'create': {
          if (s.seq > 0) return msg.reply(new ProtocolError('conflict', 'conversation already exists'));
          const visitorId = msg.caller.id;
          subscribe(s, msg.caller);
          const visitor = journal.getRecord<VisitorRecord>(Keys.visitor(visitorId));
          s.stickyAgent = visitor?.lastAgentId;
          const routing: RoutingRecord = {
            ...(msg.routing ?? { department: msg.department, matches: [], needs: defaultConversationNeeds }),
            ...(s.stickyAgent !== undefined ? { stickyAgent: s.stickyAgent } : {}),
          };
          s.needs = routing.needs;
          persist(s, (seq, at): CreatedEvent => ({ type: 'created', conversationId: id, seq, at, visitorId, department: msg.department }), {
            records: (st) => [
              openRecord(st),
              { key: Keys.visitor(visitorId), value: { ...visitor, visitorId, openConversationId: id, lastConversationId: id } satisfies VisitorRecord },
              { key: Keys.routing(id), value: routing },
            ],
            onCommit: (e) => {
              runtime.tell(dir.workspace, { type: 'conversationCreated', visitorId, conversationId: id, stored: true });
              if (msg.text === undefined) msg.reply({ conversationId: id, seq: e.seq, messageId: messageIdOf(id, e.seq), duplicate: false });
              routeNow(s);
            },
            onFail: (err) => {
              runtime.tell(dir.workspace, { type: 'conversationCreated', visitorId, conversationId: id, stored: false });
              msg.reply(err);
            },
          });
          // The workspace matched this first message's keywords already, to choose the department.
          if (msg.text !== undefined) appendMessage(s, { role: 'visitor', id: visitorId }, msg.clientMsgId, msg.text, msg.reply, false);
          return;
        }
        case 'send': {
          if (!isParticipant(s, msg.caller)) {
            // Only those who may read it learn that it exists.
            return msg.reply(canRead(s, msg.caller) && s.seq > 0 ? new ProtocolError('forbidden', 'not a participant of this conversation') : notFound());
          }
          const from = participantOf(msg.caller);
          const key = msg.clientMsgId === undefined ? undefined : senderKey(from, msg.clientMsgId);
          const dupSeq =
            key === undefined ? undefined : (s.recentClientMsgIds.get(key) ?? (s.recentComplete ? undefined : journal.getRecord<number>(Keys.clientMsg(id, key))));
          if (dupSeq !== undefined) {
            const answer = { conversationId: id, seq: dupSeq, messageId: messageIdOf(id, dupSeq), duplicate: true };
            // The original may still be in flight: answer as it ends.
            const original = s.writes.get(dupSeq);
            if (!original) msg.reply(answer);
            else original.then(() => msg.reply(answer), () => msg.reply(new ProtocolError('storage_failed', 'the original message was not stored; retry')));
            return;
          }
          if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'conversation is resolved; start a new one'));
          appendMessage(s, from, msg.clientMsgId, msg.text, msg.reply, true, msg.file);
          return;
        }
        case 'access': {
          if (s.seq === 0 || !canRead(s, msg.caller)) msg.reply(notFound());
          else if (msg.write && !isParticipant(s, msg.caller)) msg.reply(new ProtocolError('forbidden', 'not a participant of this conversation'));
          else if (msg.write && s.status === 'resolved') msg.reply(new ProtocolError('conflict', 'conversation is resolved; start a new one'));
          else msg.reply({ conversationId: id });
          if (s.status === 'resolved' && s.writes.size === 0) runtime.stopWhenIdle(self);
          return;
        }
        case 'resume': {
          if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
          const to = { kind: 'connection', id: msg.caller.connectionId } as const;
          // Paged, so that a long history cannot overrun the connection's backpressure limit.
          let last = Math.min(msg.lastSeq, s.committedSeq);
          let events = 0;
          let bytes = 0;
          for (const { seq, event } of journal.read<ConversationEvent>(stream, msg.lastSeq + 1, s.committedSeq)) {
            notifier.send(to, event);
            last = seq;
            bytes += 200 + (event.type === 'message' ? (event.text?.length ?? 0) * 3 : 0);
            if (++events >= REPLAY_PAGE_EVENTS || bytes >= REPLAY_PAGE_BYTES) break;
          }
          const more = last < s.committedSeq;
          msg.reply({ conversationId: id, fromSeq: msg.lastSeq + 1, lastSeq: last, status: s.status, more });
          if (more) return;
          subscribe(s, msg.caller);
          const queue = s.status === 'queued' ? dir.queue(s.department) : undefined;
          if (queue && msg.caller.role === 'visitor') runtime.tell(queue, { type: 'remind', conversationId: id });
          // A resolved conversation read from the store goes back to sleep.
          if (s.status === 'resolved' && s.writes.size === 0) runtime.stopWhenIdle(self);
          return;
        }
        case 'route':
          // Re-routing after a restart: only conversations still waiting.
          if (s.status === 'new' || s.status === 'queued') routeNow(s);
          return;
        case 'queued': {
          if (s.status === 'assigned' || s.status === 'resolved' || msg.department !== s.department) {
            // Taken (claim), ended (leave) or moved before the queue's notice arrived: the entry must go.
            const queue = dir.queue(msg.department);
            if (queue) runtime.tell(queue, { type: 'remove', conversationId: id });
            return;
          }
          s.place = msg.place;
          if (s.status === 'new' || msg.backlog !== s.backlog) {
            // The visitor learns that they wait, and whether in line or as a left message (QUEUE-4/6).
            persist(
              s,
              (seq, at): QueuedEvent => ({ type: 'queued', conversationId: id, seq, at, department: s.department, ...(msg.backlog ? { reason: msg.backlog } : {}) }),
              { records: (st) => [openRecord(st)] },
            );
          } else if (s.status === 'queued') {
            journal.writeRecords([openRecord(s)]).catch((err: unknown) => log.error({ err, conversationId: id }, 'queue place not stored; order after a restart may differ'));
          }
          return;
        }
        case 'assign': {
          const agent = dir.agent(msg.agentId);
          if (s.status !== 'new' && s.status !== 'queued') {
            // Assigned or resolved meanwhile: give the reserved slot back.
            if (agent) runtime.tell(agent, { type: 'release', conversationId: id });
            return;
          }
          storeAssignment(s, { id: msg.agentId, name: msg.agentName }, msg.department, msg.policy, msg.record);
          return;
        }
        case 'decided':
          if (s.status === 'resolved') return;
          journal.writeRecords([decisionWrite(s, msg.record)]).catch((err: unknown) => log.warn({ err, conversationId: id }, 'routing decision not stored'));
          return;
        case 'overflow': {
          if ((s.status !== 'new' && s.status !== 'queued') || s.department !== msg.from) return;
          const record: DecisionRecord = { at: clock.now(), department: msg.from, outcome: 'overflow', decisions: [], note: `waited too long; moved to ${msg.to}` };
          journal.writeRecords([decisionWrite(s, record)]).catch((err: unknown) => log.warn({ err, conversationId: id }, 'routing decision not stored'));
          moveTo(s, msg.to);
          routeNow(s);
          return;
        }
        case 'explain': {
          if (s.seq === 0 || !canRead(s, msg.caller) || msg.caller.role === 'visitor') return msg.reply(notFound());
          const routing = journal.getRecord<RoutingRecord>(Keys.routing(id));
          msg.reply({
            conversationId: id,
            department: s.department,
            status: s.status,
            ...(routing ? { routing } : {}),
            decisions: [...journal.records<DecisionRecord>(Keys.decisions(id))].map((r) => r.value),
          });
          if (s.status === 'resolved' && s.writes.size === 0) runtime.stopWhenIdle(self);
          return;
        }
        case 'rearm':
          armResponseTimer(s);
          return;
        case 'exclude':
          exclude(s, msg.agentId);
          return;
        case 'resolve': {
          if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
          if (msg.caller.role === 'visitor' || !isParticipant(s, msg.caller)) {
            return msg.reply(new ProtocolError('forbidden', 'only staff serving the conversation can resolve it'));
          }
          if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'already resolved'));
          close(s, msg.caller, msg.summary, undefined, msg.reply);
          return;
        }
        case 'claim': {
          // Members of the conversation's department may claim it; admins any.
          const member = msg.caller.role === 'admin' || (msg.caller.departments?.includes(s.department) ?? false);
          if (s.seq === 0 || !member) return msg.reply(notFound());
          // Giving it to someone else is for supervisors of its department and admins.
          if (msg.agent.id !== msg.caller.id && msg.caller.role === 'agent') {
            return msg.reply(new ProtocolError('forbidden', 'only supervisors and admins assign conversations to others', 'agentId'));
          }
          if (s.status !== 'new' && s.status !== 'queued') return msg.reply(new ProtocolError('conflict', `conversation is ${s.status}, not waiting`));
          const agent = dir.agent(msg.agent.id);
          if (!agent) return msg.reply(new ProtocolError('not_found', 'no such agent', 'agentId'));
          const { caller, reply } = msg;
          const assignee = msg.agent;
          // The agent actor owns capacity (ROUTE-11): a claim is an offer the claimer's own actor may refuse.
          runtime.tell(agent, {
            type: 'offer',
            conversationId: id,
            departmentId: s.department,
            manual: true,
            reply: (answer) => runtime.tell(self, { type: 'claimAnswer', caller, agent: assignee, accepted: answer === 'accepted', reply }),
          });
          return;
        }
        case 'claimAnswer': {
          const agent = dir.agent(msg.agent.id);
          if (!msg.accepted) return msg.reply(new ProtocolError('conflict', 'no free slot: the agent must be online or busy, with a conversation slot free'));
          if (s.status !== 'new' && s.status !== 'queued') {
            // Routed to someone else meanwhile: give the reserved slot back.
            if (agent) runtime.tell(agent, { type: 'release', conversationId: id });
            return msg.reply(new ProtocolError('conflict', `conversation is ${s.status}, not waiting`));
          }
          const note = msg.agent.id === msg.caller.id ? `claimed by ${msg.caller.id} (${msg.caller.role})` : `assigned by ${msg.caller.id} (${msg.caller.role})`;
          const claimed: DecisionRecord = { at: clock.now(), department: s.department, outcome: 'claimed', agentId: msg.agent.id, decisions: [], note };
          storeAssignment(s, msg.agent, s.department, 'manual', claimed, {
            onCommit: (seq) => {
              msg.reply({ conversationId: id, seq, agentId: msg.agent.id });
              // It may be in the queue, or on its way there: a remove of nothing is harmless.
              const queue = dir.queue(s.department);
              if (queue) runtime.tell(queue, { type: 'remove', conversationId: id });
            },
            onFail: msg.reply,
          });
          return;
        }
        case 'responseTimeout':
          s.responseTimer = undefined;
          if (s.status !== 'assigned' || s.agentId !== msg.agentId || s.assignedSeq !== msg.assignedSeq || !s.awaitingReply) return;
          unassign(s, 'response_timeout');
          return;
        case 'agentGone':
          if (s.status === 'assigned' && s.agentId === msg.agentId) unassign(s, 'agent_offline');
          return;
        case 'leave': {
          if (s.seq === 0 || msg.caller.role !== 'visitor' || msg.caller.id !== s.visitorId) return msg.reply(notFound());
          if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'already resolved'));
          // Leaving before any agent took it is abandonment (QUEUE-5), counted apart from ended chats.
          close(s, msg.caller, undefined, s.status === 'assigned' ? 'left' : 'abandoned', msg.reply);
          return;
        }
      }
    },
  };
}

export type ConversationRef = Ref<ConversationMsg>;
