/**
 * The port through which routing reports what operators graph (OPS-4),
 * without actors knowing Prometheus. Labels are bounded: departments and
 * policies come from configuration, never a conversation or visitor id.
 */
export interface RoutingMetrics {
  /** A department's offer was accepted: the conversation is being assigned after `waitMs` in its queue (0 if it never queued). */
  assigned(department: string, policy: string, waitMs: number): void;
  /** Conversations waiting in a department's queue, line and left messages together. */
  queueLength(department: string, length: number): void;
}

export const noRoutingMetrics: RoutingMetrics = { assigned() {}, queueLength() {} };
