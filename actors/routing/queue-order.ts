/**
 * QUEUE-2 queue order: higher priority first, then first come first served,
 * and waiting ages a conversation so that a lower priority never starves.
 *
 * Each priority level is worth a fixed amount of waiting (`creditMs`): an
 * entry's key is its arrival time minus priority × creditMs, and the queue
 * is kept in key order (ties: ticket). The key never changes while the
 * entry waits, so the order is stable and cheap to keep, and it gives a
 * documented bound: an entry is never overtaken by one that arrived more
 * than (maxPriority − its priority) × creditMs after it. With the defaults
 * (priorities 0–10, 60 s a level) a priority-0 customer is overtaken only by
 * higher-priority customers arriving within the next 10 minutes.
 */
export interface QueuedItem {
  ticket: number;
  enqueuedAt: number;
  priority: number;
}

export const DEFAULT_PRIORITY_CREDIT_MS = 60_000;
export const MAX_PRIORITY = 10;

export function clampPriority(p: number): number {
  return Math.max(0, Math.min(MAX_PRIORITY, Math.trunc(p)));
}

export function queueKey(item: QueuedItem, creditMs = DEFAULT_PRIORITY_CREDIT_MS): number {
  return item.enqueuedAt - clampPriority(item.priority) * creditMs;
}

/** Negative when `a` is served before `b`. */
export function compareQueued(a: QueuedItem, b: QueuedItem, creditMs = DEFAULT_PRIORITY_CREDIT_MS): number {
  return queueKey(a, creditMs) - queueKey(b, creditMs) || a.ticket - b.ticket;
}
