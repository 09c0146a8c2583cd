/**
 * Queue actor: the conversations waiting for an agent of one department, in
 * priority-with-aging order (QUEUE-1..3, routing/queue-order.ts). A place
 * (ticket, arrival, priority) is handed out once, on first entry, and stored
 * with the conversation, so the order survives restarts and a conversation
 * that goes back into the queue (a refused offer) keeps its place. Each waiting customer is told their position and an estimated wait
 * whenever either changes.
 */
import type { Behavior, Ref } from './runtime.js';
import type { Directory } from './directory.js';
import { clampPriority, compareQueued, type QueuedItem } from './routing/queue-order.js';

export interface QueueEntry {
  conversationId: string;
  visitorId: string;
  place: QueuedItem;
  /** Agents this conversation must not be offered to again (ROUTE-13). */
  exclude?: readonly string[];
}

export type QueueMsg =
  /** Add a conversation; `place` given when it was queued before (it keeps it), else `priority` for a new one. */
  | { type: 'enqueue'; conversationId: string; visitorId: string; place?: QueuedItem; priority?: number; exclude?: readonly string[] }
  /** The department has `slots` free among agents `free`: hand back up to that many, in order, skipping any that exclude all of them. */
  | { type: 'pull'; slots: number; free: readonly string[] }
  /** The conversation ended while waiting (QUEUE-5): drop it; the others move up. */
  | { type: 'remove'; conversationId: string }
  /** Tell a waiting customer their position again (they reconnected). */
  | { type: 'remind'; conversationId: string };

interface State {
  entries: QueueEntry[];
  nextTicket: number;
  /** Smoothed interval between departures from the queue, ms; drives the wait estimate. */
  departureIntervalMs: number;
  lastDepartureAt: number | undefined;
  /** Position last told to each waiting conversation, to push only changes. */
  told: Map<string, { position: number; wait: number }>;
}

/** Assumed interval between departures until one has been observed. */
const DEFAULT_DEPARTURE_MS = 60_000;
const SMOOTHING = 0.2;

export function queueBehavior(dir: Directory, departmentId: string, initial: readonly QueueEntry[]): Behavior<State, QueueMsg> {
  const { runtime, notifier, clock } = dir.deps;

  /** Inserts in queue order; the caller has made sure the conversation is not in the queue yet. */
  const insert = (s: State, e: QueueEntry): void => {
    let i = s.entries.length;
    while (i > 0 && compareQueued(s.entries[i - 1]!.place, e.place) > 0) i--;
    s.entries.splice(i, 0, e);
  };

  const tell = (s: State, e: QueueEntry, position: number, force: boolean): void => {
    const wait = Math.round((position * s.departureIntervalMs) / 1000);
    const before = s.told.get(e.conversationId);
    if (!force && before && before.position === position && before.wait === wait) return;
    s.told.set(e.conversationId, { position, wait });
    notifier.send({ kind: 'visitor', id: e.visitorId }, { type: 'queue_position', conversationId: e.conversationId, position, estimatedWaitSeconds: wait });
  };

  const publish = (s: State): void => {
    s.entries.forEach((e, i) => tell(s, e, i + 1, false));
  };

  return {
    init: () => {
      const entries = [...initial].sort((a, b) => compareQueued(a.place, b.place));
      return {
        entries,
        nextTicket: entries.reduce((m, e) => Math.max(m, e.place.ticket + 1), 1),
        departureIntervalMs: DEFAULT_DEPARTURE_MS,
        lastDepartureAt: undefined,
        told: new Map(),
      };
    },
    receive(s, msg) {
      switch (msg.type) {
        case 'enqueue': {
          const place = msg.place ?? { ticket: s.nextTicket++, enqueuedAt: clock.now(), priority: clampPriority(msg.priority ?? 0) };
          s.nextTicket = Math.max(s.nextTicket, place.ticket + 1);
          if (s.entries.some((e) => e.conversationId === msg.conversationId)) {
            // Already waiting: the department counted it once too often.
            const dept = dir.department(departmentId);
            if (dept) runtime.tell(dept, { type: 'dequeued' });
            return;
          }
          insert(s, { conversationId: msg.conversationId, visitorId: msg.visitorId, place, ...(msg.exclude ? { exclude: msg.exclude } : {}) });
          // Also for a kept place: the conversation may have left `queued` meanwhile (unassigned), and it
          // must learn it waits again, or answer that it no longer does.
          runtime.tell(dir.conversationRef(msg.conversationId), { type: 'queued', place });
          publish(s);
          return;
        }
        case 'pull': {
          const taken: QueueEntry[] = [];
          s.entries = s.entries.filter((e) => {
            const placeable = !e.exclude || msg.free.some((a) => !e.exclude!.includes(a));
            if (taken.length < msg.slots && placeable) {
              taken.push(e);
              return false;
            }
            return true;
          });
          if (taken.length < msg.slots) {
            const dept = dir.department(departmentId);
            if (dept) runtime.tell(dept, { type: 'pullShort', short: msg.slots - taken.length, asked: msg.slots });
          }
          if (taken.length === 0) return;
          const now = clock.now();
          if (s.lastDepartureAt !== undefined) {
            const gap = (now - s.lastDepartureAt) / taken.length;
            s.departureIntervalMs = (1 - SMOOTHING) * s.departureIntervalMs + SMOOTHING * gap;
          }
          s.lastDepartureAt = now;
          const dept = dir.department(departmentId);
          for (const e of taken) {
            s.told.delete(e.conversationId);
            if (dept) runtime.tell(dept, { type: 'route', conversationId: e.conversationId, visitorId: e.visitorId, place: e.place, fromQueue: true, ...(e.exclude ? { exclude: e.exclude } : {}) });
          }
          publish(s);
          return;
        }
        case 'remove': {
          const i = s.entries.findIndex((e) => e.conversationId === msg.conversationId);
          if (i < 0) return; // already pulled: the department's assign finds it resolved and frees the slot
          s.entries.splice(i, 1);
          s.told.delete(msg.conversationId);
          const dept = dir.department(departmentId);
          if (dept) runtime.tell(dept, { type: 'dequeued' });
          publish(s);
          return;
        }
        case 'remind': {
          const i = s.entries.findIndex((e) => e.conversationId === msg.conversationId);
          if (i >= 0) tell(s, s.entries[i]!, i + 1, true);
          return;
        }
      }
    },
  };
}

export type QueueRef = Ref<QueueMsg>;
