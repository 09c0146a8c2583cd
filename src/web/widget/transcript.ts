/**
 * What the visitor's chat shows, as a pure reducer over the server's events
 * (no DOM, no socket): the transcript in seq order with each seq at most
 * once (a replayed event is dropped, so a resume that overlaps what is shown
 * repeats nothing), the messages still on their way (by clientMsgId), the
 * routing state, the agent's name, typing and both read marks.
 */
import type { ConversationEvent, QueuedEvent, FileRef, Participant, ServerFrame } from '../../../protocol/frames.js';
import { ConversationEventTypes } from '../../../protocol/conversation-event-types.js';

/** Why an upload failed, as the widget words it (upload.ts). */
import type { UploadProblem } from '../shared/upload-problem.js';

export type { UploadProblem };

export type ConversationStatus = 'none' | 'new' | 'queued' | 'assigned' | 'resolved';

export interface Line {
  seq: number;
  at: number;
  from: Participant['role'];
  text?: string;
  file?: FileRef;
  clientMsgId?: string;
  auto?: string;
  /** A notice the widget words itself, from an event no automatic message covers (a supervisor who leaves). */
  notice?: { key: 'parted'; name: string };
}

export interface Outgoing {
  clientMsgId: string;
  text: string;
  failed?: string;
  /** CONV-1: a file on its way: uploaded (with `progress` 0…1), then sent with its `fileRef`. */
  file?: Blob & { name: string };
  progress?: number;
  fileRef?: FileRef;
  /** Why the upload failed (the widget's words for it). */
  problem?: UploadProblem;
}

export interface ChatState {
  conversationId?: string;
  status: ConversationStatus;
  lines: Line[];
  /** Highest seq shown. */
  lastSeq: number;
  outbox: Outgoing[];
  agent?: { id: string; name: string };
  queue?: { position: number; waitSeconds: number };
  /** Why nobody answers soon (QUEUE-4/6), from the last `queued`. */
  backlog?: NonNullable<QueuedEvent['reason']>;
  agentTyping: boolean;
  /** The agent side's read mark: visitor messages up to it are read. */
  agentRead: number;
  /** The visitor side's read mark. */
  visitorRead: number;
  rated?: number;
}

export const emptyChat: ChatState = {
  status: 'none',
  lines: [],
  lastSeq: 0,
  outbox: [],
  agentTyping: false,
  agentRead: 0,
  visitorRead: 0,
};

const conversationEventTypes: ReadonlySet<string> = new Set(ConversationEventTypes);

/** Journal events (with their own seq); a transient `read` carries a seq too, but a read mark's. */
function isConversationEvent(e: ServerFrame): e is ConversationEvent {
  return conversationEventTypes.has(e.type);
}

/** Applies one server event; returns the same object when it changes nothing. */
export function applyEvent(s: ChatState, e: ServerFrame): ChatState {
  if (!('conversationId' in e) || (s.conversationId !== undefined && e.conversationId !== s.conversationId)) return s;
  if (isConversationEvent(e)) return applyConversationEvent(s, e);
  switch (e.type) {
    case 'queue_position':
      return { ...s, queue: { position: e.position, waitSeconds: e.estimatedWaitSeconds } };
    case 'typing':
      return e.from.role === 'agent' ? { ...s, agentTyping: e.typing } : s;
    case 'read':
      return e.by.role === 'agent' && e.seq > s.agentRead ? { ...s, agentRead: e.seq } : s;
    default:
      return s;
  }
}

function applyConversationEvent(s: ChatState, e: ConversationEvent): ChatState {
  // The widget resumes from the highest seq it shows and live events follow in order: anything at or below it is a repeat.
  if (e.seq <= s.lastSeq) return s;
  const next: ChatState = { ...s, conversationId: e.conversationId, lastSeq: Math.max(s.lastSeq, e.seq) };
  switch (e.type) {
    case 'created':
      next.status = s.status === 'none' ? 'new' : s.status;
      break;
    case 'message': {
      const line: Line = { seq: e.seq, at: e.at, from: e.from.role };
      if (e.text !== undefined) line.text = e.text;
      if (e.file) line.file = e.file;
      if (e.clientMsgId !== undefined) line.clientMsgId = e.clientMsgId;
      if (e.auto !== undefined) line.auto = e.auto;
      next.lines = [...s.lines, line];
      if (e.from.role === 'visitor' && e.clientMsgId !== undefined)
        next.outbox = s.outbox.filter((o) => o.clientMsgId !== e.clientMsgId);
      if (e.from.role === 'agent') next.agentTyping = false;
      break;
    }
    case 'queued':
      next.status = 'queued';
      if (e.reason) next.backlog = e.reason;
      else delete next.backlog;
      break;
    case 'assigned':
      next.status = 'assigned';
      next.agent = e.agent;
      delete next.queue;
      delete next.backlog;
      break;
    case 'unassigned':
    case 'transferred':
      next.status = 'queued';
      next.agentTyping = false;
      delete next.agent;
      break;
    case 'resolved':
      next.status = 'resolved';
      next.agentTyping = false;
      delete next.queue;
      delete next.backlog;
      break;
    case 'parted':
      next.lines = [
        ...s.lines,
        { seq: e.seq, at: e.at, from: 'system', notice: { key: 'parted', name: e.staff.name } },
      ];
      break;
    case 'reopened':
      next.status = 'new';
      delete next.rated;
      break;
    default:
      break;
  }
  return next;
}

/** Messages from the team (agent or automatic) after the visitor's read mark. */
export function unreadCount(s: ChatState): number {
  return s.lines.filter((l) => l.from !== 'visitor' && !l.notice && l.seq > s.visitorRead).length;
}

/** The survey is offered by the `survey` automatic message after a resolve, until answered. */
export function surveyOpen(s: ChatState): boolean {
  return s.status === 'resolved' && s.rated === undefined && s.lines.some((l) => l.auto === 'survey');
}
