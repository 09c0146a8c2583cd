/** Transient events (no seq): queue places, status, offers, notices, handovers, notes, typing and read marks. */
import { Type, type Static } from '@sinclair/typebox';
import { AgentStatus, ConversationId, DepartmentId, Participant, StaffRef, VisitorId } from './common.js';
import { NoticeCodes, literals } from '../vocabulary.js';

export const QueuePositionEvent = Type.Object(
  {
    type: Type.Literal('queue_position'),
    conversationId: ConversationId,
    position: Type.Integer({ minimum: 1 }),
    estimatedWaitSeconds: Type.Integer({ minimum: 0 }),
  },
  { description: "Transient (no seq): the waiting customer's place in the queue and an estimated wait." },
);
export type QueuePositionEvent = Static<typeof QueuePositionEvent>;

export const AgentStatusEvent = Type.Object(
  {
    type: Type.Literal('agent_status'),
    agentId: Type.String(),
    status: AgentStatus,
    active: Type.Integer({ minimum: 0 }),
    max: Type.Integer({ minimum: 0 }),
  },
  { description: 'Transient (no seq), to staff: your status and load changed.' },
);
export type AgentStatusEvent = Static<typeof AgentStatusEvent>;

export const OfferEvent = Type.Object(
  {
    type: Type.Literal('offer'),
    conversationId: ConversationId,
    department: DepartmentId,
    visitorId: Type.Optional(VisitorId),
    expiresAt: Type.Integer({
      description: 'Server time (ms) by which to answer with accept or decline; unanswered, the offer is missed.',
    }),
  },
  {
    description:
      'Transient (no seq), to an agent of a department in offer mode (ROUTE-17): a conversation is held for you until you accept or decline it.',
  },
);
export type OfferEvent = Static<typeof OfferEvent>;

export const NoticeEvent = Type.Object(
  {
    type: Type.Literal('notice'),
    conversationId: Type.Optional(ConversationId),
    code: literals(NoticeCodes, {
      description:
        '`response_timeout`: you did not reply in time and the conversation went to another agent (ROUTE-13); `offer_expired`: an offer ran out unanswered (ROUTE-17); `taken_over`: a supervisor took the conversation from you (SUP-3); `reassigned`: a supervisor gave your conversation to someone else (SUP-4); `loan_started` / `loan_ended`: you were lent to the department named in the message (SUP-4).',
    }),
    message: Type.String(),
  },
  {
    description:
      'Transient (no seq), to a staff member: something happened to you, e.g. a conversation was taken from you and why.',
  },
);
export type NoticeEvent = Static<typeof NoticeEvent>;

const TransferInfo = Type.Object({
  n: Type.Integer(),
  at: Type.Integer(),
  by: StaffRef,
  from: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() })),
  fromDepartment: Type.String(),
  to: Type.Union([
    Type.Object({ kind: Type.Literal('agent'), id: Type.String(), name: Type.String(), department: Type.String() }),
    Type.Object({ kind: Type.Literal('department'), department: Type.String() }),
  ]),
  note: Type.String(),
  tags: Type.Array(Type.String()),
  reason: Type.Optional(Type.String()),
});

const NoteInfo = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  at: Type.Integer(),
  author: StaffRef,
  text: Type.String(),
});

export const HandoverEvent = Type.Object(
  {
    type: Type.Literal('handover'),
    conversationId: ConversationId,
    transfer: TransferInfo,
    transfers: Type.Array(TransferInfo, { description: 'The whole chain so far, oldest first (XFER-6).' }),
    notes: Type.Array(NoteInfo, { description: 'Internal notes of this conversation (SUP-5).' }),
    history: Type.Array(Type.Unknown(), {
      description:
        "The conversation's events before the `assigned` that follows live, oldest first: every event when `historyFromSeq` is 1; otherwise the most recent page (resume from 0 for the rest).",
    }),
    historyFromSeq: Type.Integer({ minimum: 1 }),
    customer: Type.Optional(Type.Unknown()),
  },
  {
    description:
      'Transient (no seq), to the agent receiving a transferred conversation (XFER-4), just before the `assigned` event: the transfer note, the chain, the notes and the history, so nobody asks the customer again.',
  },
);
export type HandoverEvent = Static<typeof HandoverEvent>;

export const NoteEvent = Type.Object(
  { type: Type.Literal('note'), conversationId: ConversationId, note: NoteInfo },
  { description: 'Transient (no seq), to staff following the conversation only: an internal note was added (SUP-5).' },
);
export type NoteEvent = Static<typeof NoteEvent>;

export const TypingEvent = Type.Object(
  { type: Type.Literal('typing'), conversationId: ConversationId, from: Participant, typing: Type.Boolean() },
  {
    description:
      "Transient (no seq), to the conversation's other followers: a writer started or stopped typing (CONV-2).",
  },
);
export type TypingEvent = Static<typeof TypingEvent>;

export const ReadEvent = Type.Object(
  { type: Type.Literal('read'), conversationId: ConversationId, by: Participant, seq: Type.Integer({ minimum: 1 }) },
  {
    description:
      'Transient (no seq), to the followers of the other side: the visitor (or the agent side) has read up to seq (CONV-2).',
  },
);
export type ReadEvent = Static<typeof ReadEvent>;
