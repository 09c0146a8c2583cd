/**
 * Who may do what with a conversation (CONV-1, SUP-1/2): writers, readers,
 * supervisors; and the same `not_found` for an id that names nothing and
 * one the caller may not see.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { Participant } from '../../protocol/frames.js';
import type { Caller } from '../notifier.js';
import type { StaffRef } from '../agent/records.js';
import type { ConversationView } from './state.js';

type Who = Pick<Caller, 'role' | 'id' | 'departments'>;
type Seen = Pick<ConversationView, 'visitorId' | 'agentId' | 'joined' | 'department'>;

export const SYSTEM: Participant = { role: 'system', id: 'system' };

/** The same answer for an id that names nothing and one the caller may not see. */
export const notFound = (): ProtocolError => new ProtocolError('not_found', 'no such conversation', 'conversationId');

/** Writers: the conversation's visitor, its assigned agent and staff who joined it (SUP-2). */
export const isParticipant = (s: Seen, c: Who): boolean =>
  c.role === 'visitor' ? c.id === s.visitorId : c.id === s.agentId || s.joined.some((j) => j.id === c.id);

/** SUP-*: supervisors of the conversation's department, and admins. */
export const canSupervise = (s: Seen, c: Who): boolean =>
  c.role === 'admin' || (c.role === 'supervisor' && (c.departments?.includes(s.department) ?? false));

/** Readers: participants, plus supervisors of the conversation's department and admins (SUP-1). */
export const canRead = (s: Seen, c: Who): boolean => isParticipant(s, c) || canSupervise(s, c);

export const staffRefOf = (c: Caller): StaffRef => ({
  id: c.id,
  name: c.name ?? c.id,
  role: c.role === 'visitor' ? 'agent' : c.role,
});

export const participantOf = (c: Caller): Participant => ({
  role: c.role === 'visitor' ? 'visitor' : 'agent',
  id: c.id,
});
