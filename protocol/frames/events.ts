/** Events stored in a conversation's journal; each carries the conversation's next seq. */
import { Type, type Static } from '@sinclair/typebox';
import {
  ClientMsgId,
  ConversationId,
  DepartmentId,
  FileRef,
  Language,
  Participant,
  StaffRef,
  Text,
  VisitorId,
} from './common.js';
import { AutoMessageKeys, BacklogReasons, ResolveReasons, UnassignReasons, literals } from '../vocabulary.js';
import type { ConversationEventType } from '../conversation-event-types.js';

const eventBase = {
  conversationId: ConversationId,
  seq: Type.Integer({
    minimum: 1,
    description: 'Per-conversation sequence number, increasing from 1; gap-free unless a store error refused a write.',
  }),
  at: Type.Integer({ description: 'Server time, milliseconds since the Unix epoch.' }),
};

export const CreatedEvent = Type.Object(
  {
    type: Type.Literal('created'),
    ...eventBase,
    visitorId: VisitorId,
    department: DepartmentId,
    language: Type.Optional(Language),
  },
  { description: 'The conversation was opened (always seq 1).' },
);
export type CreatedEvent = Static<typeof CreatedEvent>;

export const AutoMessageKey = literals(AutoMessageKeys, {
  description:
    'Set on automatic messages (from `system`, CONV-4): which one it is. `survey` asks for a `rate` command.',
});
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
export type MessageEvent = Static<typeof MessageEvent>;

export const BacklogReason = literals(BacklogReasons, {
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
      Type.String({
        description:
          'The department it waited in before: a keyword rule in a later message or overflow after waiting too long (ROUTE-15) moved it.',
      }),
    ),
  },
  {
    description:
      'No eligible agent could take it: the conversation waits in the department queue (or its backlog of left messages).',
  },
);
export type QueuedEvent = Static<typeof QueuedEvent>;

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
export type AssignedEvent = Static<typeof AssignedEvent>;

export const ResolvedEvent = Type.Object(
  {
    type: Type.Literal('resolved'),
    ...eventBase,
    by: Participant,
    summary: Type.Optional(Type.String()),
    reason: Type.Optional(
      literals(ResolveReasons, {
        description:
          "Absent when staff resolved it; `left` when the visitor ended it; `abandoned` when the visitor left while still waiting (QUEUE-5); `inactive` when no customer message came within the workspace's auto-close time (CONV-5).",
      }),
    ),
  },
  { description: 'The conversation was resolved.' },
);
export type ResolvedEvent = Static<typeof ResolvedEvent>;

export const UnassignedEvent = Type.Object(
  {
    type: Type.Literal('unassigned'),
    ...eventBase,
    agent: Type.Object({ id: Type.String(), name: Type.String() }),
    reason: literals(UnassignReasons, {
      description:
        "`response_timeout`: no first reply within the department's response timeout (ROUTE-13); `agent_offline`: the agent went offline, or lost their connection and did not come back within the grace period (ROUTE-14).",
    }),
  },
  { description: 'The agent no longer serves the conversation; it is routed again (to another agent, or the queue).' },
);
export type UnassignedEvent = Static<typeof UnassignedEvent>;

export const TransferredEvent = Type.Object(
  {
    type: Type.Literal('transferred'),
    ...eventBase,
    n: Type.Integer({ minimum: 0, description: "Number of this transfer in the conversation's chain (XFER-6)." }),
    from: Type.Optional(
      Type.Object({ id: Type.String(), name: Type.String() }, { description: 'The agent who served it until now.' }),
    ),
    department: DepartmentId,
    toAgent: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() })),
    by: Participant,
  },
  {
    description:
      'The conversation is being handed over (XFER-1): to `toAgent` (an `assigned` event follows at once) or to `department` (routed there: `assigned` or `queued` follows). The note and tags are staff-only and not in this event.',
  },
);
export type TransferredEvent = Static<typeof TransferredEvent>;

export const JoinedEvent = Type.Object(
  { type: Type.Literal('joined'), ...eventBase, staff: StaffRef },
  { description: 'A supervisor or admin joined as a visible participant (SUP-2).' },
);
export type JoinedEvent = Static<typeof JoinedEvent>;

export const PartedEvent = Type.Object(
  { type: Type.Literal('parted'), ...eventBase, staff: StaffRef },
  { description: 'A staff member who had joined left the conversation (SUP-2).' },
);
export type PartedEvent = Static<typeof PartedEvent>;

export const ReopenedEvent = Type.Object(
  { type: Type.Literal('reopened'), ...eventBase, by: Participant },
  {
    description:
      'A resolved conversation is open again: the customer wrote (XFER-7). It is routed again, to its last agent when possible.',
  },
);
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

/** The union and the shared list of its type names must name the same events. */
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const conversationEventNamesAgree: SameNames<ConversationEvent['type'], ConversationEventType> = true;
void conversationEventNamesAgree;
