/**
 * The connections that follow a conversation, and fan-out to them. Each
 * follower carries the seq from which it has been sent every event, so a
 * resume never replays what it got live (OPS-2).
 */
import type { ConversationEvent, NoteEvent, ReadEvent, TypingEvent } from '../../protocol/frames.js';
import type { Caller, Notifier } from '../notifier.js';
import type { State } from './actor-state.js';
import { canRead } from './access.js';

/** To every follower (or those `to` accepts); a connection that is gone stops following. */
export function publish(
  notifier: Notifier,
  s: State,
  frame: ConversationEvent | NoteEvent | TypingEvent | ReadEvent,
  to?: (who: { role: Caller['role']; id: string }) => boolean,
): void {
  for (const [connection, who] of s.subscribers) {
    if (to && !to(who)) continue;
    if (!notifier.send({ kind: 'connection', id: connection }, frame)) s.subscribers.delete(connection);
  }
}

/**
 * `from`: the first seq the connection is sent from now on (by default, the
 * next to commit). A connection that follows already keeps its own mark.
 */
export function subscribe(
  s: State,
  c: Pick<Caller, 'role' | 'id' | 'connectionId' | 'departments'>,
  from = s.committedSeq + 1,
): void {
  const current = s.subscribers.get(c.connectionId);
  if (current) {
    current.from = Math.min(current.from, from);
    return;
  }
  // Departments kept, so a supervisor stops following it when it moves out of hers (SUP-1).
  s.subscribers.set(c.connectionId, {
    role: c.role,
    id: c.id,
    ...(c.departments ? { departments: c.departments } : {}),
    from,
  });
}

/** Staff who may no longer read it (it moved to a department they do not lead) stop receiving its events and notes. */
export function dropNonReaders(s: State): void {
  for (const [connection, who] of s.subscribers)
    if (who.role !== 'visitor' && !canRead(s, who)) s.subscribers.delete(connection);
}

/** On assignment the agent's open connections follow the conversation, and a former agent's stop. */
export function subscribeAgent(notifier: Notifier, s: State, agentId: string, assignedSeq: number): void {
  for (const [connection, who] of s.subscribers)
    if (who.role === 'agent' && who.id !== agentId) s.subscribers.delete(connection);
  for (const connection of notifier.connectionsOf({ kind: 'staff', id: agentId })) {
    const from = Math.min(s.subscribers.get(connection)?.from ?? assignedSeq, assignedSeq);
    s.subscribers.set(connection, { role: 'agent', id: agentId, from });
  }
}

/** A handover sent `fromSeq` on to the agent's connections: their resumes replay only what came before it. */
export function markSent(notifier: Notifier, s: State, agentId: string, fromSeq: number): void {
  for (const connection of notifier.connectionsOf({ kind: 'staff', id: agentId })) {
    const follower = s.subscribers.get(connection);
    if (follower) follower.from = Math.min(follower.from, fromSeq);
  }
}
