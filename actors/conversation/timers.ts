/**
 * A conversation's timers: the assigned agent's response time (ROUTE-13)
 * and the customer's inactivity (CONV-5). Each tells the actor itself when
 * it runs out; real or virtual clock. What they run out into is handled
 * where the concern lives (assignment.ts, lifecycle.ts).
 */
import type { Ref } from '../runtime.js';
import type { ConversationMsg } from './messages.js';
import type { ConversationPorts } from './ports.js';
import type { State } from './actor-state.js';
import type { Handlers } from './context.js';

type TimerPorts = Pick<ConversationPorts, 'clock' | 'runtime' | 'settings'>;

export function armResponseTimer(ports: TimerPorts, self: Ref<ConversationMsg>, s: State): void {
  s.responseTimer?.cancel();
  s.responseTimer = undefined;
  const seconds = ports.settings().department(s.department)?.responseTimeoutSec;
  if (!seconds || !s.awaitingReply || !s.agentId) return;
  const agentId = s.agentId;
  const assignedSeq = s.assignedSeq;
  // From the assignment, not from now: after a restart the agent gets no extra time.
  const left = Math.max(0, s.assignedAt + seconds * 1000 - ports.clock.now());
  s.responseTimer = ports.clock.setTimer(left, () =>
    ports.runtime.tell(self, { type: 'responseTimeout', agentId, assignedSeq }),
  );
}

/** CONV-5: the customer has been quiet since the later of their last message and the assignment. */
export const autoCloseDue = (s: State, minutes: number): number =>
  Math.max(s.lastVisitorAt, s.assignedAt) + minutes * 60_000;

/** CONV-5: armed while assigned; counts from the later of the customer's last message and the assignment. */
export function armAutoClose(ports: TimerPorts, self: Ref<ConversationMsg>, s: State): void {
  s.autoCloseTimer?.cancel();
  s.autoCloseTimer = undefined;
  const minutes = ports.settings().workspace.autoCloseAfterMin;
  if (!minutes || s.status !== 'assigned') return;
  s.autoCloseTimer = ports.clock.setTimer(Math.max(0, autoCloseDue(s, minutes) - ports.clock.now()), () =>
    ports.runtime.tell(self, { type: 'autoClose' }),
  );
}

/** Stops the timers of an assignment that ends. */
export function stopTimers(s: State): void {
  s.responseTimer?.cancel();
  s.responseTimer = undefined;
  s.autoCloseTimer?.cancel();
  s.autoCloseTimer = undefined;
}

export const timerHandlers = {
  /** After a restart: the timers of an assignment run again, from when they started. */
  rearm(cx, s) {
    armResponseTimer(cx.ports, cx.self, s);
    armAutoClose(cx.ports, cx.self, s);
  },
} satisfies Partial<Handlers>;
