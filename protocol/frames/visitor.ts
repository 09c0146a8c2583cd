/** Commands only visitors send (/v1/visitor): the handshake, opening, leaving and rating a conversation. */
import { Type, type Static } from '@sinclair/typebox';
import { CustomerLimits } from '../limits.js';
import { ClientMsgId, ConversationId, DepartmentId, Language, Text, VisitorId, command, strict } from './common.js';
import { CustomerEmail, CustomerName } from './customer.js';
import { VisitorDetails } from './details.js';

export const LoginField = Type.Object(
  {
    externalId: Type.String({
      minLength: 1,
      maxLength: CustomerLimits.maxExternalIdLength,
      description: "The company's own user id: exactly the string its server signed.",
    }),
    signature: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Hex HMAC-SHA256 of externalId under the workspace verification secret. Missing or wrong: the hello is refused (unauthorized).',
      }),
    ),
    name: Type.Optional(CustomerName),
    email: Type.Optional(CustomerEmail),
  },
  {
    ...strict,
    description:
      'CUST-1: a verified login. Only externalId is signed: name and email fill empty profile fields, never overwrite them.',
  },
);
export type LoginField = Static<typeof LoginField>;

export const HelloFrame = command(
  'hello',
  { visitorId: Type.Optional(VisitorId), login: Type.Optional(LoginField) },
  'Visitor: first frame. Without visitorId the server issues one.',
);
export type HelloFrame = Static<typeof HelloFrame>;

export const StartFrame = command(
  'start',
  {
    department: Type.Optional(DepartmentId),
    text: Type.Optional(Text),
    clientMsgId: Type.Optional(ClientMsgId),
    language: Type.Optional(Language),
    details: Type.Optional(VisitorDetails),
  },
  "Visitor: open a conversation (or get the open one back), optionally with a first message and the pre-chat form's answers (`details`, WEB-2): when the workspace's form has required fields, a start without them is refused.",
);
export type StartFrame = Static<typeof StartFrame>;

export const LeaveFrame = command(
  'leave',
  { conversationId: ConversationId },
  'Visitor: end the conversation. While still waiting in the queue this counts as abandoned (QUEUE-5).',
);
export type LeaveFrame = Static<typeof LeaveFrame>;

export const RateFrame = command(
  'rate',
  {
    conversationId: ConversationId,
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  'Visitor: answer the satisfaction survey of a resolved conversation (CONV-4), 1 (bad) to 5 (good); a later answer replaces an earlier one.',
);
export type RateFrame = Static<typeof RateFrame>;
