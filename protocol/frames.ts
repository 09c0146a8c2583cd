/**
 * Every frame of protocol v1 as a TypeBox schema: one source for the
 * TypeScript types, the validators and the JSON Schema in docs/protocol.md.
 * Nothing here imports from actors/ or src/.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Limits } from './limits.js';
import { ErrorCodes } from './errors.js';

const strict = { additionalProperties: false } as const;

/** Command id chosen by the client; echoed in the ack or error that answers it. */
export const CommandId = Type.Union([
  Type.String({ minLength: 1, maxLength: Limits.maxIdLength }),
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
]);
export type CommandId = Static<typeof CommandId>;

const opaqueId = (description: string) =>
  Type.String({ minLength: 1, maxLength: Limits.maxIdLength, pattern: '^[A-Za-z0-9_.:-]+$', description });

export const VisitorId = opaqueId('Kept by the widget like a cookie; identifies the visitor across reconnects.');
export const ConversationId = opaqueId('Server-issued conversation id.');
export const DepartmentId = opaqueId('Department id, e.g. "pre-sales".');
export const ClientMsgId = opaqueId('Chosen by the client per message; a retried send with the same id is stored once.');
export const FileId = opaqueId('Server-issued file id, from the upload answer (POST /v1/files).');
export const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
export const Text = Type.String({ minLength: 1, maxLength: Limits.maxTextLength });
export const AgentStatus = Type.Union([
  Type.Literal('online'),
  Type.Literal('busy'),
  Type.Literal('away'),
  Type.Literal('offline'),
]);
export type AgentStatus = Static<typeof AgentStatus>;

// ---- client → server ------------------------------------------------------

export const HelloFrame = Type.Object(
  {
    type: Type.Literal('hello'),
    id: CommandId,
    visitorId: Type.Optional(VisitorId),
  },
  { ...strict, description: 'Visitor: first frame. Without visitorId the server issues one.' },
);

export const StartFrame = Type.Object(
  {
    type: Type.Literal('start'),
    id: CommandId,
    department: Type.Optional(DepartmentId),
    text: Type.Optional(Text),
    clientMsgId: Type.Optional(ClientMsgId),
  },
  { ...strict, description: 'Visitor: open a conversation (or get the open one back), optionally with a first message.' },
);

export const SendFrame = Type.Object(
  {
    type: Type.Literal('send'),
    id: CommandId,
    conversationId: ConversationId,
    clientMsgId: ClientMsgId,
    text: Type.Optional(Text),
    fileId: Type.Optional(FileId),
  },
  { ...strict, description: 'Visitor or staff: send a chat message: text, a file uploaded to this conversation by the sender (CONV-1), or both.' },
);

export const ResumeFrame = Type.Object(
  {
    type: Type.Literal('resume'),
    id: CommandId,
    conversationId: ConversationId,
    lastSeq: Seq,
  },
  { ...strict, description: 'Visitor or staff: replay every event with seq > lastSeq, then stay subscribed.' },
);

export const LeaveFrame = Type.Object(
  { type: Type.Literal('leave'), id: CommandId, conversationId: ConversationId },
  { ...strict, description: 'Visitor: end the conversation. While still waiting in the queue this counts as abandoned (QUEUE-5).' },
);

export const PingFrame = Type.Object(
  { type: Type.Literal('ping'), id: CommandId },
  { ...strict, description: 'Any client: liveness check, answered by an ack.' },
);

export const SignInFrame = Type.Union(
  [
    Type.Object({ type: Type.Literal('signin'), id: CommandId, token: Type.String({ minLength: 1, maxLength: 200 }) }, strict),
    Type.Object(
      {
        type: Type.Literal('signin'),
        id: CommandId,
        email: Type.String({ minLength: 3, maxLength: 200 }),
        password: Type.String({ minLength: 1, maxLength: 200 }),
      },
      strict,
    ),
  ],
  { description: 'Staff: sign in with a token, or with email and password (when the upgrade carried no token).' },
);

export const StatusFrame = Type.Object(
  { type: Type.Literal('status'), id: CommandId, status: AgentStatus },
  { ...strict, description: 'Staff: set your status.' },
);

export const ResolveFrame = Type.Object(
  {
    type: Type.Literal('resolve'),
    id: CommandId,
    conversationId: ConversationId,
    summary: Type.Optional(Type.String({ maxLength: Limits.maxTextLength })),
  },
  { ...strict, description: 'Staff: mark an assigned conversation resolved, freeing a slot.' },
);

export const ClaimFrame = Type.Object(
  {
    type: Type.Literal('claim'),
    id: CommandId,
    conversationId: ConversationId,
    agentId: Type.Optional(opaqueId('Supervisors (of its department) and admins: the agent to give it to; absent = yourself.')),
  },
  { ...strict, description: 'Staff: take a waiting conversation of one of your departments yourself, or (supervisors, admins) give it to an agent (ROUTE-12).' },
);

export const QueueFrame = Type.Object(
  { type: Type.Literal('queue'), id: CommandId, department: DepartmentId },
  { ...strict, description: 'Staff: the conversations waiting in a department of yours (admins: any), in queue order, to pick from (ROUTE-12).' },
);

export const AcceptFrame = Type.Object(
  { type: Type.Literal('accept'), id: CommandId, conversationId: ConversationId },
  { ...strict, description: 'Staff: accept a conversation offered to you (departments in offer mode, ROUTE-17).' },
);

export const DeclineFrame = Type.Object(
  { type: Type.Literal('decline'), id: CommandId, conversationId: ConversationId, reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { ...strict, description: 'Staff: decline an offered conversation, with a reason; it goes to another agent and is never offered to you again (ROUTE-17).' },
);

export const ExplainFrame = Type.Object(
  { type: Type.Literal('explain'), id: CommandId, conversationId: ConversationId },
  {
    ...strict,
    description:
      'Staff: how a conversation was routed — keyword matches, needs, and every routing decision with its candidates and why each was passed over (ROUTE-7, ROUTE-16). Admins: any conversation; supervisors: their departments; agents: conversations they serve.',
  },
);

/** Commands accepted on /v1/visitor, by type. */
export const VisitorCommands = {
  hello: HelloFrame,
  start: StartFrame,
  send: SendFrame,
  resume: ResumeFrame,
  leave: LeaveFrame,
  ping: PingFrame,
} as const satisfies Record<string, TSchema>;

/** Commands accepted on /v1/staff, by type. */
export const StaffCommands = {
  signin: SignInFrame,
  status: StatusFrame,
  send: SendFrame,
  resume: ResumeFrame,
  resolve: ResolveFrame,
  claim: ClaimFrame,
  queue: QueueFrame,
  accept: AcceptFrame,
  decline: DeclineFrame,
  explain: ExplainFrame,
  ping: PingFrame,
} as const satisfies Record<string, TSchema>;

export type HelloFrame = Static<typeof HelloFrame>;
export type StartFrame = Static<typeof StartFrame>;
export type SendFrame = Static<typeof SendFrame>;
export type ResumeFrame = Static<typeof ResumeFrame>;
export type PingFrame = Static<typeof PingFrame>;
export type LeaveFrame = Static<typeof LeaveFrame>;
export type SignInFrame = Static<typeof SignInFrame>;
export type StatusFrame = Static<typeof StatusFrame>;
export type ResolveFrame = Static<typeof ResolveFrame>;
export type VisitorCommand = HelloFrame | StartFrame | SendFrame | ResumeFrame | LeaveFrame | PingFrame;
export type ClaimFrame = Static<typeof ClaimFrame>;
export type AcceptFrame = Static<typeof AcceptFrame>;
export type DeclineFrame = Static<typeof DeclineFrame>;
export type ExplainFrame = Static<typeof ExplainFrame>;
export type QueueFrame = Static<typeof QueueFrame>;
export type StaffCommand = SignInFrame | StatusFrame | SendFrame | ResumeFrame | ResolveFrame | ClaimFrame | QueueFrame | AcceptFrame | DeclineFrame | ExplainFrame | PingFrame;

// ---- server → client ------------------------------------------------------

export const AckFrame = Type.Object(
  { type: Type.Literal('ack'), id: CommandId, result: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
  { description: 'The command with this id succeeded; for writes, it is committed to disk.' },
);

export const ErrorFrame = Type.Object(
  {
    type: Type.Literal('error'),
    id: Type.Optional(CommandId),
    code: Type.Union(ErrorCodes.map((c) => Type.Literal(c))),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  },
  { description: 'The command with this id (absent when the frame had no readable id) failed; nothing changed.' },
);

export const Participant = Type.Object({
  role: Type.Union([Type.Literal('visitor'), Type.Literal('agent'), Type.Literal('system')]),
  id: Type.String(),
});
export type Participant = Static<typeof Participant>;

export const FileRef = Type.Object(
  {
    id: FileId,
    name: Type.String({ minLength: 1, maxLength: Limits.maxFileNameLength, description: 'The uploader\'s file name, sanitised.' }),
    type: Type.String({ description: 'Media type, one of the upload allowlist (image/png, image/jpeg, image/gif, image/webp, application/pdf, text/plain).' }),
    size: Type.Integer({ minimum: 1, description: 'Bytes.' }),
  },
  { description: 'A stored file (CONV-1): download it with GET /v1/files/<id>.' },
);
export type FileRef = Static<typeof FileRef>;

const eventBase = {
  conversationId: ConversationId,
  seq: Type.Integer({ minimum: 1, description: 'Per-conversation sequence number, increasing from 1; gap-free unless a store error refused a write.' }),
  at: Type.Integer({ description: 'Server time, milliseconds since the Unix epoch.' }),
};

export const CreatedEvent = Type.Object(
  { type: Type.Literal('created'), ...eventBase, visitorId: VisitorId, department: DepartmentId },
  { description: 'The conversation was opened (always seq 1).' },
);

export const MessageEvent = Type.Object(
  {
    type: Type.Literal('message'),
    ...eventBase,
    messageId: Type.String(),
    from: Participant,
    clientMsgId: Type.Optional(ClientMsgId),
    text: Type.Optional(Text),
    file: Type.Optional(FileRef),
  },
  { description: 'A chat message, stored and committed: text, a file, or both (CONV-1).' },
);

export const BacklogReason = Type.Union([Type.Literal('queue_full'), Type.Literal('no_agents_online'), Type.Literal('closed')], {
  description:
    'Present when the customer waits as a left message rather than in line: `queue_full` (QUEUE-4), `no_agents_online` (QUEUE-4), `closed` (outside business hours, QUEUE-6). The conversation stays open and an agent answers when one is free.',
});

export const QueuedEvent = Type.Object(
  {
    type: Type.Literal('queued'),
    ...eventBase,
    department: DepartmentId,
    reason: Type.Optional(BacklogReason),
    movedFrom: Type.Optional(
      Type.String({ description: 'The department it waited in before: a keyword rule in a later message or overflow after waiting too long (ROUTE-15) moved it.' }),
    ),
  },
  { description: 'No eligible agent could take it: the conversation waits in the department queue (or its backlog of left messages).' },
);

export const AssignedEvent = Type.Object(
  {
    type: Type.Literal('assigned'),
    ...eventBase,
    department: DepartmentId,
    visitorId: VisitorId,
    agent: Type.Object({ id: Type.String(), name: Type.String() }),
    policy: Type.String({ description: 'The routing policy that chose the agent.' }),
  },
  { description: 'An agent now serves the conversation.' },
);

export const ResolvedEvent = Type.Object(
  {
    type: Type.Literal('resolved'),
    ...eventBase,
    by: Participant,
    summary: Type.Optional(Type.String()),
    reason: Type.Optional(
      Type.Union([Type.Literal('left'), Type.Literal('abandoned')], {
        description: 'Absent when staff resolved it; `left` when the visitor ended it; `abandoned` when the visitor left while still waiting (QUEUE-5).',
      }),
    ),
  },
  { description: 'The conversation was resolved.' },
);

export const UnassignedEvent = Type.Object(
  {
    type: Type.Literal('unassigned'),
    ...eventBase,
    agent: Type.Object({ id: Type.String(), name: Type.String() }),
    reason: Type.Union([Type.Literal('response_timeout'), Type.Literal('agent_offline')], {
      description:
        '`response_timeout`: no first reply within the department\'s response timeout (ROUTE-13); `agent_offline`: the agent went offline, or lost their connection and did not come back within the grace period (ROUTE-14).',
    }),
  },
  { description: 'The agent no longer serves the conversation; it is routed again (to another agent, or the queue).' },
);

/** Events stored in a conversation's journal; each carries the conversation's next seq. */
export type CreatedEvent = Static<typeof CreatedEvent>;
export type MessageEvent = Static<typeof MessageEvent>;
export type QueuedEvent = Static<typeof QueuedEvent>;
export type AssignedEvent = Static<typeof AssignedEvent>;
export type ResolvedEvent = Static<typeof ResolvedEvent>;
export type UnassignedEvent = Static<typeof UnassignedEvent>;
export type ConversationEvent = CreatedEvent | MessageEvent | QueuedEvent | AssignedEvent | UnassignedEvent | ResolvedEvent;

export const QueuePositionEvent = Type.Object(
  {
    type: Type.Literal('queue_position'),
    conversationId: ConversationId,
    position: Type.Integer({ minimum: 1 }),
    estimatedWaitSeconds: Type.Integer({ minimum: 0 }),
  },
  { description: 'Transient (no seq): the waiting customer\'s place in the queue and an estimated wait.' },
);

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

export const OfferEvent = Type.Object(
  {
    type: Type.Literal('offer'),
    conversationId: ConversationId,
    department: DepartmentId,
    visitorId: Type.Optional(VisitorId),
    expiresAt: Type.Integer({ description: 'Server time (ms) by which to answer with accept or decline; unanswered, the offer is missed.' }),
  },
  { description: 'Transient (no seq), to an agent of a department in offer mode (ROUTE-17): a conversation is held for you until you accept or decline it.' },
);

export const NoticeEvent = Type.Object(
  {
    type: Type.Literal('notice'),
    conversationId: ConversationId,
    code: Type.Union([Type.Literal('response_timeout'), Type.Literal('offer_expired')], {
      description: '`response_timeout`: you did not reply in time and the conversation went to another agent (ROUTE-13); `offer_expired`: an offer ran out unanswered (ROUTE-17).',
    }),
    message: Type.String(),
  },
  { description: 'Transient (no seq), to a staff member: something happened to you, e.g. a conversation was taken from you and why.' },
);

export type AckFrame = Static<typeof AckFrame>;
export type ErrorFrame = Static<typeof ErrorFrame>;
export type QueuePositionEvent = Static<typeof QueuePositionEvent>;
export type AgentStatusEvent = Static<typeof AgentStatusEvent>;
export type NoticeEvent = Static<typeof NoticeEvent>;
export type OfferEvent = Static<typeof OfferEvent>;
export type ServerFrame = AckFrame | ErrorFrame | ConversationEvent | QueuePositionEvent | AgentStatusEvent | NoticeEvent | OfferEvent;

export const ServerFrames = {
  ack: AckFrame,
  error: ErrorFrame,
  created: CreatedEvent,
  message: MessageEvent,
  queued: QueuedEvent,
  assigned: AssignedEvent,
  unassigned: UnassignedEvent,
  resolved: ResolvedEvent,
  queue_position: QueuePositionEvent,
  agent_status: AgentStatusEvent,
  notice: NoticeEvent,
  offer: OfferEvent,
} as const satisfies Record<string, TSchema>;
