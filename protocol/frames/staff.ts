/** Commands signed-in staff send (/v1/staff) serving conversations: sign-in, status, queues and offers, resolving, transfers, notes. */
import { Type, type Static } from '@sinclair/typebox';
import { Limits } from '../limits.js';
import { BacklogReasons, literals } from '../vocabulary.js';
import {
  AgentStatus,
  CommandId,
  ConversationId,
  DepartmentId,
  Tags,
  Text,
  command,
  opaqueId,
  strict,
} from './common.js';

export const SignInFrame = Type.Union(
  [
    Type.Object(
      { type: Type.Literal('signin'), id: CommandId, token: Type.String({ minLength: 1, maxLength: 200 }) },
      strict,
    ),
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
export type SignInFrame = Static<typeof SignInFrame>;

export const StatusFrame = command('status', { status: AgentStatus }, 'Staff: set your status.');
export type StatusFrame = Static<typeof StatusFrame>;

export const ResolveFrame = command(
  'resolve',
  { conversationId: ConversationId, summary: Type.Optional(Type.String({ maxLength: Limits.maxTextLength })) },
  'Staff: mark an assigned conversation resolved, freeing a slot.',
);
export type ResolveFrame = Static<typeof ResolveFrame>;

export const ClaimFrame = command(
  'claim',
  {
    conversationId: ConversationId,
    agentId: Type.Optional(
      opaqueId('Supervisors (of its department) and admins: the agent to give it to; absent = yourself.'),
    ),
  },
  'Staff: take a waiting conversation of one of your departments yourself, or (supervisors, admins) give it to an agent (ROUTE-12).',
);
export type ClaimFrame = Static<typeof ClaimFrame>;

export const QueueFrame = command(
  'queue',
  {
    department: DepartmentId,
    watch: Type.Optional(
      Type.Boolean({
        description:
          'true: after this answer, a `queue_update` event with the whole list whenever it changes, until the connection closes.',
      }),
    ),
  },
  'Staff: the conversations waiting in a department of yours (admins: any), in queue order, to pick from (ROUTE-12); with `watch`, kept up to date by `queue_update` events.',
);
export type QueueFrame = Static<typeof QueueFrame>;

export const AcceptFrame = command(
  'accept',
  { conversationId: ConversationId },
  'Staff: accept a conversation offered to you (departments in offer mode, ROUTE-17).',
);
export type AcceptFrame = Static<typeof AcceptFrame>;

export const DeclineFrame = command(
  'decline',
  { conversationId: ConversationId, reason: Type.String({ minLength: 1, maxLength: 500 }) },
  'Staff: decline an offered conversation, with a reason; it goes to another agent and is never offered to you again (ROUTE-17).',
);
export type DeclineFrame = Static<typeof DeclineFrame>;

export const ExplainFrame = command(
  'explain',
  { conversationId: ConversationId },
  'Staff: how a conversation was routed — keyword matches, needs, and every routing decision with its candidates and why each was passed over (ROUTE-7, ROUTE-16). Admins: any conversation; supervisors: their departments; agents: conversations they serve.',
);
export type ExplainFrame = Static<typeof ExplainFrame>;

export const TransferTarget = Type.Union([
  Type.Object({ agentId: opaqueId('A colleague: refused with a reason if they cannot take it now (XFER-8).') }, strict),
  Type.Object({ department: DepartmentId }, strict),
]);
export type TransferTarget = Static<typeof TransferTarget>;

export const TransferFrame = command(
  'transfer',
  {
    conversationId: ConversationId,
    to: TransferTarget,
    note: Type.String({
      maxLength: 2000,
      description: "For the receiving agent: the problem, what was done, the customer's mood (XFER-2). Staff only.",
    }),
    tags: Type.Optional(Tags),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  'Staff: hand a conversation to a colleague or to a department (routed there by its policy) (XFER-1). The serving agent, or a supervisor of its department / an admin for any conversation (SUP-4).',
);
export type TransferFrame = Static<typeof TransferFrame>;

export const TransferTargetsFrame = command(
  'transfer_targets',
  {},
  "Staff: where a transfer can go — every department with its agents' status and load and its queue length, and your transfers left today (XFER-1, XFER-5).",
);
export type TransferTargetsFrame = Static<typeof TransferTargetsFrame>;

export const TransfersFrame = command(
  'transfers',
  { conversationId: ConversationId },
  'Staff: the transfer chain of a conversation, in order (XFER-6).',
);
export type TransfersFrame = Static<typeof TransfersFrame>;

export const NoteFrame = command(
  'note',
  { conversationId: ConversationId, text: Text },
  'Staff: add an internal note to a conversation; staff only, never sent to the customer (SUP-5).',
);
export type NoteFrame = Static<typeof NoteFrame>;

export const NotesFrame = command(
  'notes',
  { conversationId: ConversationId },
  'Staff: the internal notes of a conversation, oldest first (SUP-5).',
);
export type NotesFrame = Static<typeof NotesFrame>;

export const RecentResolvedFrame = command(
  'recent_resolved',
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 50, description: 'How many, newest first; absent = 20.' }),
    ),
  },
  "Staff: the conversations you were serving when they were resolved, newest first: `{resolved: [{conversationId, at, department, summary?}]}` (WEB-3: the console's recently resolved list, the same in every browser).",
);
export type RecentResolvedFrame = Static<typeof RecentResolvedFrame>;

export const WaitingSummary = Type.Object({
  conversationId: ConversationId,
  position: Type.Optional(Type.Integer({ minimum: 1, description: 'Place in line; absent for a left message.' })),
  waitingSince: Type.Integer(),
  priority: Type.Integer(),
  skills: Type.Array(Type.String()),
  backlog: Type.Optional(literals(BacklogReasons)),
});

export const QueueUpdateEvent = Type.Object(
  {
    type: Type.Literal('queue_update'),
    department: DepartmentId,
    waiting: Type.Array(WaitingSummary, { description: 'The whole list, as the `queue` answer gives it.' }),
  },
  {
    description:
      "Transient (no seq), to connections that sent `queue` with `watch`: the department's waiting list changed (ROUTE-12). Several changes close together come as one event, at most four a second per department.",
  },
);
export type QueueUpdateEvent = Static<typeof QueueUpdateEvent>;
