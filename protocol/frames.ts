/**
 * Every frame of protocol v1 as a TypeBox schema: one source for the
 * TypeScript types, the validators and the JSON Schema in docs/protocol.md.
 * Nothing here imports from actors/ or src/.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CustomerLimits, Limits } from './limits.js';
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
export const Language = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], {
  description: 'Language of the automatic messages the customer gets (CONV-4); the workspace default when absent.',
});
export type Language = Static<typeof Language>;
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20, uniqueItems: true, description: 'Tags from the workspace tag list.' });

// ---- client → server ------------------------------------------------------

const CustomerName = Type.String({ minLength: 1, maxLength: CustomerLimits.maxNameLength });
const CustomerEmail = Type.String({ minLength: 3, maxLength: CustomerLimits.maxEmailLength, pattern: '^[^\\s@]+@[^\\s@]+$' });
const CustomerPhone = Type.String({ minLength: 3, maxLength: CustomerLimits.maxPhoneLength, pattern: '^[0-9+()./ -]+$' });

export const LoginField = Type.Object(
  {
    externalId: Type.String({ minLength: 1, maxLength: CustomerLimits.maxExternalIdLength, description: 'The company\'s own user id: exactly the string its server signed.' }),
    signature: Type.Optional(
      Type.String({ maxLength: 200, description: 'Hex HMAC-SHA256 of externalId under the workspace verification secret. Missing or wrong: the hello is refused (unauthorized).' }),
    ),
    name: Type.Optional(CustomerName),
    email: Type.Optional(CustomerEmail),
  },
  { ...strict, description: 'CUST-1: a verified login. Only externalId is signed: name and email fill empty profile fields, never overwrite them.' },
);
export type LoginField = Static<typeof LoginField>;

export const HelloFrame = Type.Object(
  {
    type: Type.Literal('hello'),
    id: CommandId,
    visitorId: Type.Optional(VisitorId),
    login: Type.Optional(LoginField),
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
    language: Type.Optional(Language),
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

export const CustomerFrame = Type.Object(
  { type: Type.Literal('customer'), id: CommandId, conversationId: ConversationId },
  {
    ...strict,
    description:
      'Staff: the profile and earlier conversations (with their internal and transfer notes) of the customer of a conversation you may read (CUST-2, CUST-3).',
  },
);

export const AttributeKey = Type.String({ pattern: `^[A-Za-z][A-Za-z0-9_.-]{0,${CustomerLimits.maxAttributeKeyLength - 1}}$` });
const AttributeValue = Type.String({ minLength: 1, maxLength: CustomerLimits.maxAttributeValueLength });

export const CustomerChanges = Type.Object(
  {
    name: Type.Optional(Type.Union([CustomerName, Type.Null()])),
    email: Type.Optional(Type.Union([CustomerEmail, Type.Null()])),
    phone: Type.Optional(Type.Union([CustomerPhone, Type.Null()])),
    vip: Type.Optional(Type.Boolean({ description: 'Supervisors and admins only.' })),
    attributes: Type.Optional(
      Type.Record(AttributeKey, Type.Union([AttributeValue, Type.Null()]), {
        ...strict,
        maxProperties: CustomerLimits.maxAttributes,
        description: 'Attributes to set; null removes one; attributes not named stay.',
      }),
    ),
  },
  { ...strict, minProperties: 1, description: 'Fields to change; null clears a field; absent fields stay as they are.' },
);
export type CustomerChanges = Static<typeof CustomerChanges>;

export const EditCustomerFrame = Type.Object(
  { type: Type.Literal('edit_customer'), id: CommandId, conversationId: ConversationId, changes: CustomerChanges },
  { ...strict, description: 'Staff: edit the profile of the customer of a conversation you may read (CUST-3). Applies to their future conversations.' },
);

export const RateFrame = Type.Object(
  {
    type: Type.Literal('rate'),
    id: CommandId,
    conversationId: ConversationId,
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { ...strict, description: 'Visitor: answer the satisfaction survey of a resolved conversation (CONV-4), 1 (bad) to 5 (good); a later answer replaces an earlier one.' },
);

export const TransferTarget = Type.Union([
  Type.Object({ agentId: opaqueId('A colleague: refused with a reason if they cannot take it now (XFER-8).') }, strict),
  Type.Object({ department: DepartmentId }, strict),
]);

export const TransferFrame = Type.Object(
  {
    type: Type.Literal('transfer'),
    id: CommandId,
    conversationId: ConversationId,
    to: TransferTarget,
    note: Type.String({ maxLength: 2000, description: 'For the receiving agent: the problem, what was done, the customer\'s mood (XFER-2). Staff only.' }),
    tags: Type.Optional(Tags),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  {
    ...strict,
    description:
      'Staff: hand a conversation to a colleague or to a department (routed there by its policy) (XFER-1). The serving agent, or a supervisor of its department / an admin for any conversation (SUP-4).',
  },
);

export const TransfersFrame = Type.Object(
  { type: Type.Literal('transfers'), id: CommandId, conversationId: ConversationId },
  { ...strict, description: 'Staff: the transfer chain of a conversation, in order (XFER-6).' },
);

export const NoteFrame = Type.Object(
  { type: Type.Literal('note'), id: CommandId, conversationId: ConversationId, text: Text },
  { ...strict, description: 'Staff: add an internal note to a conversation; staff only, never sent to the customer (SUP-5).' },
);

export const NotesFrame = Type.Object(
  { type: Type.Literal('notes'), id: CommandId, conversationId: ConversationId },
  { ...strict, description: 'Staff: the internal notes of a conversation, oldest first (SUP-5).' },
);

export const JoinFrame = Type.Object(
  { type: Type.Literal('join'), id: CommandId, conversationId: ConversationId },
  { ...strict, description: 'Supervisors (of its department) and admins: join a conversation as a visible participant who may write (SUP-2).' },
);

export const PartFrame = Type.Object(
  { type: Type.Literal('part'), id: CommandId, conversationId: ConversationId },
  { ...strict, description: 'Staff who joined a conversation: leave it again (SUP-2).' },
);

export const TakeoverFrame = Type.Object(
  { type: Type.Literal('takeover'), id: CommandId, conversationId: ConversationId },
  { ...strict, description: 'Supervisors (of its department) and admins: take the conversation from its agent, who is told and loses it (SUP-3).' },
);

export const MonitorFrame = Type.Object(
  {
    type: Type.Literal('monitor'),
    id: CommandId,
    departments: Type.Optional(Type.Array(DepartmentId, { maxItems: 100, uniqueItems: true, description: 'Absent: all departments you may see.' })),
  },
  {
    ...strict,
    description:
      'Supervisors and admins: the open conversations of your departments (admins: all) in the ack, then a `conversation_update` event for every change, until `unmonitor` or the connection closes (SUP-1).',
  },
);

export const UnmonitorFrame = Type.Object({ type: Type.Literal('unmonitor'), id: CommandId }, { ...strict, description: 'Stop the live view started by monitor.' });

export const LoanFrame = Type.Object(
  {
    type: Type.Literal('loan'),
    id: CommandId,
    agentId: opaqueId('The agent to lend.'),
    department: DepartmentId,
    minutes: Type.Integer({ minimum: 0, maximum: 7 * 24 * 60, description: 'How long the loan lasts; 0 ends a running loan now.' }),
  },
  {
    ...strict,
    description:
      'Supervisors of one of the agent\'s departments, and admins: lend an agent to another department for a while; routing there treats them as a member until the loan ends (SUP-4).',
  },
);

export const TypingFrame = Type.Object(
  {
    type: Type.Literal('typing'),
    id: CommandId,
    conversationId: ConversationId,
    typing: Type.Boolean({ description: 'true while composing (repeat about every 3 s); false when stopped or the draft was cleared.' }),
  },
  { ...strict, description: 'Visitor or staff (the conversation\'s writers): you are typing, or stopped (CONV-2). Not stored.' },
);

export const ReadFrame = Type.Object(
  {
    type: Type.Literal('read'),
    id: CommandId,
    conversationId: ConversationId,
    seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The highest seq you have shown to the reader.' }),
  },
  { ...strict, description: 'Visitor or staff (the conversation\'s writers): everything up to seq has been read (CONV-2). Marks only move forward.' },
);

export const CannedScope = Type.Union([Type.Literal('workspace'), Type.Literal('personal')], {
  description: '`workspace`: shared by all staff, written by supervisors and admins; `personal`: visible to and written by its owner only.',
});
export type CannedScope = Static<typeof CannedScope>;

export const CannedId = opaqueId('Server-issued canned reply id.');

export const CannedListFrame = Type.Object(
  {
    type: Type.Literal('canned_list'),
    id: CommandId,
    query: Type.Optional(Type.String({ minLength: 1, maxLength: Limits.maxCannedTitleLength, description: 'Only snippets whose shortcut or title starts with this (case- and width-insensitive).' })),
    after: Type.Optional(CannedId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Limits.cannedPageSize })),
  },
  { ...strict, description: 'Staff: the workspace\'s canned replies and your own personal ones, a page at a time (CONV-3).' },
);

export const CannedSaveFrame = Type.Object(
  {
    type: Type.Literal('canned_save'),
    id: CommandId,
    cannedId: Type.Optional(CannedId),
    scope: CannedScope,
    title: Type.String({ minLength: 1, maxLength: Limits.maxCannedTitleLength }),
    text: Type.String({ minLength: 1, maxLength: Limits.maxCannedTextLength }),
    shortcut: Type.Optional(
      Type.String({ minLength: 1, maxLength: Limits.maxCannedShortcutLength, pattern: '^[^\\s/]+$', description: 'Typed after "/" in the console; no spaces or slashes.' }),
    ),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: Limits.maxCannedTagLength }), { maxItems: Limits.maxCannedTags })),
  },
  { ...strict, description: 'Staff: create a canned reply (no cannedId) or replace one (CONV-3).' },
);

export const CannedDeleteFrame = Type.Object(
  { type: Type.Literal('canned_delete'), id: CommandId, cannedId: CannedId },
  { ...strict, description: 'Staff: delete a canned reply (CONV-3).' },
);

/** Commands accepted on /v1/visitor, by type. */
export const VisitorCommands = {
  hello: HelloFrame,
  start: StartFrame,
  send: SendFrame,
  resume: ResumeFrame,
  leave: LeaveFrame,
  rate: RateFrame,
  ping: PingFrame,
  typing: TypingFrame,
  read: ReadFrame,
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
  customer: CustomerFrame,
  edit_customer: EditCustomerFrame,
  transfer: TransferFrame,
  transfers: TransfersFrame,
  note: NoteFrame,
  notes: NotesFrame,
  join: JoinFrame,
  part: PartFrame,
  takeover: TakeoverFrame,
  monitor: MonitorFrame,
  unmonitor: UnmonitorFrame,
  loan: LoanFrame,
  ping: PingFrame,
  typing: TypingFrame,
  read: ReadFrame,
  canned_list: CannedListFrame,
  canned_save: CannedSaveFrame,
  canned_delete: CannedDeleteFrame,
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
export type RateFrame = Static<typeof RateFrame>;
export type TypingFrame = Static<typeof TypingFrame>;
export type ReadFrame = Static<typeof ReadFrame>;
export type CannedListFrame = Static<typeof CannedListFrame>;
export type CannedSaveFrame = Static<typeof CannedSaveFrame>;
export type CannedDeleteFrame = Static<typeof CannedDeleteFrame>;
export type VisitorCommand = HelloFrame | StartFrame | SendFrame | ResumeFrame | LeaveFrame | RateFrame | PingFrame | TypingFrame | ReadFrame;
export type ClaimFrame = Static<typeof ClaimFrame>;
export type AcceptFrame = Static<typeof AcceptFrame>;
export type DeclineFrame = Static<typeof DeclineFrame>;
export type ExplainFrame = Static<typeof ExplainFrame>;
export type QueueFrame = Static<typeof QueueFrame>;
export type CustomerFrame = Static<typeof CustomerFrame>;
export type EditCustomerFrame = Static<typeof EditCustomerFrame>;
export type TransferFrame = Static<typeof TransferFrame>;
export type TransferTarget = Static<typeof TransferTarget>;
export type LoanFrame = Static<typeof LoanFrame>;
export type MonitorFrame = Static<typeof MonitorFrame>;
export type StaffCommand =
  | SignInFrame
  | StatusFrame
  | SendFrame
  | ResumeFrame
  | ResolveFrame
  | ClaimFrame
  | QueueFrame
  | AcceptFrame
  | DeclineFrame
  | ExplainFrame
  | TransferFrame
  | Static<typeof TransfersFrame>
  | Static<typeof NoteFrame>
  | Static<typeof NotesFrame>
  | Static<typeof JoinFrame>
  | Static<typeof PartFrame>
  | Static<typeof TakeoverFrame>
  | MonitorFrame
  | Static<typeof UnmonitorFrame>
  | LoanFrame
  | CustomerFrame
  | EditCustomerFrame
  | TypingFrame
  | ReadFrame
  | CannedListFrame
  | CannedSaveFrame
  | CannedDeleteFrame
  | PingFrame;

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
  role: Type.Union([Type.Literal('visitor'), Type.Literal('agent'), Type.Literal('system')], {
    description: '`agent` is any staff member writing (an agent, or a supervisor who joined or took over); `system` is the server (automatic messages, CONV-4).',
  }),
  id: Type.String(),
});
const StaffRef = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')]),
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
  { type: Type.Literal('created'), ...eventBase, visitorId: VisitorId, department: DepartmentId, language: Type.Optional(Language) },
  { description: 'The conversation was opened (always seq 1).' },
);

export const AutoMessageKey = Type.Union(
  [
    Type.Literal('welcome'),
    Type.Literal('queued'),
    Type.Literal('transferring'),
    Type.Literal('agent_joined'),
    Type.Literal('offline'),
    Type.Literal('resolved'),
    Type.Literal('survey'),
  ],
  { description: 'Set on automatic messages (from `system`, CONV-4): which one it is. `survey` asks for a `rate` command.' },
);
export type AutoMessageKey = Static<typeof AutoMessageKey>;

export const MessageEvent = Type.Object(
  {
    type: Type.Literal('message'),
    ...eventBase,
    messageId: Type.String(),
    from: Participant,
    clientMsgId: Type.Optional(ClientMsgId),
    text: Type.Optional(Text),
    auto: Type.Optional(AutoMessageKey),
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
      Type.Union([Type.Literal('left'), Type.Literal('abandoned'), Type.Literal('inactive')], {
        description:
          'Absent when staff resolved it; `left` when the visitor ended it; `abandoned` when the visitor left while still waiting (QUEUE-5); `inactive` when no customer message came within the workspace\'s auto-close time (CONV-5).',
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


export const TransferredEvent = Type.Object(
  {
    type: Type.Literal('transferred'),
    ...eventBase,
    n: Type.Integer({ minimum: 0, description: 'Number of this transfer in the conversation\'s chain (XFER-6).' }),
    from: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() }, { description: 'The agent who served it until now.' })),
    department: DepartmentId,
    toAgent: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() })),
    by: Participant,
  },
  {
    description:
      'The conversation is being handed over (XFER-1): to `toAgent` (an `assigned` event follows at once) or to `department` (routed there: `assigned` or `queued` follows). The note and tags are staff-only and not in this event.',
  },
);

export const JoinedEvent = Type.Object(
  { type: Type.Literal('joined'), ...eventBase, staff: StaffRef },
  { description: 'A supervisor or admin joined as a visible participant (SUP-2).' },
);

export const PartedEvent = Type.Object(
  { type: Type.Literal('parted'), ...eventBase, staff: StaffRef },
  { description: 'A staff member who had joined left the conversation (SUP-2).' },
);

export const ReopenedEvent = Type.Object(
  { type: Type.Literal('reopened'), ...eventBase, by: Participant },
  { description: 'A resolved conversation is open again: the customer wrote (XFER-7). It is routed again, to its last agent when possible.' },
);

/** Events stored in a conversation's journal; each carries the conversation's next seq. */
export type CreatedEvent = Static<typeof CreatedEvent>;
export type MessageEvent = Static<typeof MessageEvent>;
export type QueuedEvent = Static<typeof QueuedEvent>;
export type AssignedEvent = Static<typeof AssignedEvent>;
export type ResolvedEvent = Static<typeof ResolvedEvent>;
export type UnassignedEvent = Static<typeof UnassignedEvent>;
export type TransferredEvent = Static<typeof TransferredEvent>;
export type JoinedEvent = Static<typeof JoinedEvent>;
export type PartedEvent = Static<typeof PartedEvent>;
export type ReopenedEvent = Static<typeof ReopenedEvent>;
export type ConversationEvent =
  | CreatedEvent
  | MessageEvent
  | QueuedEvent
  | AssignedEvent
  | UnassignedEvent
  | ResolvedEvent
  | TransferredEvent
  | JoinedEvent
  | PartedEvent
  | ReopenedEvent;

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
    conversationId: Type.Optional(ConversationId),
    code: Type.Union(
      [Type.Literal('response_timeout'), Type.Literal('offer_expired'), Type.Literal('taken_over'), Type.Literal('reassigned'), Type.Literal('loan_started'), Type.Literal('loan_ended')],
      {
        description:
          '`response_timeout`: you did not reply in time and the conversation went to another agent (ROUTE-13); `offer_expired`: an offer ran out unanswered (ROUTE-17); `taken_over`: a supervisor took the conversation from you (SUP-3); `reassigned`: a supervisor gave your conversation to someone else (SUP-4); `loan_started` / `loan_ended`: you were lent to the department named in the message (SUP-4).',
      },
    ),
    message: Type.String(),
  },
  { description: 'Transient (no seq), to a staff member: something happened to you, e.g. a conversation was taken from you and why.' },
);


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

const NoteInfo = Type.Object({ id: Type.String(), conversationId: Type.String(), at: Type.Integer(), author: StaffRef, text: Type.String() });

export const HandoverEvent = Type.Object(
  {
    type: Type.Literal('handover'),
    conversationId: ConversationId,
    transfer: TransferInfo,
    transfers: Type.Array(TransferInfo, { description: 'The whole chain so far, oldest first (XFER-6).' }),
    notes: Type.Array(NoteInfo, { description: 'Internal notes of this conversation (SUP-5).' }),
    history: Type.Array(Type.Unknown(), {
      description:
        'The conversation\'s events before the `assigned` that follows live, oldest first: every event when `historyFromSeq` is 1; otherwise the most recent page (resume from 0 for the rest).',
    }),
    historyFromSeq: Type.Integer({ minimum: 1 }),
    customer: Type.Optional(Type.Unknown()),
  },
  {
    description:
      'Transient (no seq), to the agent receiving a transferred conversation (XFER-4), just before the `assigned` event: the transfer note, the chain, the notes and the history, so nobody asks the customer again.',
  },
);

export const NoteEvent = Type.Object(
  { type: Type.Literal('note'), conversationId: ConversationId, note: NoteInfo },
  { description: 'Transient (no seq), to staff following the conversation only: an internal note was added (SUP-5).' },
);

export const CannedReplyInfo = Type.Object({
  id: CannedId,
  scope: CannedScope,
  owner: Type.Optional(Type.String()),
  title: Type.String(),
  text: Type.String(),
  shortcut: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(Type.String())),
  updatedAt: Type.Integer(),
  updatedBy: Type.String(),
});

export const CannedChangedEvent = Type.Object(
  {
    type: Type.Literal('canned_changed'),
    cannedId: CannedId,
    scope: CannedScope,
    deleted: Type.Boolean(),
    reply: Type.Optional(CannedReplyInfo),
  },
  {
    description:
      'Transient (no seq), to staff who can see the snippet (everyone for workspace ones, the owner for personal ones): a canned reply was saved (`reply` holds it as stored) or deleted (CONV-3). Consoles update their list without re-listing.',
  },
);

export const ConversationSummary = Type.Object({
  conversationId: ConversationId,
  department: DepartmentId,
  status: Type.Union([Type.Literal('new'), Type.Literal('queued'), Type.Literal('assigned'), Type.Literal('resolved')]),
  visitorId: VisitorId,
  agentId: Type.Optional(Type.String()),
  createdAt: Type.Integer(),
});

export const ConversationUpdateEvent = Type.Object(
  { type: Type.Literal('conversation_update'), conversation: ConversationSummary, event: Type.String({ description: 'The journal event type that changed it.' }) },
  { description: 'Transient (no seq), to connections that sent `monitor`: a conversation of a watched department changed (SUP-1).' },
);

export const TypingEvent = Type.Object(
  { type: Type.Literal('typing'), conversationId: ConversationId, from: Participant, typing: Type.Boolean() },
  { description: 'Transient (no seq), to the conversation\'s other followers: a writer started or stopped typing (CONV-2).' },
);

export const ReadEvent = Type.Object(
  { type: Type.Literal('read'), conversationId: ConversationId, by: Participant, seq: Type.Integer({ minimum: 1 }) },
  { description: 'Transient (no seq), to the followers of the other side: the visitor (or the agent side) has read up to seq (CONV-2).' },
);

export type TypingEvent = Static<typeof TypingEvent>;
export type ReadEvent = Static<typeof ReadEvent>;
export type AckFrame = Static<typeof AckFrame>;
export type ErrorFrame = Static<typeof ErrorFrame>;
export type QueuePositionEvent = Static<typeof QueuePositionEvent>;
export type AgentStatusEvent = Static<typeof AgentStatusEvent>;
export type NoticeEvent = Static<typeof NoticeEvent>;
export type OfferEvent = Static<typeof OfferEvent>;
export type HandoverEvent = Static<typeof HandoverEvent>;
export type NoteEvent = Static<typeof NoteEvent>;
export type CannedChangedEvent = Static<typeof CannedChangedEvent>;
export type ConversationSummary = Static<typeof ConversationSummary>;
export type ConversationUpdateEvent = Static<typeof ConversationUpdateEvent>;
export type ServerFrame =
  | AckFrame
  | ErrorFrame
  | ConversationEvent
  | QueuePositionEvent
  | AgentStatusEvent
  | NoticeEvent
  | OfferEvent
  | HandoverEvent
  | NoteEvent
  | ConversationUpdateEvent
  | TypingEvent
  | ReadEvent
  | CannedChangedEvent;

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
  transferred: TransferredEvent,
  joined: JoinedEvent,
  parted: PartedEvent,
  reopened: ReopenedEvent,
  handover: HandoverEvent,
  note: NoteEvent,
  conversation_update: ConversationUpdateEvent,
  typing: TypingEvent,
  read: ReadEvent,
  canned_changed: CannedChangedEvent,
} as const satisfies Record<string, TSchema>;
