/**
 * Department actor: decides who serves each new conversation, from the live
 * load its members' agent actors push to it (it never reads an agent's state).
 * Its choice is only an offer: the agent owns its capacity and accepts or
 * refuses, which keeps ROUTE-11 true when several departments offer to one
 * agent at once. A refused offer goes to the next candidate; when nobody can
 * take the conversation it waits in the department's queue (QUEUE-1) and is
 * pulled from there as soon as capacity appears (QUEUE-3).
 */
import type { Behavior, Ref } from './runtime.js';
import type { Directory } from './directory.js';
import { defaultNeeds, hasFreeSlot, type Candidate, type Decision, type PolicyName } from './routing/decision.js';
import { decide } from './routing/decide.js';
import type { QueuedItem } from './routing/queue-order.js';
import type { WrrState } from './routing/weighted-round-robin.js';

/** What an agent pushes to its departments: a candidate's figures less what only the department knows. */
export type AgentLoad = Omit<Candidate, 'pending' | 'lastAssignedAt' | 'assignedInWindow' | 'figures'>;

export type DepartmentMsg =
  | { type: 'load'; load: AgentLoad }
  /** `exclude`: agents never to be offered this conversation again (e.g. one who timed out on it, ROUTE-13). */
  | { type: 'route'; conversationId: string; visitorId: string; place?: QueuedItem; priority?: number; fromQueue?: boolean; exclude?: readonly string[] }
  | { type: 'offerResult'; conversationId: string; agentId: string; accepted: boolean }
  /** A pull of `asked` took `short` fewer: they were gone (left) or no free agent may take them; they count as queued again. */
  | { type: 'pullShort'; short: number; asked: number }
  /** A waiting conversation left the queue without being pulled (QUEUE-5). */
  | { type: 'dequeued' }
  /** ROUTE-1: automatic assignment switched on or off for the workspace. */
  | { type: 'autoAssign'; enabled: boolean };

interface Routing {
  conversationId: string;
  visitorId: string;
  place: QueuedItem | undefined;
  priority: number;
  /** Agents this conversation must never be offered again (kept through the queue). */
  exclude: readonly string[];
  tried: Set<string>;
  decisions: Decision[];
}

interface State {
  members: Map<string, Candidate>;
  lastAssigned: string | undefined;
  /** Running scores of weighted round robin. */
  wrr: WrrState;
  /** Conversations with an offer in flight, by conversation id. */
  routing: Map<string, Routing>;
  /**
   * Conversations in the queue or on their way to it, and not pulled. Only
   * this department enqueues and pulls, and the queue handles its messages
   * in order, so this count is exact without asking the queue: a pull of n
   * always finds n entries.
   */
  queued: number;
  /** Pulled from the queue and not yet back here as routes. */
  pulling: number;
  /** Off (ROUTE-1): everything waits in the queue for agents to claim (ROUTE-12). */
  autoAssign: boolean;
  /**
   * The last pull found nothing any free agent may take (every waiting
   * conversation excludes them): pulling again before capacity or the queue
   * changes would only repeat that.
   */
  stalled: boolean;
}

export function departmentBehavior(dir: Directory, departmentId: string, initiallyQueued: number): Behavior<State, DepartmentMsg> {
  const { runtime, log } = dir.deps;

  const freeSlots = (s: State): number => {
    let n = 0;
    for (const c of s.members.values()) if (hasFreeSlot(c)) n += c.max - c.active - c.pending;
    return n;
  };

  const enqueue = (r: Routing): void => {
    const queue = dir.queue(departmentId);
    if (queue) {
      runtime.tell(queue, {
        type: 'enqueue',
        conversationId: r.conversationId,
        visitorId: r.visitorId,
        priority: r.priority,
        ...(r.place ? { place: r.place } : {}),
        ...(r.exclude.length ? { exclude: r.exclude } : {}),
      });
    }
  };

  const tryNext = (s: State, r: Routing): void => {
    const candidates = [...s.members.values()];
    const policy: PolicyName = dir.departmentConfig(departmentId)?.policy ?? 'round_robin';
    const { decision, wrr } = decide(policy, candidates, defaultNeeds, { tried: r.tried }, { lastAssigned: s.lastAssigned, wrr: s.wrr });
    s.wrr = wrr;
    r.decisions.push(decision);
    const chosen = decision.agentId === undefined ? undefined : s.members.get(decision.agentId);
    const agent = chosen ? dir.agent(chosen.agentId) : undefined;
    if (!chosen || !agent) {
      s.routing.delete(r.conversationId);
      s.queued++; // counted now so that later arrivals queue behind it
      enqueue(r);
      return;
    }
    r.tried.add(chosen.agentId);
    chosen.pending++;
    const self = dir.department(departmentId)!;
    runtime.tell(agent, {
      type: 'offer',
      conversationId: r.conversationId,
      departmentId,
      reply: (accepted) => runtime.tell(self, { type: 'offerResult', conversationId: r.conversationId, agentId: chosen.agentId, accepted: accepted === true }),
    });
  };

  const drain = (s: State): void => {
    if (!s.autoAssign || s.stalled) return;
    const slots = freeSlots(s) - s.pulling;
    if (slots <= 0 || s.queued <= 0) return;
    const n = Math.min(slots, s.queued);
    s.queued -= n;
    s.pulling += n;
    const free = [...s.members.values()].filter(hasFreeSlot).map((c) => c.agentId);
    const queue = dir.queue(departmentId);
    if (queue) runtime.tell(queue, { type: 'pull', slots: n, free });
  };

  return {
    init: () => ({
      members: new Map(),
      lastAssigned: undefined,
      wrr: new Map(),
      routing: new Map(),
      queued: initiallyQueued,
      pulling: 0,
      autoAssign: dir.autoAssign,
      stalled: false,
    }),
    receive(s, msg) {
      switch (msg.type) {
        case 'load': {
          const l = msg.load;
          const prev = s.members.get(l.agentId);
          s.stalled = false;
          s.members.set(l.agentId, {
            ...l,
            pending: prev?.pending ?? 0,
            lastAssignedAt: prev?.lastAssignedAt ?? 0,
            assignedInWindow: prev?.assignedInWindow ?? 0,
            // Live figures (ROUTE-10) are not measured yet: neutral for the load index.
            figures: {},
          });
          drain(s);
          return;
        }
        case 'route': {
          if (msg.fromQueue) s.pulling = Math.max(0, s.pulling - 1);
          if (s.routing.has(msg.conversationId)) return;
          const r: Routing = {
            conversationId: msg.conversationId,
            visitorId: msg.visitorId,
            place: msg.place,
            priority: msg.priority ?? 0,
            exclude: msg.exclude ?? [],
            tried: new Set(msg.exclude ?? []),
            decisions: [],
          };
          // Newcomers never overtake customers already waiting, nor those being pulled for a free slot.
          if (!s.autoAssign || (!msg.fromQueue && s.queued + s.pulling > 0)) {
            s.queued++;
            s.stalled = false; // a newcomer may be one a free agent can take
            enqueue(r);
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
        case 'dequeued':
          // Not clamped: with pullShort giving back what a pull did not take, the signed sum stays exact.
          s.queued--;
          return;
        case 'pullShort':
          s.pulling = Math.max(0, s.pulling - msg.short);
          s.queued += msg.short;
          if (msg.short === msg.asked) s.stalled = true;
          drain(s);
          return;
        case 'offerResult': {
          const member = s.members.get(msg.agentId);
          if (member) member.pending = Math.max(0, member.pending - 1);
          const r = s.routing.get(msg.conversationId);
          if (!r) return;
          if (!msg.accepted) {
            tryNext(s, r);
            return;
          }
          s.routing.delete(msg.conversationId);
          s.lastAssigned = msg.agentId;
          if (member) {
            member.lastAssignedAt = dir.deps.clock.now();
            member.assignedInWindow++;
          }
          const decision = r.decisions[r.decisions.length - 1]!;
          log.debug({ department: departmentId, conversationId: msg.conversationId, decision }, 'assigned');
          runtime.tell(dir.conversationRef(msg.conversationId), {
            type: 'assign',
            agentId: msg.agentId,
            agentName: member?.name ?? msg.agentId,
            department: departmentId,
            policy: decision.policy,
          });
          return;
        }
      }
    },
  };
}

export type DepartmentRef = Ref<DepartmentMsg>;
