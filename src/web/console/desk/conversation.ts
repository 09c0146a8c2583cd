/**
 * One conversation as the desk holds it: its events by seq (so a replay and
 * a live event of the same seq are one entry: nothing shows twice, OPS-2),
 * the read marks of both sides, the customer's typing, the internal notes
 * and transfer notes (staff only, drawn apart, SUP-5), and the messages the
 * agent wrote that the server has not acknowledged yet.
 */
import type { AgentStatus, ServerFrame } from '../../../../protocol/frames.js';
import type { EventOf } from '../session.js';

/** The journal events (the transient `read` carries a seq too, of what was read). */
export type SeqEvent = Exclude<Extract<ServerFrame, { seq: number; conversationId: string }>, { type: 'read' }>;
export type NoteInfo = EventOf<'note'>['note'];
export type TransferInfo = EventOf<'handover'>['transfer'];
export type Status = 'new' | 'queued' | 'assigned' | 'resolved';

export interface Outgoing {
  clientMsgId: string;
  text?: string;
  fileId?: string;
  /** An upload in progress (0–1) before the message can be sent. */
  progress?: number;
  problem?: string;
  fileName?: string;
}

export interface Conversation {
  id: string;
  events: Map<number, SeqEvent>;
  lastSeq: number;
  status: Status;
  department?: string;
  visitorId?: string;
  /** Assigned to this staff member now. */
  mine: boolean;
  read: { visitor: number; agent: number };
  typing: boolean;
  notes: NoteInfo[];
  transfers: TransferInfo[];
  /** The whole history is held (a resume reached its end, or the handover started at seq 1). */
  complete: boolean;
  pending: Outgoing[];
  resolvedAt?: number;
  summary?: string;
}

export const newConversation = (id: string): Conversation => ({
  id,
  events: new Map(),
  lastSeq: 0,
  status: 'new',
  mine: false,
  read: { visitor: 0, agent: 0 },
  typing: false,
  notes: [],
  transfers: [],
  complete: false,
  pending: [],
});

/** Adds an event once; returns false when that seq is held already. */
export function addEvent(c: Conversation, e: SeqEvent, me: string): boolean {
  if (c.events.has(e.seq)) return false;
  c.events.set(e.seq, e);
  if (e.seq > c.lastSeq) c.lastSeq = e.seq;
  const latest = e.seq === c.lastSeq;
  switch (e.type) {
    case 'created':
      c.visitorId = e.visitorId;
      c.department ??= e.department;
      break;
    case 'assigned':
      c.department = e.department;
      if (latest) {
        c.status = 'assigned';
        c.mine = e.agent.id === me;
      }
      break;
    case 'queued':
      c.department = e.department;
      if (latest) c.status = 'queued';
      break;
    case 'resolved':
      if (latest) c.status = 'resolved';
      c.resolvedAt = e.at;
      if (e.summary !== undefined) c.summary = e.summary;
      break;
    case 'reopened':
      if (latest) c.status = 'new';
      break;
    case 'transferred':
      if (latest && e.from?.id === me) c.mine = false;
      break;
    case 'unassigned':
      if (latest && e.agent.id === me) c.mine = false;
      break;
    case 'message':
      if (e.from.role === 'visitor') c.typing = false;
      if (e.from.role === 'agent' && e.from.id === me && e.clientMsgId)
        c.pending = c.pending.filter((p) => p.clientMsgId !== e.clientMsgId);
      break;
  }
  return true;
}

export const ordered = (c: Conversation): SeqEvent[] => [...c.events.values()].sort((a, b) => a.seq - b.seq);

/** CONV-2: the customer's messages after the agent side's read mark. */
export function unread(c: Conversation): number {
  let n = 0;
  for (const e of c.events.values()) if (e.type === 'message' && e.from.role === 'visitor' && e.seq > c.read.agent) n++;
  return n;
}

export function addNote(c: Conversation, note: NoteInfo): void {
  if (!c.notes.some((n) => n.id === note.id)) c.notes = [...c.notes, note].sort((a, b) => a.at - b.at);
}

export function lastText(c: Conversation): string {
  const all = ordered(c);
  for (let i = all.length - 1; i >= 0; i--) {
    const e = all[i]!;
    if (e.type === 'message' && e.from.role !== 'system') return e.text ?? e.file?.name ?? '';
  }
  return '';
}

export interface Colleague {
  agentId: string;
  name: string;
  status: AgentStatus;
  active: number;
  max: number;
}
