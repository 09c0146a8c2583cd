/**
 * A waiting conversation's way to an agent: asking its department to route
 * it, the queue's notices, routing outcomes stored (ROUTE-16), keyword rules
 * on later messages (ROUTE-7), overflow to a fallback department (ROUTE-15)
 * and the agents it is never offered to again (ROUTE-13/17).
 */
import type { QueuedEvent } from '../../protocol/frames.js';
import { Keys } from '../keyspace.js';
import type { ConversationNeeds } from '../routing/needs.js';
import type { DecisionRecord, RoutingRecord } from './records.js';
import type { State } from './actor-state.js';
import { autoMessage, openRecord, persist, storeDecision } from './persist.js';
import type { ConversationContext, Handlers } from './context.js';

/** Asks the conversation's department to route it; `preferSticky`: a reopen goes back to its last agent (XFER-7). */
export function routeNow(cx: ConversationContext, s: State, preferSticky = false): void {
  const { ports, id } = cx;
  const exclude = s.excluded;
  const dept = ports.department(s.department);
  if (dept) {
    ports.runtime.tell(dept, {
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
  } else ports.log.error({ conversationId: id, department: s.department }, 'conversation names an unknown department');
}

/** A waiting conversation leaves its department's queue and routing (a resolve, a transfer or a take-over took it). */
export function leaveLine(cx: ConversationContext, department: string): void {
  const { ports, id } = cx;
  const queue = ports.queue(department);
  if (queue) ports.runtime.tell(queue, { type: 'remove', conversationId: id });
  const dept = ports.department(department);
  if (dept) ports.runtime.tell(dept, { type: 'withdraw', conversationId: id });
}

/** Tells a department's queue to drop the conversation; a remove of nothing is harmless. */
export function leaveQueue(cx: ConversationContext, department: string): void {
  const queue = cx.ports.queue(department);
  if (queue) cx.ports.runtime.tell(queue, { type: 'remove', conversationId: cx.id });
}

/** Moves a waiting conversation to another department's line (keyword rule, ROUTE-15 overflow); the visitor is told. */
function moveTo(cx: ConversationContext, s: State, department: string): void {
  const { id } = cx;
  const from = s.department;
  s.place = undefined;
  persist(
    cx,
    s,
    (seq, at): QueuedEvent => ({ type: 'queued', conversationId: id, seq, at, department, movedFrom: from }),
    { records: (st) => [openRecord(st)] },
  );
}

/** The stored routing record, or the one the conversation's state implies. */
const routingOf = (cx: ConversationContext, s: State): RoutingRecord =>
  cx.ports.journal.getRecord<RoutingRecord>(Keys.routing(cx.id)) ?? {
    department: s.department,
    matches: [],
    needs: s.needs,
  };

/** Adds an agent to the conversation's lasting exclusions, stored with its routing record. */
export function exclude(cx: ConversationContext, s: State, agentId: string): void {
  if (s.excluded.includes(agentId)) return;
  s.excluded = [...s.excluded, agentId];
  const routing = routingOf(cx, s);
  cx.ports.journal
    .writeRecords([{ key: Keys.routing(cx.id), value: { ...routing, excluded: s.excluded } }])
    .catch((err: unknown) =>
      cx.ports.log.warn({ err, conversationId: cx.id }, 'exclusion not stored; it holds until a restart'),
    );
}

/**
 * ROUTE-7: keyword rules see the customer's first message, and later ones
 * where a rule says so. Every match is recorded; while the conversation
 * still waits, a match that changes its needs or department routes it
 * again (an assigned conversation changes hands only by transfer).
 */
export function applyKeywords(cx: ConversationContext, s: State, text: string, seq: number): void {
  const { ports, id } = cx;
  // Most messages match nothing: then no store read (it was one per customer message).
  if (s.firstMessageSeen && ports.settings().keywords.match(text, false).matches.length === 0) return;
  const routing = routingOf(cx, s);
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
  ports.journal
    .writeRecords([{ key: Keys.routing(id), value: next }])
    .catch((err: unknown) => ports.log.warn({ err, conversationId: id }, 'keyword matches not stored'));
  if (!waiting || !changed) return;
  leaveQueue(cx, s.department);
  s.needs = needs;
  if (department !== s.department) {
    moveTo(cx, s, department);
  } else if (s.place) s.place = { ...s.place, priority: needs.priority };
  routeNow(cx, s);
}

export const routingHandlers = {
  route(cx, s) {
    // Re-routing after a restart: only conversations still waiting.
    if (s.status === 'new' || s.status === 'queued') routeNow(cx, s);
  },
  queued(cx, s, msg) {
    const { ports, id } = cx;
    if (s.seq === 0 || s.status === 'assigned' || s.status === 'resolved' || msg.department !== s.department) {
      // Never stored (a failed create), taken (claim), ended (leave) or moved before the queue's notice arrived: the entry must go.
      return leaveQueue(cx, msg.department);
    }
    s.place = msg.place;
    if (s.status === 'new' || msg.backlog !== s.backlog) {
      // The visitor learns that they wait, and whether in line or as a left message (QUEUE-4/6).
      persist(
        cx,
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
      if (msg.backlog) autoMessage(cx, s, 'offline');
      else if (msg.position !== undefined) autoMessage(cx, s, 'queued', { position: msg.position });
    } else if (s.status === 'queued') {
      ports.journal
        .writeRecords([openRecord(s)])
        .catch((err: unknown) =>
          ports.log.error({ err, conversationId: id }, 'queue place not stored; order after a restart may differ'),
        );
    }
  },
  decided(cx, s, msg) {
    if (s.seq === 0 || s.status === 'resolved') return;
    storeDecision(cx, s, msg.record);
  },
  overflow(cx, s, msg) {
    if ((s.status !== 'new' && s.status !== 'queued') || s.department !== msg.from) return;
    const record: DecisionRecord = {
      at: cx.ports.clock.now(),
      department: msg.from,
      outcome: 'overflow',
      decisions: [],
      note: `waited too long; moved to ${msg.to}`,
    };
    storeDecision(cx, s, record);
    moveTo(cx, s, msg.to);
    routeNow(cx, s);
  },
  exclude(cx, s, msg) {
    if (s.seq > 0) exclude(cx, s, msg.agentId);
  },
} satisfies Partial<Handlers>;
