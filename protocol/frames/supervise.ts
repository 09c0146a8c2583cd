/** Supervisor commands (SUP-1…4) and the live view they feed. */
import { Type, type Static } from '@sinclair/typebox';
import { ConversationId, DepartmentId, VisitorId, command, opaqueId } from './common.js';
import { ConversationStatuses, literals } from '../vocabulary.js';

export const JoinFrame = command(
  'join',
  { conversationId: ConversationId },
  'Supervisors (of its department) and admins: join a conversation as a visible participant who may write (SUP-2).',
);
export type JoinFrame = Static<typeof JoinFrame>;

export const PartFrame = command(
  'part',
  { conversationId: ConversationId },
  'Staff who joined a conversation: leave it again (SUP-2).',
);
export type PartFrame = Static<typeof PartFrame>;

export const TakeoverFrame = command(
  'takeover',
  { conversationId: ConversationId },
  'Supervisors (of its department) and admins: take the conversation from its agent, who is told and loses it (SUP-3).',
);
export type TakeoverFrame = Static<typeof TakeoverFrame>;

/** The departments a live view (`monitor`, `monitor_departments`) watches. */
export const WatchedDepartments = Type.Optional(
  Type.Array(DepartmentId, {
    maxItems: 100,
    uniqueItems: true,
    description: 'Absent: all departments you may see.',
  }),
);

export const MonitorFrame = command(
  'monitor',
  {
    departments: WatchedDepartments,
  },
  'Supervisors and admins: the open conversations of your departments (admins: all) in the ack, then a `conversation_update` event for every change, until `unmonitor` or the connection closes (SUP-1).',
);
export type MonitorFrame = Static<typeof MonitorFrame>;

export const UnmonitorFrame = command('unmonitor', {}, 'Stop the live view started by monitor.');
export type UnmonitorFrame = Static<typeof UnmonitorFrame>;

export const LoanFrame = command(
  'loan',
  {
    agentId: opaqueId('The agent to lend.'),
    department: DepartmentId,
    minutes: Type.Integer({
      minimum: 0,
      maximum: 7 * 24 * 60,
      description: 'How long the loan lasts; 0 ends a running loan now.',
    }),
  },
  "Supervisors of one of the agent's departments, and admins: lend an agent to another department for a while; routing there treats them as a member until the loan ends (SUP-4).",
);
export type LoanFrame = Static<typeof LoanFrame>;

export const ConversationSummary = Type.Object({
  conversationId: ConversationId,
  department: DepartmentId,
  status: literals(ConversationStatuses),
  visitorId: VisitorId,
  agentId: Type.Optional(Type.String()),
  createdAt: Type.Integer(),
});
export type ConversationSummary = Static<typeof ConversationSummary>;

export const ConversationUpdateEvent = Type.Object(
  {
    type: Type.Literal('conversation_update'),
    conversation: ConversationSummary,
    event: Type.String({ description: 'The journal event type that changed it.' }),
  },
  {
    description:
      'Transient (no seq), to connections that sent `monitor`: a conversation of a watched department changed (SUP-1).',
  },
);
export type ConversationUpdateEvent = Static<typeof ConversationUpdateEvent>;
