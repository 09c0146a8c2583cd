/**
 * A conversation's life: created by the workspace on a `start`, resolved by
 * the staff serving it (XFER-7) or for inactivity (CONV-5), left by its
 * customer (QUEUE-5), and rated once resolved (MON-3). A reopen is in
 * reopen.ts.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { CreatedEvent, Participant, ResolvedEvent } from '../../protocol/frames.js';
import type { Reply } from '../runtime.js';
import { Keys } from '../keyspace.js';
import { defaultConversationNeeds } from '../routing/needs.js';
import type { RatingRecord, ResolvedByRecord, RoutingRecord } from './records.js';
import type { VisitorRecord } from '../workspace/records.js';
import { customerIndexWrite } from '../customer-view.js';
import type { CloseResult } from './messages.js';
import type { State } from './actor-state.js';
import { SYSTEM, canRead, isParticipant, notFound, participantOf } from './access.js';
import { subscribe } from './followers.js';
import { armAutoClose, autoCloseDue, stopTimers } from './timers.js';
import { autoMessage, openRecord, persist } from './persist.js';
import { leaveLine, routeNow } from './routing.js';
import { appendMessage } from './append-message.js';
import { messageIdOf, type ConversationContext, type Handlers } from './context.js';

/** Resolves the conversation: frees the agent's slot or the queue place, and lets the actor sleep. */
function close(
  cx: ConversationContext,
  s: State,
  by: Participant,
  summary: string | undefined,
  reason: ResolvedEvent['reason'],
  reply: Reply<CloseResult>,
): void {
  const { ports, id } = cx;
  const agentId = s.agentId;
  // `new` too: the queue may hold it before its notice arrives; a remove of nothing is harmless.
  const waiting = s.status === 'queued' || s.status === 'new';
  stopTimers(s);
  let resolvedAt = 0;
  persist(
    cx,
    s,
    (seq, at): ResolvedEvent => {
      resolvedAt = at;
      return {
        type: 'resolved',
        conversationId: id,
        seq,
        at,
        by,
        ...(summary ? { summary } : {}),
        ...(reason ? { reason } : {}),
      };
    },
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
        // WEB-3: the console's recently resolved list of the agent who served it.
        ...(agentId !== undefined
          ? [
              {
                key: Keys.resolvedBy(agentId, resolvedAt, id),
                value: {
                  conversationId: id,
                  at: resolvedAt,
                  department: st.department,
                  ...(summary ? { summary } : {}),
                } satisfies ResolvedByRecord,
              },
            ]
          : []),
      ],
      onCommit: (e) => {
        reply({ conversationId: id, seq: e.seq, ...(reason ? { reason } : {}) });
        const agent = agentId ? ports.agent(agentId) : undefined;
        if (agent) {
          ports.runtime.tell(agent, { type: 'figure', kind: 'handle', value: e.at - s.assignedAt });
          ports.runtime.tell(agent, { type: 'release', conversationId: id });
        }
        if (waiting) leaveLine(cx, s.department);
        ports.runtime.tell(ports.workspace, { type: 'conversationClosed', visitorId: s.visitorId, conversationId: id });
      },
      onFail: reply,
    },
  );
  // CONV-4: staff ended it (or it went quiet): the customer is told, and asked how it went.
  if (reason === undefined || reason === 'inactive') {
    autoMessage(cx, s, 'resolved');
    autoMessage(cx, s, 'survey');
  }
}

export const lifecycleHandlers = {
  create(cx, s, msg) {
    const { ports, id } = cx;
    const { journal, runtime } = ports;
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
      cx,
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
          runtime.tell(ports.workspace, { type: 'conversationCreated', visitorId, conversationId: id, stored: true });
          if (msg.text === undefined)
            msg.reply({ conversationId: id, seq: e.seq, messageId: messageIdOf(id, e.seq), duplicate: false });
        },
        onFail: (err) => {
          runtime.tell(ports.workspace, { type: 'conversationCreated', visitorId, conversationId: id, stored: false });
          // Routing began with the create: the department lets it go (an agent's reserved slot goes back).
          leaveLine(cx, msg.department);
          msg.reply(err);
        },
      },
    );
    // The workspace matched this first message's keywords already, to choose the department.
    if (msg.text !== undefined) {
      const from: Participant = { role: 'visitor', id: visitorId };
      appendMessage(cx, s, { from, clientMsgId: msg.clientMsgId, text: msg.text, reply: msg.reply }, false);
    }
    autoMessage(cx, s, 'welcome');
    /*
     * Routed while the create commits, not after: the agent's acceptance
     * takes a few actor hops, and the `assigned` it brings is appended after
     * the create, so it commits after it (appends commit in order) and is
     * published only then. The assignment waits for one commit, not two in
     * turn. A create that fails leaves the line (onFail above); an actor
     * spawned later for the id finds nothing stored and refuses the routing
     * outcomes (assignment.ts, routing.ts).
     */
    routeNow(cx, s);
  },
  resolve(cx, s, msg) {
    if (s.seq === 0 || !canRead(s, msg.caller)) return msg.reply(notFound());
    if (msg.caller.role === 'visitor' || !isParticipant(s, msg.caller)) {
      return msg.reply(new ProtocolError('forbidden', 'only staff serving the conversation can resolve it'));
    }
    if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'already resolved'));
    close(cx, s, participantOf(msg.caller), msg.summary, undefined, msg.reply);
  },
  leave(cx, s, msg) {
    if (s.seq === 0 || msg.caller.role !== 'visitor' || msg.caller.id !== s.visitorId) return msg.reply(notFound());
    if (s.status === 'resolved') return msg.reply(new ProtocolError('conflict', 'already resolved'));
    // Leaving before any agent took it is abandonment (QUEUE-5), counted apart from ended chats.
    close(cx, s, participantOf(msg.caller), undefined, s.status === 'assigned' ? 'left' : 'abandoned', msg.reply);
  },
  autoClose(cx, s) {
    const { ports, id, self } = cx;
    s.autoCloseTimer = undefined;
    const minutes = ports.settings().workspace.autoCloseAfterMin;
    if (s.status !== 'assigned' || !minutes) return;
    // The customer wrote meanwhile: the timer runs on from their last message.
    if (autoCloseDue(s, minutes) > ports.clock.now()) return armAutoClose(ports, self, s);
    close(cx, s, SYSTEM, undefined, 'inactive', (r) => {
      if (r instanceof ProtocolError) ports.log.warn({ conversationId: id, err: r }, 'auto-close not stored');
    });
  },
  rate(cx, s, msg) {
    const { ports, id } = cx;
    if (s.seq === 0 || msg.caller.role !== 'visitor' || msg.caller.id !== s.visitorId) return msg.reply(notFound());
    if (s.status !== 'resolved')
      return msg.reply(new ProtocolError('conflict', 'a conversation is rated once it is resolved'));
    const earlier = ports.journal.getRecord<RatingRecord>(Keys.rating(id));
    const rating: RatingRecord = {
      conversationId: id,
      ...(s.agentId ? { agentId: s.agentId } : {}),
      score: msg.score,
      ...(msg.comment ? { comment: msg.comment } : {}),
      at: ports.clock.now(),
    };
    ports.journal.writeRecords([{ key: Keys.rating(id), value: rating }]).then(
      () => {
        // ROUTE-10: the first answer counts towards the agent's satisfaction figure; a changed mind does not count twice.
        const agent = !earlier && s.agentId ? ports.agent(s.agentId) : undefined;
        if (agent) ports.runtime.tell(agent, { type: 'figure', kind: 'satisfaction', value: msg.score });
        msg.reply({ conversationId: id, score: msg.score });
      },
      (err: unknown) => {
        ports.log.error({ err, conversationId: id }, 'rating not stored');
        msg.reply(new ProtocolError('storage_failed', 'rating not stored; retry'));
      },
    );
  },
} satisfies Partial<Handlers>;
