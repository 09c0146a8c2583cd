/**
 * What a queue actor needs: the waiting customers' sockets, timers, its
 * department's settings as last published, its department (to report to),
 * whether an overflow target runs, and the conversations it tells where
 * they stand.
 */
import type { Deps } from '../deps.js';
import type { Ref, Runtime } from '../runtime.js';
import type { QueuedItem } from '../routing/queue-order.js';
import type { BacklogReason } from '../routing/needs.js';
import type { DepartmentMsg } from '../department/messages.js';
import type { DepartmentRecord } from '../department/records.js';
import type { QueueReport } from '../floor/messages.js';

/** What a conversation learns when it enters the queue: its place, and why it waits if it waits as a left message. */
export interface Queued {
  department: string;
  place: QueuedItem;
  backlog?: BacklogReason;
  position?: number;
}

export interface QueuePorts extends Pick<Deps, 'notifier' | 'clock' | 'metrics'> {
  readonly runtime: Pick<Runtime, 'tell'>;
  /** This queue's department's settings as published now. */
  config(): DepartmentRecord | undefined;
  /** A running department: this queue's own, or an overflow target (ROUTE-15). */
  department(id: string): Ref<DepartmentMsg> | undefined;
  queued(conversationId: string, queued: Queued): void;
  /** ROUTE-15: the conversation waited too long and moves to `to`'s queue. */
  overflow(conversationId: string, from: string, to: string): void;
  /** MON-1: the line's length and oldest entry, for the department monitor. */
  report(report: QueueReport): void;
}
