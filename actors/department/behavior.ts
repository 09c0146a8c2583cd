/**
 * Department actor: decides who serves each new conversation, from the live
 * load its members' agent actors push to it (it never reads an agent's state).
 * Its choice is only an offer: the agent owns its capacity and accepts or
 * refuses, which keeps ROUTE-11 true when several departments offer to one
 * agent at once. A refused offer goes to the next candidate; when nobody can
 * take the conversation it waits in the department's queue (QUEUE-1) and is
 * pulled from there as soon as capacity appears (QUEUE-3).
 *
 * Every outcome (assigned, queued, waiting for the last agent) is handed to
 * the conversation with the policy runs that led to it, to be stored and
 * read back by staff (ROUTE-16). What it knows of its members and of the
 * conversations it is offering is in members.ts.
 */
import type { Behavior, Ref } from '../runtime.js';
import { hasFreeSlot, type Candidate } from '../routing/decision.js';
import { admission, choose } from './choice.js';
import { previewPlacement } from './preview.js';
import { defaultConversationNeeds, type BacklogReason } from '../routing/needs.js';
import type { DecisionRecord } from '../conversation/records.js';
import type { DepartmentRecord } from './records.js';
import type { DepartmentMsg } from './messages.js';
import type { DepartmentPorts } from './ports.js';
import { CandidateIndex } from '../routing/candidate-index.js';
import {
  answered,
  anyoneOnline,
  freeSlots,
  mayTakeMore,
  offered,
  ordered,
  rollWindow,
  updateMember,
  type DepartmentState as State,
  type FairnessCap,
  type Routing,
} from './members.js';

export function departmentBehavior(
  ports: DepartmentPorts,
  departmentId: string,
  initiallyQueued: number,
): Behavior<State, DepartmentMsg> {
  const { runtime, log, clock } = ports;
  const config = (): DepartmentRecord | undefined => ports.config();
  let selfRef: Ref<DepartmentMsg>;
  const self = (): Ref<DepartmentMsg> => selfRef;

  const fairness = (): FairnessCap | undefined => config()?.fairnessCap;

  /** Hands an outcome and the policy runs behind it to the conversation, which stores them (ROUTE-16). */
  const record = (r: Routing, outcome: DecisionRecord['outcome'], agentId?: string, note?: string): DecisionRecord => ({
    at: clock.now(),
    department: departmentId,
    outcome,
    ...(agentId !== undefined ? { agentId } : {}),
    decisions: r.decisions,
    ...(note !== undefined ? { note } : {}),
  });

  const enqueue = (s: State, r: Routing, backlog?: BacklogReason, note?: string): void => {
    s.routing.delete(r.conversationId);
    s.queued++; // counted now so that later arrivals queue behind it
    // A conversation coming back from the queue keeps what it was told; a newcomer learns why it waits.
    const reason = r.fromQueue ? r.backlog : (backlog ?? (anyoneOnline(s) ? undefined : 'no_agents_online'));
    const queue = ports.queue();
    if (queue) {
      runtime.tell(queue, {
        type: 'enqueue',
        conversationId: r.conversationId,
        visitorId: r.visitorId,
        needs: r.needs,
        ...(r.place ? { place: r.place } : {}),
        ...(r.exclude.length ? { exclude: r.exclude } : {}),
        ...(r.stickyAgent !== undefined && r.stickyUntil !== undefined
          ? { stickyAgent: r.stickyAgent, stickyUntil: r.stickyUntil }
          : {}),
        ...(reason ? { backlog: reason } : {}),
      });
    }
    // A conversation pulled and put back has its queueing stored already; only its first entry is news.
    if (!r.fromQueue) {
      const waitingFor = r.stickyUntil !== undefined && clock.now() < r.stickyUntil ? 'sticky_wait' : 'queued';
      const why = [reason, note].filter((w) => w !== undefined).join('; ');
      ports.decided(
        r.conversationId,
        record(r, waitingFor, waitingFor === 'sticky_wait' ? r.stickyAgent : undefined, why || undefined),
      );
    }
  };

  const offer = (s: State, r: Routing, chosen: Candidate): void => {
    const agent = ports.agent(chosen.agentId);
    if (!agent) return enqueue(s, r);
    r.tried.add(chosen.agentId);
    offered(s, chosen);
    // Round robin moves on at the offer, not at the answer: decisions made while answers are in flight
    // would otherwise all pick the same agent until it is full (ROUTE-2, ROUTE-19).
    s.lastAssigned = chosen.agentId;
    const cfg = config();
    const me = self();
    runtime.tell(agent, {
      type: 'offer',
      conversationId: r.conversationId,
      departmentId,
      visitorId: r.visitorId,
      ...(cfg?.offerMode === 'offer'
        ? { acceptWithinMs: (cfg.offerTimeoutSec ?? 30) * 1000, missesBeforeAway: cfg.offerMissesBeforeAway ?? 3 }
        : {}),
      reply: (answer, reason) =>
        runtime.tell(me, {
          type: 'offerResult',
          conversationId: r.conversationId,
          agentId: chosen.agentId,
          answer,
          ...(reason ? { reason } : {}),
        }),
    });
  };

  const tryNext = (s: State, r: Routing): void => {
    rollWindow(s, fairness(), clock.now());
    const now = clock.now();
    const choice = choose(
      config(),
      ordered(s),
      s.members,
      {
        needs: r.needs,
        waitedMs: r.place ? now - r.place.enqueuedAt : 0,
        tried: r.tried,
        ...(r.stickyAgent !== undefined ? { stickyAgent: r.stickyAgent } : {}),
        ...(r.stickyUntil !== undefined ? { stickyUntil: r.stickyUntil } : {}),
        ...(r.preferSticky ? { preferSticky: true } : {}),
      },
      { lastAssigned: s.lastAssigned, wrr: s.wrr },
      now,
      s.index,
    );
    if (choice.wrr) s.wrr = choice.wrr;
    if (choice.stickyUntil !== undefined) r.stickyUntil = choice.stickyUntil;
    r.decisions.push(...choice.decisions);
    if (!choice.chosen) return enqueue(s, r);
    offer(s, r, choice.chosen);
  };

  const drain = (s: State): void => {
    // Checked first: counting free slots walks every member, and most load changes find nobody waiting.
    if (!s.autoAssign || s.stalled || s.queued <= 0) return;
    rollWindow(s, fairness(), clock.now());
    const slots = freeSlots(s, fairness()) - s.pulling;
    const cap = config()?.fairnessCap;
    if (cap && !s.windowTimer && [...s.members.values()].some((c) => hasFreeSlot(c) && c.assignedInWindow >= cap.max)) {
      // Capped agents with free slots while customers wait: look again when the window turns.
      const me = self();
      s.windowTimer = clock.setTimer(s.windowStart + cap.windowSec * 1000 - clock.now(), () =>
        runtime.tell(me, { type: 'recheck' }),
      );
    }
    if (slots <= 0) return;
    const n = Math.min(slots, s.queued);
    s.queued -= n;
    s.pulling += n;
    const free = [...s.members.values()].filter((c) => mayTakeMore(c, fairness())).map((c) => ({ ...c }));
    const queue = ports.queue();
    if (queue) runtime.tell(queue, { type: 'pull', slots: n, free });
  };

  return {
    init: (ctx) => {
      selfRef = ctx.self;
      return {
        members: new Map(),
        lastAssigned: undefined,
        wrr: new Map(),
        routing: new Map(),
        queued: initiallyQueued,
        pulling: 0,
        autoAssign: ports.autoAssign(),
        stalled: false,
        windowStart: 0,
        ordered: undefined,
        index: new CandidateIndex(),
        windowTimer: undefined,
      };
    },
    receive(s, msg) {
      switch (msg.type) {
        case 'load': {
          updateMember(s, msg.load);
          drain(s);
          return;
        }
        case 'route': {
          if (msg.fromQueue) s.pulling = Math.max(0, s.pulling - 1);
          if (s.routing.has(msg.conversationId)) return;
          const r: Routing = {
            conversationId: msg.conversationId,
            visitorId: msg.visitorId,
            needs: msg.needs ?? defaultConversationNeeds,
            exclude: [...(msg.exclude ?? [])],
            tried: new Set(msg.exclude ?? []),
            decisions: [],
            fromQueue: msg.fromQueue === true,
            ...(msg.place ? { place: msg.place } : {}),
            ...(msg.stickyAgent !== undefined ? { stickyAgent: msg.stickyAgent } : {}),
            ...(msg.stickyUntil !== undefined ? { stickyUntil: msg.stickyUntil } : {}),
            ...(msg.backlog ? { backlog: msg.backlog } : {}),
            ...(msg.preferSticky ? { preferSticky: true } : {}),
          };
          // QUEUE-6: outside business hours the customer is told and may leave a message; ROUTE-1 off, or
          // others waiting: it queues behind them.
          const waits = msg.fromQueue ? undefined : admission(config(), s, clock.now());
          if (waits) {
            s.stalled = false; // a newcomer may be one a free agent can take
            if (waits.wait === 'closed') enqueue(s, r, 'closed');
            else enqueue(s, r, undefined, waits.note);
            drain(s);
            return;
          }
          s.routing.set(msg.conversationId, r);
          tryNext(s, r);
          return;
        }
        case 'autoAssign':
          s.autoAssign = msg.enabled;
          drain(s);
          return;
        case 'withdraw': {
          const r = s.routing.get(msg.conversationId);
          if (!r) return;
          s.routing.delete(msg.conversationId);
          // A release ends a held offer without counting a miss, or gives back a slot already taken;
          // the agent's answer then finds no routing and only settles `pending`.
          const offered = r.decisions[r.decisions.length - 1]?.agentId;
          const agent = offered === undefined ? undefined : ports.agent(offered);
          if (agent) runtime.tell(agent, { type: 'release', conversationId: msg.conversationId });
          return;
        }
        case 'preview':
          msg.reply(previewPlacement(s, departmentId, config(), msg, clock.now()));
          return;
        case 'dequeued':
          // Not clamped: with pullShort giving back what a pull did not take, the signed sum stays exact.
          s.queued--;
          return;
        case 'recheck':
          s.windowTimer = undefined;
          s.stalled = false;
          drain(s);
          return;
        case 'pullShort':
          s.pulling = Math.max(0, s.pulling - msg.short);
          s.queued += msg.short;
          if (msg.short === msg.asked) s.stalled = true;
          drain(s);
          return;
        case 'offerResult': {
          const member = s.members.get(msg.agentId);
          const r = s.routing.get(msg.conversationId);
          const accepted = r !== undefined && msg.answer === 'accepted';
          if (member) answered(s, member, accepted ? clock.now() : undefined);
          if (!r) return;
          const last = r.decisions[r.decisions.length - 1];
          if (last) last.answer = msg.reason ? `${msg.answer}: ${msg.reason}` : msg.answer;
          if (msg.answer !== 'accepted') {
            // ROUTE-17: never offered to this agent again for this conversation, even after a trip through the queue.
            if (msg.answer === 'declined' || msg.answer === 'missed') {
              r.exclude.push(msg.agentId);
              // The conversation keeps it too, across departments and restarts.
              ports.excluded(msg.conversationId, msg.agentId);
            }
            tryNext(s, r);
            return;
          }
          s.routing.delete(msg.conversationId);
          const decision = r.decisions[r.decisions.length - 1]!;
          log.debug({ department: departmentId, conversationId: msg.conversationId, agentId: msg.agentId }, 'assigned');
          ports.metrics?.assigned(departmentId, decision.policy, r.place ? clock.now() - r.place.enqueuedAt : 0);
          ports.assigned(msg.conversationId, {
            agentId: msg.agentId,
            agentName: member?.name ?? msg.agentId,
            department: departmentId,
            policy: decision.policy,
            record: record(r, 'assigned', msg.agentId),
          });
          return;
        }
      }
    },
  };
}
