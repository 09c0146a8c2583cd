/**
 * Queue actor: the conversations waiting for an agent of one department, in
 * priority-with-aging order (QUEUE-1..3, routing/queue-order.ts). A place
 * (ticket, arrival, priority) is handed out once, on first entry, and stored
 * with the conversation, so the order survives restarts and a conversation
 * that goes back into the queue (a refused offer) keeps its place. Each
 * waiting customer is told their position and an estimated wait whenever
 * either changes.
 *
 * Customers beyond the maximum length (QUEUE-4) are offered to leave a
 * message and wait in a backlog behind the live line: they get no position,
 * do not count against the maximum length, and are answered when capacity is
 * left over. Those told that nobody is online or that the team is closed
 * (QUEUE-4, QUEUE-6) keep their place in line: it is the line that stands
 * still, and they are served in order when the team is back.
 *
 * The queue owns waiting time, so it runs the timers of waiting: widening
 * steps (ROUTE-18), the end of a wait for the customer's last agent
 * (ROUTE-9), and overflow to a fallback department (ROUTE-15).
 */
import type { Behavior, Ref } from '../runtime.js';
import type { TimerHandle } from '../clock.js';
import type { Candidate } from '../routing/decision.js';
import type { DepartmentMsg } from '../department/messages.js';
import { screen } from '../routing/eligibility.js';
import { needsAfterWait, wideningPoints } from '../routing/widening.js';
import { clampPriority, compareQueued } from '../routing/queue-order.js';
import { defaultConversationNeeds, type BacklogReason } from '../routing/needs.js';
import type { QueueEntry, QueueMsg, WaitingSummary } from './messages.js';
import type { QueuePorts } from './ports.js';

interface State {
  entries: QueueEntry[];
  /** Left messages of customers who found the line full (QUEUE-4), in queue order, served after the live line. */
  backlog: QueueEntry[];
  nextTicket: number;
  /** Smoothed interval between departures from the queue, ms; drives the wait estimate. */
  departureIntervalMs: number;
  lastDepartureAt: number | undefined;
  /** Position last told to each waiting conversation, to push only changes. */
  told: Map<string, { position: number; wait: number }>;
  timer: TimerHandle | undefined;
  timerAt: number;
  /** Connections following the list (ROUTE-12 in the console), and when they were last sent it. */
  watchers: Set<number>;
  updateSentAt: number;
  updateTimer: TimerHandle | undefined;
}

/** Assumed interval between departures until one has been observed. */
const DEFAULT_DEPARTURE_MS = 60_000;
const SMOOTHING = 0.2;
/** A busy line changes many times a second; its watchers get at most one list per this many ms. */
const UPDATE_INTERVAL_MS = 250;

export function queueBehavior(
  ports: QueuePorts,
  departmentId: string,
  initial: readonly QueueEntry[],
): Behavior<State, QueueMsg> {
  const { runtime, notifier, clock } = ports;
  let self: Ref<QueueMsg>;
  const config = () => ports.config();

  const insert = (list: QueueEntry[], e: QueueEntry): void => {
    let i = list.length;
    while (i > 0 && compareQueued(list[i - 1]!.place, e.place) > 0) i--;
    list.splice(i, 0, e);
  };

  const tell = (s: State, e: QueueEntry, position: number, force: boolean): void => {
    const wait = Math.round((position * s.departureIntervalMs) / 1000);
    const before = s.told.get(e.conversationId);
    if (!force && before && before.position === position && before.wait === wait) return;
    s.told.set(e.conversationId, { position, wait });
    notifier.send(
      { kind: 'visitor', id: e.visitorId },
      { type: 'queue_position', conversationId: e.conversationId, position, estimatedWaitSeconds: wait },
    );
  };

  /** The line as the department monitor sees it (MON-1); the oldest entry by arrival, whatever its place. */
  const report = (s: State): void => {
    let oldest: number | undefined;
    for (const e of s.entries) if (oldest === undefined || e.place.enqueuedAt < oldest) oldest = e.place.enqueuedAt;
    for (const e of s.backlog) if (oldest === undefined || e.place.enqueuedAt < oldest) oldest = e.place.enqueuedAt;
    ports.report({
      department: departmentId,
      length: s.entries.length,
      backlog: s.backlog.length,
      oldestQueuedAt: oldest,
    });
  };

  const summary = (e: QueueEntry, position: number | undefined): WaitingSummary => ({
    conversationId: e.conversationId,
    ...(position !== undefined ? { position } : {}),
    waitingSince: e.place.enqueuedAt,
    priority: e.place.priority,
    skills: e.needs.skills,
    ...(e.backlog ? { backlog: e.backlog } : {}),
  });
  const waiting = (s: State): WaitingSummary[] => [
    ...s.entries.map((e, i) => summary(e, i + 1)),
    ...s.backlog.map((e) => summary(e, undefined)),
  ];

  /** The list to every watcher now; a watcher whose connection is gone is dropped. */
  const sendUpdate = (s: State): void => {
    s.updateTimer = undefined;
    s.updateSentAt = clock.now();
    const frame = { type: 'queue_update', department: departmentId, waiting: waiting(s) } as const;
    for (const id of s.watchers) if (!notifier.send({ kind: 'connection', id }, frame)) s.watchers.delete(id);
  };

  /** The first change goes out at once; those that follow within the interval go together at its end. */
  const scheduleUpdate = (s: State): void => {
    if (s.watchers.size === 0 || s.updateTimer) return;
    const wait = s.updateSentAt + UPDATE_INTERVAL_MS - clock.now();
    if (wait <= 0) return sendUpdate(s);
    s.updateTimer = clock.setTimer(wait, () => runtime.tell(self, { type: 'sendUpdate' }));
  };

  const publish = (s: State): void => {
    for (const [i, e] of s.entries.entries()) tell(s, e, i + 1, false);
    ports.metrics?.queueLength(departmentId, s.entries.length + s.backlog.length);
    report(s);
    scheduleUpdate(s);
  };

  /** The next moment something about this entry changes by waiting alone, or undefined. */
  const nextPoint = (e: QueueEntry, now: number): number | undefined => {
    let next: number | undefined;
    const consider = (at: number): void => {
      if (at > now && (next === undefined || at < next)) next = at;
    };
    for (const p of wideningPoints(config()?.widening)) consider(e.place.enqueuedAt + p);
    if (e.stickyUntil !== undefined) consider(e.stickyUntil);
    return next;
  };

  /** Keeps one timer, at the earliest point of any waiting entry. */
  const arm = (s: State, at: number | undefined): void => {
    if (at === undefined || (s.timer && s.timerAt <= at)) return;
    s.timer?.cancel();
    s.timerAt = at;
    s.timer = clock.setTimer(Math.max(0, at - clock.now()), () => runtime.tell(self, { type: 'tick' }));
  };

  const rearm = (s: State): void => {
    s.timer?.cancel();
    s.timer = undefined;
    const now = clock.now();
    let at: number | undefined;
    for (const e of [...s.entries, ...s.backlog]) {
      const p = nextPoint(e, now);
      if (p !== undefined && (at === undefined || p < at)) at = p;
    }
    arm(s, at);
  };

  /** Whether one of the free agents may take this entry now. */
  const placeable = (e: QueueEntry, free: readonly Candidate[], now: number): boolean => {
    let pool = e.exclude?.length ? free.filter((c) => !e.exclude!.includes(c.agentId)) : free;
    if (e.stickyAgent !== undefined && e.stickyUntil !== undefined && now < e.stickyUntil)
      pool = pool.filter((c) => c.agentId === e.stickyAgent);
    if (pool.length === 0) return false;
    const needs = needsAfterWait(e.needs, now - e.place.enqueuedAt, config()?.widening);
    return screen(pool, needs, { tried: new Set() }).eligible.length > 0;
  };

  const drop = (s: State, conversationId: string): QueueEntry | undefined => {
    for (const list of [s.entries, s.backlog]) {
      const i = list.findIndex((e) => e.conversationId === conversationId);
      if (i >= 0) {
        s.told.delete(conversationId);
        return list.splice(i, 1)[0];
      }
    }
    return undefined;
  };

  const toDepartment = (msg: DepartmentMsg): void => {
    const dept = ports.department(departmentId);
    if (dept) runtime.tell(dept, msg);
  };

  return {
    init: (ctx) => {
      self = ctx.self;
      const s: State = {
        entries: [],
        backlog: [],
        nextTicket: 1,
        departureIntervalMs: DEFAULT_DEPARTURE_MS,
        lastDepartureAt: undefined,
        told: new Map(),
        timer: undefined,
        timerAt: 0,
        watchers: new Set(),
        updateSentAt: Number.NEGATIVE_INFINITY,
        updateTimer: undefined,
      };
      for (const e of initial) {
        insert(e.backlog === 'queue_full' ? s.backlog : s.entries, e);
        s.nextTicket = Math.max(s.nextTicket, e.place.ticket + 1);
      }
      ports.metrics?.queueLength(departmentId, s.entries.length + s.backlog.length);
      report(s);
      rearm(s);
      return s;
    },
    receive(s, msg) {
      switch (msg.type) {
        case 'enqueue': {
          const needs = msg.needs ?? defaultConversationNeeds;
          const place = msg.place ?? {
            ticket: s.nextTicket++,
            enqueuedAt: clock.now(),
            priority: clampPriority(needs.priority),
          };
          s.nextTicket = Math.max(s.nextTicket, place.ticket + 1);
          if (
            s.entries.some((e) => e.conversationId === msg.conversationId) ||
            s.backlog.some((e) => e.conversationId === msg.conversationId)
          ) {
            // Already waiting: the department counted it once too often.
            toDepartment({ type: 'dequeued' });
            return;
          }
          const max = config()?.maxQueueLength;
          // A conversation coming back keeps its place in line, even if the line has filled meanwhile.
          const full = msg.place === undefined && max !== undefined && s.entries.length >= max;
          const backlog: BacklogReason | undefined = full ? 'queue_full' : msg.backlog;
          const entry: QueueEntry = {
            conversationId: msg.conversationId,
            visitorId: msg.visitorId,
            place,
            needs,
            ...(msg.exclude?.length ? { exclude: msg.exclude } : {}),
            ...(msg.stickyAgent !== undefined && msg.stickyUntil !== undefined
              ? { stickyAgent: msg.stickyAgent, stickyUntil: msg.stickyUntil }
              : {}),
            ...(backlog ? { backlog } : {}),
          };
          insert(backlog === 'queue_full' ? s.backlog : s.entries, entry);
          // Also for a kept place: the conversation may have left `queued` meanwhile (unassigned), and it
          // must learn it waits again, or answer that it no longer does.
          const position = backlog === 'queue_full' ? undefined : s.entries.indexOf(entry) + 1;
          ports.queued(msg.conversationId, {
            department: departmentId,
            place,
            ...(backlog ? { backlog } : {}),
            ...(position ? { position } : {}),
          });
          arm(s, nextPoint(entry, clock.now()));
          publish(s);
          return;
        }
        case 'pull': {
          const now = clock.now();
          const taken: QueueEntry[] = [];
          const take = (list: QueueEntry[]): QueueEntry[] =>
            list.filter((e) => {
              if (taken.length < msg.slots && placeable(e, msg.free, now)) {
                taken.push(e);
                return false;
              }
              return true;
            });
          s.entries = take(s.entries);
          if (taken.length < msg.slots) s.backlog = take(s.backlog);
          if (taken.length < msg.slots)
            toDepartment({ type: 'pullShort', short: msg.slots - taken.length, asked: msg.slots });
          if (taken.length === 0) return;
          if (s.lastDepartureAt !== undefined) {
            const gap = (now - s.lastDepartureAt) / taken.length;
            s.departureIntervalMs = (1 - SMOOTHING) * s.departureIntervalMs + SMOOTHING * gap;
          }
          s.lastDepartureAt = now;
          for (const e of taken) {
            s.told.delete(e.conversationId);
            const { place, needs, ...rest } = e;
            toDepartment({ type: 'route', ...rest, place, needs, fromQueue: true });
          }
          publish(s);
          return;
        }
        case 'remove': {
          // Already pulled if absent: the department's assign finds it resolved and frees the slot.
          if (!drop(s, msg.conversationId)) return;
          toDepartment({ type: 'dequeued' });
          publish(s);
          return;
        }
        case 'remind': {
          const i = s.entries.findIndex((e) => e.conversationId === msg.conversationId);
          if (i >= 0) tell(s, s.entries[i]!, i + 1, true);
          return;
        }
        case 'list': {
          msg.reply({ department: departmentId, waiting: waiting(s) });
          if (msg.watch !== undefined) s.watchers.add(msg.watch);
          return;
        }
        case 'sendUpdate': {
          if (s.updateTimer) sendUpdate(s);
          return;
        }
        case 'unwatch': {
          s.watchers.delete(msg.connectionId);
          if (s.watchers.size === 0) {
            s.updateTimer?.cancel();
            s.updateTimer = undefined;
          }
          return;
        }
        case 'preview': {
          const max = config()?.maxQueueLength;
          const base = { length: s.entries.length, ...(max !== undefined ? { maxLength: max } : {}) };
          if (max !== undefined && s.entries.length >= max) return msg.reply({ ...base, backlog: 'queue_full' });
          // A newcomer's ticket is the highest: it goes behind every entry whose key is not later than its own.
          const place = { ticket: s.nextTicket, enqueuedAt: clock.now(), priority: clampPriority(msg.priority) };
          const position = s.entries.filter((e) => compareQueued(e.place, place) < 0).length + 1;
          msg.reply({ ...base, position, estimatedWaitSeconds: Math.round((position * s.departureIntervalMs) / 1000) });
          return;
        }
        case 'tick': {
          s.timer = undefined;
          const widening = config()?.widening;
          const to = widening?.overflowTo;
          if (
            to !== undefined &&
            widening?.overflowAfterSec !== undefined &&
            to !== departmentId &&
            ports.department(to)
          ) {
            // ROUTE-15: the last widening step moves long waiters to the fallback department.
            const limit = clock.now() - widening.overflowAfterSec * 1000;
            for (const e of [...s.entries, ...s.backlog].filter((e) => e.place.enqueuedAt <= limit)) {
              drop(s, e.conversationId);
              toDepartment({ type: 'dequeued' });
              ports.overflow(e.conversationId, departmentId, to);
            }
          }
          toDepartment({ type: 'recheck' });
          publish(s);
          rearm(s);
          return;
        }
      }
    },
  };
}
