/**
 * Conversation actor: owns one conversation's message log (its journal),
 * state, participants and seq. Every change is appended to the journal first;
 * clients hear of it (ack, events) only once the append has committed.
 *
 * The actor does not wait for a commit before handling its next message:
 * appends commit in the order they were issued, so acks and events still go
 * out in seq order, while a burst of messages shares one transaction.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type {
  AssignedEvent,
  AutoMessageKey,
  JoinedEvent,
  PartedEvent,
  ReopenedEvent,
  TransferredEvent,
  UnassignedEvent,
  ConversationEvent,
  CreatedEvent,
  FileRef,
  MessageEvent,
  Participant,
  QueuedEvent,
  ResolvedEvent,
} from '../../protocol/frames.js';
import type { Behavior, Ref, Reply } from '../runtime.js';
import type { Caller } from '../notifier.js';
import type { RecordWrite } from '../journal.js';
import { customerIndexWrite } from '../customer-view.js';
import { ConversationPresence } from './presence.js';
import {
  Keys,
  conversationStream,
  defaultConversationNeeds,
  type ConversationNeeds,
  type DecisionRecord,
  type OpenConversationRecord,
  type RoutingRecord,
  type VisitorRecord,
  type NoteRecord,
  type RatingRecord,
  type TransferRecord,
} from '../records.js';
import { autoMessageText } from '../auto-messages.js';
import { conversationSummary } from '../monitor.js';
import type { CloseResult, ConversationMsg, SendResult, TransferTo } from './messages.js';
import { apply, emptyView, snapshotOf, type Snapshot } from './state.js';
import type { ConversationPorts } from './ports.js';
import { serveCustomer } from './customer.js';
import type { PendingSend, State } from './actor-state.js';
import { SYSTEM, canRead, canSupervise, isParticipant, notFound, participantOf, staffRefOf } from './access.js';
import { dropNonReaders, publish, subscribe, subscribeAgent } from './followers.js';
import { replayPage, sendHandover } from './paging.js';
import { armAutoClose, armResponseTimer, autoCloseDue, stopTimers } from './timers.js';

const RECENT_CLIENT_MSG_IDS = 1024;

const SNAPSHOT_EVERY = 200;

/** Events that change what a supervisor's live view shows (SUP-1). */
const MONITORED: ReadonlySet<ConversationEvent['type']> = new Set([
  'created',
  'queued',
  'assigned',
  'unassigned',
  'resolved',
  'transferred',
  'joined',
  'parted',
  'reopened',
]);

export const messageIdOf = (conversationId: string, seq: number): string => `${conversationId}.${seq}`;

/** Client message ids are scoped to their sender: the same id from the visitor and from the agent are two messages. */
const senderKey = (from: Participant, clientMsgId: string): string => `${from.role}:${from.id}:${clientMsgId}`;

export function conversationBehavior(ports: ConversationPorts, id: string): Behavior<State, ConversationMsg> {
  const stream = conversationStream(id);
  const self = { key: `conversation/${id}` } as Ref<ConversationMsg>;
  const { journal, notifier, clock, log, runtime } = ports;

  const recover = (): State => {
    const state: State = {
      ...emptyView(id),
      needs: defaultConversationNeeds,
      excluded: [],
      decisionCount: 0,
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
      autoCloseTimer: undefined,
      transferCount: 0,
      noteCount: 0,
      transferring: false,
      reopening: undefined,
      firstMessageSeen: false,
    };
    const snap = journal.loadSnapshot<Snapshot>(stream);
    let from = 1;
    if (snap) {
      // Ids before the snapshot are only in the store.
      Object.assign(state, { ...snap.state, seq: snap.seq, recentComplete: false });
      from = snap.seq + 1;
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
  };

  /** The reducer's view, and the client message ids a retried send is checked against (OPS-2). */
  const applyEvent = (s: State, e: ConversationEvent): void => {
    Object.assign(s, apply(s, e));
    if (e.type !== 'message' || e.clientMsgId === undefined) return;
    s.recentClientMsgIds.set(senderKey(e.from, e.clientMsgId), e.seq);
    // Map order is insertion order: the first key is the oldest.
    if (s.recentClientMsgIds.size > RECENT_CLIENT_MSG_IDS) {
      s.recentClientMsgIds.delete(s.recentClientMsgIds.keys().next().value!);
      s.recentComplete = false;
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

  /**
   * Memory follows live work: a resolved conversation's actor stops once its
   * writes (journal and read marks) are done and no reopen is pending; it is
   * spawned again from the store if anyone reads or writes it.
   */
  const sleepIfDone = (s: State): void => {
    if (s.status === 'resolved' && s.writes.size === 0 && !s.broken && !s.reopening && !presence.writing)
      runtime.stopWhenIdle(self);
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
    opts: {
      records?: (s: State) => RecordWrite[];
      /** Runs on commit before subscribers hear of the event (a handover must reach its agent before the `assigned`). */
      beforePublish?: (e: ConversationEvent) => void;
      onCommit?: (e: ConversationEvent) => void;
      onFail?: (err: ProtocolError) => void;
    } = {},
  ): ConversationEvent => {
    const seq = ++s.seq;
    const event = build(seq, clock.now());
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
        settled(s);
        // The last write of a resolved conversation (its automatic messages follow the resolve) lets it sleep.
        sleepIfDone(s);
      },
      (err: unknown) => {
        s.writes.delete(seq);
        if (!s.broken)
          log.error({ err, conversationId: id, seq }, 'journal append failed; conversation rebuilds from the store');
        s.broken = true;
        opts.onFail?.(new ProtocolError('storage_failed', 'not stored; retry'));
        settled(s);
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
  };

  /**
   * CONV-4: an automatic message to the customer, stored like any message
   * (from `system`), in the conversation's language; nothing when the
   * workspace turned it off.
   */
  const autoMessage = (s: State, key: AutoMessageKey, vars: { position?: number; agent?: string } = {}): void => {
    const text = autoMessageText(ports.settings().workspace, s.language, key, vars);
    if (text === undefined) return;
    persist(
      s,
      (seq, at): MessageEvent => ({
        type: 'message',
        conversationId: id,
        seq,
        at,
        messageId: messageIdOf(id, seq),
        from: SYSTEM,
        text,
        auto: key,
      }),
    );
  };

  /** A waiting conversation leaves its department's queue and routing (a resolve, a transfer or a take-over took it). */
  const leaveLine = (_s: State, department: string): void => {
    const queue = ports.queue(department);
    if (queue) runtime.tell(queue, { type: 'remove', conversationId: id });
    const dept = ports.department(department);
    if (dept) runtime.tell(dept, { type: 'withdraw', conversationId: id });
  };

  /** An agent no longer serves it: their slot goes back and their connections stop following it. */
  const dropAgent = (
    s: State,
    agentId: string,
    notice?: { code: 'taken_over' | 'reassigned'; message: string },
  ): void => {
    const ref = ports.agent(agentId);
    if (ref) runtime.tell(ref, { type: 'release', conversationId: id });
    dropNonReaders(s);
    if (notice) notifier.send({ kind: 'staff', id: agentId }, { type: 'notice', conversationId: id, ...notice });
  };

  /** Turns the customer's write to a resolved conversation into a reopen (XFER-7); later writes wait with it. */
  const reopen = (s: State, pending: PendingSend): void => {
    if (s.reopening) {
      s.reopening.push(pending);
      return;
    }
    s.reopening = [pending];
    // A resolve's commit may have asked the actor to stop once its mailbox empties: the workspace's answer must find it.
    runtime.stayAwake(self);
    runtime.tell(ports.workspace, {
      type: 'reopen',
      visitorId: s.visitorId,
      conversationId: id,
      reply: (r) => runtime.tell(self, { type: 'reopenAnswer', ok: !(r instanceof ProtocolError) }),
    });
  };

  const appendMessage = (
    s: State,
    from: Participant,
    clientMsgId: string | undefined,
    text: string | undefined,
    reply: Reply<SendResult>,
    keywords = true,
    file?: FileRef,
  ): void => {
    if (from.role === 'agent' && from.id === s.agentId) {
      s.responseTimer?.cancel();
      s.responseTimer = undefined;
      measureReply(s);
    }
    const event = persist(
      s,
      (seq, at): MessageEvent => ({
        type: 'message',
        conversationId: id,
        seq,
        at,
        messageId: messageIdOf(id, seq),
        from,
        ...(clientMsgId ? { clientMsgId } : {}),
        ...(text !== undefined ? { text } : {}),
        ...(file ? { file } : {}),
      }),
      {
        records: (st) =>
          clientMsgId === undefined ? [] : [{ key: Keys.clientMsg(id, senderKey(from, clientMsgId)), value: st.seq }],
        onCommit: (e) => reply({ conversationId: id, seq: e.seq, messageId: messageIdOf(id, e.seq), duplicate: false }),
        onFail: reply,
      },
    );
    if (from.role === 'visitor' && keywords && text !== undefined) applyKeywords(s, text, event.seq);
    presence.messageSent(from);
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
    const ref = ports.agent(agent.id);
    const handover = s.handoverPending;
    persist(
      s,
      (seq, at): AssignedEvent => ({
        type: 'assigned',
        conversationId: id,
        seq,
        at,
        department,
        visitorId: s.visitorId,
        agent,
        policy,
      }),
      {
        records: (st) => [openRecord(st), decisionWrite(st, record)],
        beforePublish: (e) => {
          if (handover) sendHandover(journal, notifier, stream, s, agent.id, e.seq);
        },
        onCommit: (e) => {
          done.onCommit?.(e.seq);
          if (ref) runtime.tell(ref, { type: 'confirm', conversationId: id });
        },
        onFail: (err) => {
          if (ref) runtime.tell(ref, { type: 'release', conversationId: id });
          s.rerouteAfterRecover = true;
          done.onFail?.(err);
        },
      },
    );
    autoMessage(s, 'agent_joined', { agent: agent.name });
  };

  /** ROUTE-10: how quickly the assigned agent answers, reported to their agent actor. */
  const measureReply = (s: State): void => {
    const agent = s.status === 'assigned' && s.agentId ? ports.agent(s.agentId) : undefined;
    if (!agent) return;
    const now = clock.now();
    if (s.awaitingReply) runtime.tell(agent, { type: 'figure', kind: 'firstResponse', value: now - s.assignedAt });
    if (s.unansweredSince !== undefined)
      runtime.tell(agent, { type: 'figure', kind: 'response', value: now - s.unansweredSince });
  };

  /**
   * ROUTE-7: keyword rules see the customer's first message, and later ones
   * where a rule says so. Every match is recorded; while the conversation
   * still waits, a match that changes its needs or department routes it
   * again (an assigned conversation changes hands only by transfer).
   */
  const applyKeywords = (s: State, text: string, seq: number): void => {
    // Most messages match nothing: then no store read (it was one per customer message).
    if (s.firstMessageSeen && ports.settings().keywords.match(text, false).matches.length === 0) return;
    const routing = journal.getRecord<RoutingRecord>(Keys.routing(id)) ?? {
      department: s.department,
      matches: [],
      needs: s.needs,
    };
    const first = routing.firstMessageSeen !== true;
    s.firstMessageSeen = true;
    const outcome = ports.settings().keywords.match(text, first);
    if (!first && outcome.matches.length === 0) return;
    const next: RoutingRecord = {
      ...routing,
      firstMessageSeen: true,
      matches: [...routing.matches, ...outcome.matches.map((m) => ({ ...m, seq }))],
    };
    const waiting = s.status === 'new' || s.status === 'queued';
    const needs: ConversationNeeds = {
      skills: outcome.skills ? [...outcome.skills] : s.needs.skills,
      tier: outcome.tier ?? s.needs.tier,
      vip: s.needs.vip,
      priority: outcome.priority ?? s.needs.priority,
    };
    const department =
      outcome.department !== undefined && ports.department(outcome.department) ? outcome.department : s.department;
    const changed = department !== s.department || JSON.stringify(needs) !== JSON.stringify(s.needs);
    if (waiting && changed) next.needs = needs;
    journal
      .writeRecords([{ key: Keys.routing(id), value: next }])
      .catch((err: unknown) => log.warn({ err, conversationId: id }, 'keyword matches not stored'));
    if (!waiting || !changed) return;
    const queue = ports.queue(s.department);
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
    persist(
      s,
      (seq, at): QueuedEvent => ({ type: 'queued', conversationId: id, seq, at, department, movedFrom: from }),
      { records: (st) => [openRecord(st)] },
    );
  };

  /** Adds an agent to the conversation's lasting exclusions, stored with its routing record. */
  const exclude = (s: State, agentId: string): void => {
    if (s.excluded.includes(agentId)) return;
    s.excluded = [...s.excluded, agentId];
    const routing = journal.getRecord<RoutingRecord>(Keys.routing(id)) ?? {
      department: s.department,
      matches: [],
      needs: s.needs,
    };
    journal
      .writeRecords([{ key: Keys.routing(id), value: { ...routing, excluded: s.excluded } }])
      .catch((err: unknown) => log.warn({ err, conversationId: id }, 'exclusion not stored; it holds until a restart'));
  };

  /** The next decision record's write (ROUTE-16); numbered in the order outcomes happened. */
  const decisionWrite = (s: State, record: DecisionRecord): RecordWrite => ({
    key: Keys.decision(id, s.decisionCount++),
    value: record,
  });

  /** Resolves the conversation: frees the agent's slot or the queue place, and lets the actor sleep. */
  const close = (
    s: State,
    by: Participant,
    summary: string | undefined,
    reason: ResolvedEvent['reason'],
    reply: Reply<CloseResult>,
  ): void => {
    const agentId = s.agentId;
    // `new` too: the queue may hold it before its notice arrives; a remove of nothing is harmless.
    const waiting = s.status === 'queued' || s.status === 'new';
    stopTimers(s);
    persist(
      s,
      (seq, at): ResolvedEvent => ({
        type: 'resolved',
        conversationId: id,
        seq,
        at,
        by,
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
          const agent = agentId ? ports.agent(agentId) : undefined;
          if (agent) {
            runtime.tell(agent, { type: 'figure', kind: 'handle', value: e.at - s.assignedAt });
            runtime.tell(agent, { type: 'release', conversationId: id });
          }
          if (waiting) leaveLine(s, s.department);
          runtime.tell(ports.workspace, { type: 'conversationClosed', visitorId: s.visitorId, conversationId: id });
        },
        onFail: reply,
      },
    );
    // CONV-4: staff ended it (or it went quiet): the customer is told, and asked how it went.
    if (reason === undefined || reason === 'inactive') {
      autoMessage(s, 'resolved');
      autoMessage(s, 'survey');
    }
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
    stopTimers(s);
    persist(s, (seq, at): UnassignedEvent => ({ type: 'unassigned', conversationId: id, seq, at, agent, reason }), {
      records: (st) => [openRecord(st)],
      onCommit: () => {
        const ref = ports.agent(agent.id);
        if (ref) {
          runtime.tell(ref, { type: 'release', conversationId: id });
          if (reason === 'response_timeout' && ports.settings().department(s.department)?.awayAfterResponseTimeout)
            runtime.tell(ref, { type: 'away' });
        }
        for (const [connection, who] of s.subscribers)
          if (who.role !== 'visitor' && who.id === agent.id) s.subscribers.delete(connection);
        if (reason === 'response_timeout') {
          notifier.send(
            { kind: 'staff', id: agent.id },
            {
              type: 'notice',
              conversationId: id,
              code: 'response_timeout',
              message: 'No reply within the response time: the conversation went to another agent.',
            },
          );
        }
        // A leave or resolve may have landed while the unassignment was being stored.
        if (s.status === 'new') routeNow(s);
      },
    });
  };

  /** XFER-1/2/5/8, SUP-4: checks a transfer; an agent target must accept it (capacity) before anything is stored. */
  const startTransfer = (s: State, msg: Extract<ConversationMsg, { type: 'transfer' }>): void => {
    const c = msg.caller;
    if (s.seq === 0 || c.role === 'visitor' || !canRead(s, c)) return msg.reply(notFound());
    const serving = s.status === 'assigned' && s.agentId === c.id;
    if (!serving && !canSupervise(s, c))
      return msg.reply(
        new ProtocolError('forbidden', 'only the agent serving it, or a supervisor of its department, transfers it'),
      );
    if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'conversation is resolved'));
    if (s.transferring)
      return msg.reply(new ProtocolError('conflict', 'a transfer of this conversation is in progress'));
    const known = ports.settings().workspace.tags ?? [];
    for (const [i, tag] of msg.tags.entries()) {
      if (!known.includes(tag))
        return msg.reply(
          new ProtocolError('invalid_field', `"${tag}" is not in the workspace's tag list`, `tags.${i}`),
        );
    }
    const to = msg.to;
    let department: string;
    if (to.kind === 'department') {
      department = to.department;
      if (!ports.department(department))
        return msg.reply(new ProtocolError('not_found', `no department "${department}"`, 'to.department'));
    } else {
      if (to.id === s.agentId)
        return msg.reply(new ProtocolError('conflict', `${to.name} serves it already`, 'to.agentId'));
      // The target's own department when they are not in this one.
      department = to.departments.includes(s.department) ? s.department : (to.departments[0] ?? s.department);
    }
    if (department !== s.department && c.role === 'agent' && !msg.mayCrossDepartments) {
      return msg.reply(
        new ProtocolError(
          'forbidden',
          'transfers to another department need a grant for your account',
          to.kind === 'department' ? 'to.department' : 'to.agentId',
        ),
      );
    }
    if (to.kind === 'department') {
      // Handed on, not back: the department does not route it to the agent who just gave it away.
      if (s.agentId !== undefined && s.agentId === c.id) exclude(s, c.id);
      return commitTransfer(s, msg, department);
    }
    const agent = ports.agent(to.id);
    if (!agent) return msg.reply(new ProtocolError('not_found', 'no such agent', 'to.agentId'));
    s.transferring = true;
    // XFER-8: the colleague's actor owns their capacity and status; a manual offer says yes or why not.
    runtime.tell(agent, {
      type: 'offer',
      conversationId: id,
      departmentId: department,
      manual: true,
      reply: (answer, why) =>
        runtime.tell(self, {
          type: 'transferAnswer',
          request: msg,
          department,
          accepted: answer === 'accepted',
          ...(why ? { why } : {}),
        }),
    });
  };

  /**
   * Stores the transfer: the customer is told (XFER-3), the chain grows
   * (XFER-6), the former agent lets go; then the target agent is assigned
   * (their slot is already reserved) or the department routes it. Customer
   * messages keep landing in the journal all along, so none is lost.
   */
  const commitTransfer = (
    s: State,
    msg: Extract<ConversationMsg, { type: 'transfer' }>,
    department: string,
    target?: Extract<TransferTo, { kind: 'agent' }>,
  ): void => {
    const previous = s.agentId !== undefined ? { id: s.agentId, name: s.agentName ?? s.agentId } : undefined;
    const fromDepartment = s.department;
    if (s.status !== 'assigned') leaveLine(s, s.department);
    stopTimers(s);
    const n = s.transferCount++;
    const by = staffRefOf(msg.caller);
    const record: TransferRecord = {
      n,
      conversationId: id,
      at: clock.now(),
      by,
      ...(previous ? { from: previous } : {}),
      fromDepartment,
      to: target ? { kind: 'agent', id: target.id, name: target.name, department } : { kind: 'department', department },
      note: msg.note,
      tags: msg.tags,
      ...(msg.reason !== undefined ? { reason: msg.reason } : {}),
    };
    autoMessage(s, 'transferring');
    persist(
      s,
      (seq, at): TransferredEvent => ({
        type: 'transferred',
        conversationId: id,
        seq,
        at,
        n,
        ...(previous ? { from: previous } : {}),
        department,
        ...(target ? { toAgent: { id: target.id, name: target.name } } : {}),
        by: participantOf(msg.caller),
      }),
      {
        records: (st) => [openRecord(st), { key: Keys.transfer(id, n), value: record }],
        onCommit: (e) => {
          if (previous) {
            const reassigned = previous.id !== by.id;
            dropAgent(
              s,
              previous.id,
              reassigned
                ? { code: 'reassigned', message: `${by.name} gave this conversation to someone else.` }
                : undefined,
            );
          }
          if (target) return;
          msg.reply({ conversationId: id, n, seq: e.seq, department });
          if (s.status === 'new') routeNow(s);
        },
        onFail: (err) => {
          if (target) {
            const agent = ports.agent(target.id);
            if (agent) runtime.tell(agent, { type: 'release', conversationId: id });
          }
          msg.reply(err);
        },
      },
    );
    if (!target) return;
    const decision: DecisionRecord = {
      at: clock.now(),
      department,
      outcome: 'transferred',
      agentId: target.id,
      decisions: [],
      note: `transfer ${n} by ${by.id}`,
    };
    storeAssignment(s, { id: target.id, name: target.name }, department, 'transfer', decision, {
      onCommit: (seq) => msg.reply({ conversationId: id, n, seq, department, agentId: target.id }),
    });
  };

  const routeNow = (s: State, preferSticky = false): void => {
    const exclude = s.excluded;
    const dept = ports.department(s.department);
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
        ...(preferSticky ? { preferSticky } : {}),
      });
    } else log.error({ conversationId: id, department: s.department }, 'conversation names an unknown department');
  };

  const presence = new ConversationPresence(id, ports, (from, token) => {
    if (runtime.isAlive(self)) runtime.tell(self, { type: 'typingExpired', from, token });
  });

  /** Typing and read receipts come from writers only, refused like a send (silent watchers stay silent). */
  const presenceRefusal = (s: State, c: Caller): ProtocolError | undefined =>
    isParticipant(s, c)
      ? undefined
      : canRead(s, c) && s.seq > 0
        ? new ProtocolError('forbidden', 'not a participant of this conversation')
        : notFound();

  return {
    init: recover,
    receive(s, msg) {
      if (s.broken && msg.type !== 'recover') {
        if (msg.type === 'claimAnswer' && msg.accepted) {
          // The assignee's agent reserved a slot for a claim that cannot be stored now.
          const agent = ports.agent(msg.agent.id);
          if (agent) runtime.tell(agent, { type: 'release', conversationId: id });
        }
        // Every reply accepts an error; the cast spares the compiler a union of every message's reply type.
        if ('reply' in msg)
          return (msg.reply as (e: ProtocolError) => void)(
            new ProtocolError('unavailable', 'conversation is recovering from a storage error; retry'),
          );
        if (msg.type === 'assign') {
          const agent = ports.agent(msg.agentId);
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
          persist(
            s,
            (seq, at): CreatedEvent => ({
              type: 'created',
              conversationId: id,
              seq,
              at,
              visitorId,
              department: msg.department,
              ...(msg.language ? { language: msg.language } : {}),
            }),
            {
              records: (st) => [
                openRecord(st),
                {
                  key: Keys.visitor(visitorId),
                  value: {
                    ...visitor,
                    visitorId,
                    openConversationId: id,
                    lastConversationId: id,
                  } satisfies VisitorRecord,
                },
                { key: Keys.routing(id), value: routing },
                // CUST-2: from now on part of its customer's history.
                customerIndexWrite(journal, visitorId, id, st.createdAt, msg.department),
              ],
              onCommit: (e) => {
                runtime.tell(ports.workspace, {
                  type: 'conversationCreated',
                  visitorId,
                  conversationId: id,
                  stored: true,
                });
                if (msg.text === undefined)
                  msg.reply({ conversationId: id, seq: e.seq, messageId: messageIdOf(id, e.seq), duplicate: false });
                routeNow(s);
              },
              onFail: (err) => {
                runtime.tell(ports.workspace, {
                  type: 'conversationCreated',
                  visitorId,
                  conversationId: id,
                  stored: false,
                });
                msg.reply(err);
              },
            },
          );
          // The workspace matched this first message's keywords already, to choose the department.
          if (msg.text !== undefined)
            appendMessage(s, { role: 'visitor', id: visitorId }, msg.clientMsgId, msg.text, msg.reply, false);
          autoMessage(s, 'welcome');
          return;
        }
        case 'send': {
          if (!isParticipant(s, msg.caller)) {
            // Only those who may read it learn that it exists.
            return msg.reply(
              canRead(s, msg.caller) && s.seq > 0
                ? new ProtocolError('forbidden', 'not a participant of this conversation')
                : notFound(),
            );
          }
          const from = participantOf(msg.caller);
          const key = msg.clientMsgId === undefined ? undefined : senderKey(from, msg.clientMsgId);
          const dupSeq =
            key === undefined
              ? undefined
              : (s.recentClientMsgIds.get(key) ??
                (s.recentComplete ? undefined : journal.getRecord<number>(Keys.clientMsg(id, key))));
          if (dupSeq !== undefined) {
            const answer = { conversationId: id, seq: dupSeq, messageId: messageIdOf(id, dupSeq), duplicate: true };
            // The original may still be in flight: answer as it ends.
            const original = s.writes.get(dupSeq);
            if (!original) msg.reply(answer);
            else
              original.then(
                () => msg.reply(answer),
                () => msg.reply(new ProtocolError('storage_failed', 'the original message was not stored; retry')),
              );
            return;
          }
          if (s.status === 'resolved' || s.reopening) {
            // XFER-7: the customer writing again reopens it; staff cannot write to a resolved conversation.
            if (from.role !== 'visitor') return msg.reply(new ProtocolError('conflict', 'conversation is resolved'));
            // The actor may have slept since the resolve and lost its followers: the customer's connections follow it again.
            for (const connection of notifier.connectionsOf({ kind: 'visitor', id: s.visitorId }))
              subscribe(s, { role: 'visitor', id: s.visitorId, connectionId: connection });
            reopen(s, { from, clientMsgId: msg.clientMsgId, text: msg.text, file: msg.file, reply: msg.reply });
            return;
          }
          appendMessage(s, from, msg.clientMsgId, msg.text, msg.reply, true, msg.file);
          return;
        }
        case 'access': {
          if (s.seq === 0 || !canRead(s, msg.caller)) msg.reply(notFound());
          else if (msg.write && !isParticipant(s, msg.caller))
            msg.reply(new ProtocolError('forbidden', 'not a participant of this conversation'));
          // XFER-7: a customer's file to a resolved conversation reopens it when sent; staff cannot write there.
          else if (msg.write && s.status === 'resolved' && msg.caller.role !== 'visitor')
            msg.reply(new ProtocolError('conflict', 'conversation is resolved'));
          else msg.reply({ conversationId: id });
          sleepIfDone(s);
          return;
        }
        case 'reopenAnswer': {
          const pending = s.reopening ?? [];
          s.reopening = undefined;
          if (!msg.ok || s.status !== 'resolved') {
            for (const p of pending)
              p.reply(
                new ProtocolError(
                  'conflict',
                  'this conversation is resolved and you have another one open; write there',
                ),
              );
            sleepIfDone(s);
            return;
          }
          persist(
            s,
            (seq, at): ReopenedEvent => ({ type: 'reopened', conversationId: id, seq, at, by: pending[0]!.from }),
            {
              records: (st) => [
                openRecord(st),
                {
                  key: Keys.visitor(st.visitorId),
                  value: {
                    ...journal.getRecord<VisitorRecord>(Keys.visitor(st.visitorId)),
                    visitorId: st.visitorId,
                    openConversationId: id,
                    lastConversationId: id,
                  } satisfies VisitorRecord,
                },
              ],
              onCommit: () => routeNow(s, true),
              onFail: () =>
                runtime.tell(ports.workspace, {
                  type: 'conversationClosed',
                  visitorId: s.visitorId,
                  conversationId: id,
                }),
            },
          );
          for (const p of pending) appendMessage(s, p.from, p.clientMsgId, p.text, p.reply, true, p.file);
          return;
        }
        case 'resume': {
          if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
          // Paged; a connection that follows gets only what it was never sent (OPS-2).
          const { last, more } = replayPage(journal, notifier, stream, s, msg.caller.connectionId, msg.lastSeq);
          // The last page: this connection now holds (or said it held) every committed event, and follows from here.
          msg.reply({
            conversationId: id,
            fromSeq: msg.lastSeq + 1,
            lastSeq: more ? last : s.committedSeq,
            status: s.status,
            more,
            read: presence.readMarks(),
          });
          if (more) return;
          subscribe(s, msg.caller, Math.min(msg.lastSeq + 1, s.committedSeq + 1));
          const queue = s.status === 'queued' ? ports.queue(s.department) : undefined;
          if (queue && msg.caller.role === 'visitor') runtime.tell(queue, { type: 'remind', conversationId: id });
          // A resolved conversation read from the store goes back to sleep.
          sleepIfDone(s);
          return;
        }
        case 'route':
          // Re-routing after a restart: only conversations still waiting.
          if (s.status === 'new' || s.status === 'queued') routeNow(s);
          return;
        case 'queued': {
          if (s.status === 'assigned' || s.status === 'resolved' || msg.department !== s.department) {
            // Taken (claim), ended (leave) or moved before the queue's notice arrived: the entry must go.
            const queue = ports.queue(msg.department);
            if (queue) runtime.tell(queue, { type: 'remove', conversationId: id });
            return;
          }
          s.place = msg.place;
          if (s.status === 'new' || msg.backlog !== s.backlog) {
            // The visitor learns that they wait, and whether in line or as a left message (QUEUE-4/6).
            persist(
              s,
              (seq, at): QueuedEvent => ({
                type: 'queued',
                conversationId: id,
                seq,
                at,
                department: s.department,
                ...(msg.backlog ? { reason: msg.backlog } : {}),
              }),
              { records: (st) => [openRecord(st)] },
            );
            if (msg.backlog) autoMessage(s, 'offline');
            else if (msg.position !== undefined) autoMessage(s, 'queued', { position: msg.position });
          } else if (s.status === 'queued') {
            journal
              .writeRecords([openRecord(s)])
              .catch((err: unknown) =>
                log.error({ err, conversationId: id }, 'queue place not stored; order after a restart may differ'),
              );
          }
          return;
        }
        case 'assign': {
          const agent = ports.agent(msg.agentId);
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
          journal
            .writeRecords([decisionWrite(s, msg.record)])
            .catch((err: unknown) => log.warn({ err, conversationId: id }, 'routing decision not stored'));
          return;
        case 'overflow': {
          if ((s.status !== 'new' && s.status !== 'queued') || s.department !== msg.from) return;
          const record: DecisionRecord = {
            at: clock.now(),
            department: msg.from,
            outcome: 'overflow',
            decisions: [],
            note: `waited too long; moved to ${msg.to}`,
          };
          journal
            .writeRecords([decisionWrite(s, record)])
            .catch((err: unknown) => log.warn({ err, conversationId: id }, 'routing decision not stored'));
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
          sleepIfDone(s);
          return;
        }
        case 'customer': {
          if (s.seq === 0 || !canRead(s, msg.caller) || msg.caller.role === 'visitor') return msg.reply(notFound());
          serveCustomer(ports, { id, visitorId: s.visitorId }, msg);
          sleepIfDone(s);
          return;
        }
        case 'rearm':
          armResponseTimer(ports, self, s);
          armAutoClose(ports, self, s);
          return;
        case 'autoClose': {
          s.autoCloseTimer = undefined;
          const minutes = ports.settings().workspace.autoCloseAfterMin;
          if (s.status !== 'assigned' || !minutes) return;
          // The customer wrote meanwhile: the timer runs on from their last message.
          if (autoCloseDue(s, minutes) > clock.now()) return armAutoClose(ports, self, s);
          close(s, SYSTEM, undefined, 'inactive', (r) => {
            if (r instanceof ProtocolError) log.warn({ conversationId: id, err: r }, 'auto-close not stored');
          });
          return;
        }
        case 'transfer':
          startTransfer(s, msg);
          return;
        case 'transferAnswer': {
          s.transferring = false;
          const req = msg.request;
          const target = req.to as Extract<TransferTo, { kind: 'agent' }>;
          if (!msg.accepted)
            return req.reply(
              new ProtocolError(
                'conflict',
                `${target.name} cannot take it now (${msg.why ?? 'unavailable'})`,
                'to.agentId',
              ),
            );
          if (s.status === 'resolved' || s.agentId === target.id) {
            const agent = ports.agent(target.id);
            if (agent && s.agentId !== target.id) runtime.tell(agent, { type: 'release', conversationId: id });
            return req.reply(new ProtocolError('conflict', `conversation is ${s.status}`));
          }
          commitTransfer(s, req, msg.department, target);
          return;
        }
        case 'transfers':
          if (s.seq === 0 || msg.caller.role === 'visitor' || !canRead(s, msg.caller)) return msg.reply(notFound());
          msg.reply({
            conversationId: id,
            transfers: [...journal.records<TransferRecord>(Keys.transfers(id))].map((r) => r.value),
          });
          sleepIfDone(s);
          return;
        case 'notes':
          if (s.seq === 0 || msg.caller.role === 'visitor' || !canRead(s, msg.caller)) return msg.reply(notFound());
          msg.reply({
            conversationId: id,
            notes: [...journal.records<NoteRecord>(Keys.notes(id))].map((r) => r.value),
          });
          sleepIfDone(s);
          return;
        case 'note': {
          if (s.seq === 0 || msg.caller.role === 'visitor' || !canRead(s, msg.caller)) return msg.reply(notFound());
          const n = s.noteCount++;
          const note: NoteRecord = {
            id: `${id}.n${n}`,
            conversationId: id,
            at: clock.now(),
            author: staffRefOf(msg.caller),
            text: msg.text,
          };
          journal.writeRecords([{ key: Keys.note(id, n), value: note }]).then(
            () => {
              // SUP-5: staff connections only; notes are not journal events, so no replay reaches the customer either.
              dropNonReaders(s);
              publish(notifier, s, { type: 'note', conversationId: id, note }, (who) => who.role !== 'visitor');
              msg.reply(note);
            },
            (err: unknown) => {
              log.error({ err, conversationId: id }, 'note not stored');
              msg.reply(new ProtocolError('storage_failed', 'note not stored; retry'));
            },
          );
          return;
        }
        case 'join': {
          if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
          if (!canSupervise(s, msg.caller))
            return msg.reply(
              new ProtocolError('forbidden', 'only supervisors of its department and admins join conversations'),
            );
          if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'conversation is resolved'));
          if (isParticipant(s, msg.caller))
            return msg.reply(new ProtocolError('conflict', 'you are a participant already'));
          const staff = staffRefOf(msg.caller);
          subscribe(s, msg.caller);
          persist(s, (seq, at): JoinedEvent => ({ type: 'joined', conversationId: id, seq, at, staff }), {
            onCommit: (e) => msg.reply({ conversationId: id, seq: e.seq }),
            onFail: msg.reply,
          });
          autoMessage(s, 'agent_joined', { agent: staff.name });
          return;
        }
        case 'part': {
          if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
          const staff = s.joined.find((j) => j.id === msg.caller.id);
          if (!staff) return msg.reply(new ProtocolError('conflict', 'you have not joined this conversation'));
          persist(s, (seq, at): PartedEvent => ({ type: 'parted', conversationId: id, seq, at, staff }), {
            onCommit: (e) => msg.reply({ conversationId: id, seq: e.seq }),
            onFail: msg.reply,
          });
          return;
        }
        case 'takeover': {
          if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
          if (!canSupervise(s, msg.caller))
            return msg.reply(
              new ProtocolError('forbidden', 'only supervisors of its department and admins take conversations over'),
            );
          if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'conversation is resolved'));
          if (s.agentId === msg.caller.id) return msg.reply(new ProtocolError('conflict', 'you serve it already'));
          const agent = ports.agent(msg.caller.id);
          if (!agent) return msg.reply(new ProtocolError('not_found', 'no agent actor for this account'));
          const { caller, reply } = msg;
          runtime.tell(agent, {
            type: 'offer',
            conversationId: id,
            departmentId: s.department,
            force: true,
            reply: (answer) =>
              runtime.tell(self, { type: 'takeoverAnswer', caller, accepted: answer === 'accepted', reply }),
          });
          return;
        }
        case 'takeoverAnswer': {
          const agent = ports.agent(msg.caller.id);
          if (!msg.accepted) return msg.reply(new ProtocolError('conflict', 'you serve it already'));
          if (s.status === 'resolved' || s.agentId === msg.caller.id) {
            if (agent && s.agentId !== msg.caller.id) runtime.tell(agent, { type: 'release', conversationId: id });
            return msg.reply(new ProtocolError('conflict', `conversation is ${s.status}`));
          }
          const previous = s.agentId;
          if (s.status !== 'assigned') leaveLine(s, s.department);
          stopTimers(s);
          const me = { id: msg.caller.id, name: msg.caller.name ?? msg.caller.id };
          const record: DecisionRecord = {
            at: clock.now(),
            department: s.department,
            outcome: 'taken_over',
            agentId: me.id,
            decisions: [],
            note: `taken over by ${me.id} (${msg.caller.role})${previous ? ` from ${previous}` : ''}`,
          };
          storeAssignment(s, me, s.department, 'takeover', record, {
            onCommit: (seq) => {
              // SUP-3: the agent is told and loses it.
              if (previous)
                dropAgent(s, previous, { code: 'taken_over', message: `${me.name} took this conversation over.` });
              msg.reply({ conversationId: id, seq, agentId: me.id });
            },
            onFail: msg.reply,
          });
          return;
        }
        case 'rate': {
          if (s.seq === 0 || msg.caller.role !== 'visitor' || msg.caller.id !== s.visitorId)
            return msg.reply(notFound());
          if (s.status !== 'resolved')
            return msg.reply(new ProtocolError('conflict', 'a conversation is rated once it is resolved'));
          const earlier = journal.getRecord<RatingRecord>(Keys.rating(id));
          const rating: RatingRecord = {
            conversationId: id,
            ...(s.agentId ? { agentId: s.agentId } : {}),
            score: msg.score,
            ...(msg.comment ? { comment: msg.comment } : {}),
            at: clock.now(),
          };
          journal.writeRecords([{ key: Keys.rating(id), value: rating }]).then(
            () => {
              // ROUTE-10: the first answer counts towards the agent's satisfaction figure; a changed mind does not count twice.
              const agent = !earlier && s.agentId ? ports.agent(s.agentId) : undefined;
              if (agent) runtime.tell(agent, { type: 'figure', kind: 'satisfaction', value: msg.score });
              msg.reply({ conversationId: id, score: msg.score });
            },
            (err: unknown) => {
              log.error({ err, conversationId: id }, 'rating not stored');
              msg.reply(new ProtocolError('storage_failed', 'rating not stored; retry'));
            },
          );
          return;
        }
        case 'exclude':
          exclude(s, msg.agentId);
          return;
        case 'resolve': {
          if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
          if (msg.caller.role === 'visitor' || !isParticipant(s, msg.caller)) {
            return msg.reply(new ProtocolError('forbidden', 'only staff serving the conversation can resolve it'));
          }
          if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'already resolved'));
          close(s, participantOf(msg.caller), msg.summary, undefined, msg.reply);
          return;
        }
        case 'claim': {
          // Members of the conversation's department may claim it; admins any.
          const member = msg.caller.role === 'admin' || (msg.caller.departments?.includes(s.department) ?? false);
          if (s.seq === 0 || !member) return msg.reply(notFound());
          // Giving it to someone else is for supervisors of its department and admins.
          if (msg.agent.id !== msg.caller.id && msg.caller.role === 'agent') {
            return msg.reply(
              new ProtocolError('forbidden', 'only supervisors and admins assign conversations to others', 'agentId'),
            );
          }
          if (s.status !== 'new' && s.status !== 'queued')
            return msg.reply(new ProtocolError('conflict', `conversation is ${s.status}, not waiting`));
          const agent = ports.agent(msg.agent.id);
          if (!agent) return msg.reply(new ProtocolError('not_found', 'no such agent', 'agentId'));
          const { caller, reply } = msg;
          const assignee = msg.agent;
          // The agent actor owns capacity (ROUTE-11): a claim is an offer the claimer's own actor may refuse.
          runtime.tell(agent, {
            type: 'offer',
            conversationId: id,
            departmentId: s.department,
            manual: true,
            reply: (answer) =>
              runtime.tell(self, {
                type: 'claimAnswer',
                caller,
                agent: assignee,
                accepted: answer === 'accepted',
                reply,
              }),
          });
          return;
        }
        case 'claimAnswer': {
          const agent = ports.agent(msg.agent.id);
          if (!msg.accepted)
            return msg.reply(
              new ProtocolError(
                'conflict',
                'no free slot: the agent must be online or busy, with a conversation slot free',
              ),
            );
          if (s.status !== 'new' && s.status !== 'queued') {
            // Routed to someone else meanwhile: give the reserved slot back.
            if (agent) runtime.tell(agent, { type: 'release', conversationId: id });
            return msg.reply(new ProtocolError('conflict', `conversation is ${s.status}, not waiting`));
          }
          const note =
            msg.agent.id === msg.caller.id
              ? `claimed by ${msg.caller.id} (${msg.caller.role})`
              : `assigned by ${msg.caller.id} (${msg.caller.role})`;
          const claimed: DecisionRecord = {
            at: clock.now(),
            department: s.department,
            outcome: 'claimed',
            agentId: msg.agent.id,
            decisions: [],
            note,
          };
          storeAssignment(s, msg.agent, s.department, 'manual', claimed, {
            onCommit: (seq) => {
              msg.reply({ conversationId: id, seq, agentId: msg.agent.id });
              // It may be in the queue, or on its way there: a remove of nothing is harmless.
              const queue = ports.queue(s.department);
              if (queue) runtime.tell(queue, { type: 'remove', conversationId: id });
            },
            onFail: msg.reply,
          });
          return;
        }
        case 'responseTimeout':
          s.responseTimer = undefined;
          if (
            s.status !== 'assigned' ||
            s.agentId !== msg.agentId ||
            s.assignedSeq !== msg.assignedSeq ||
            !s.awaitingReply
          )
            return;
          unassign(s, 'response_timeout');
          return;
        case 'agentGone':
          if (s.status === 'assigned' && s.agentId === msg.agentId) unassign(s, 'agent_offline');
          return;
        case 'leave': {
          if (s.seq === 0 || msg.caller.role !== 'visitor' || msg.caller.id !== s.visitorId)
            return msg.reply(notFound());
          if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'already resolved'));
          // Leaving before any agent took it is abandonment (QUEUE-5), counted apart from ended chats.
          close(s, participantOf(msg.caller), undefined, s.status === 'assigned' ? 'left' : 'abandoned', msg.reply);
          return;
        }
        case 'typing': {
          const refusal =
            presenceRefusal(s, msg.caller) ??
            (s.status === 'resolved' ? new ProtocolError('conflict', 'conversation is resolved') : undefined);
          if (refusal) {
            sleepIfDone(s);
            return msg.reply(refusal);
          }
          presence.typing((f, to) => publish(notifier, s, f, to), participantOf(msg.caller), msg.typing);
          return msg.reply({ conversationId: id });
        }
        case 'typingExpired':
          presence.expired((f, to) => publish(notifier, s, f, to), msg.from, msg.token);
          return;
        case 'read': {
          const refusal = presenceRefusal(s, msg.caller);
          if (refusal) {
            sleepIfDone(s);
            return msg.reply(refusal);
          }
          const { reply } = msg;
          presence.read(
            (f, to) => publish(notifier, s, f, to),
            participantOf(msg.caller),
            msg.seq,
            s.committedSeq,
            (r) => {
              reply(r);
              sleepIfDone(s);
            },
          );
          return;
        }
      }
    },
  };
}
