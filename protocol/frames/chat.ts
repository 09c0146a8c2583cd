/** Commands both visitors and staff send in a conversation they take part in. */
import { Type, type Static } from '@sinclair/typebox';
import { ClientMsgId, CommandId, ConversationId, FileId, Seq, Text, strict } from './common.js';

export const SendFrame = Type.Object(
  {
    type: Type.Literal('send'),
    id: CommandId,
    conversationId: ConversationId,
    clientMsgId: ClientMsgId,
    text: Type.Optional(Text),
    fileId: Type.Optional(FileId),
  },
  {
    ...strict,
    description:
      'Visitor or staff: send a chat message: text, a file uploaded to this conversation by the sender (CONV-1), or both.',
  },
);
export type SendFrame = Static<typeof SendFrame>;

export const ResumeFrame = Type.Object(
  {
    type: Type.Literal('resume'),
    id: CommandId,
    conversationId: ConversationId,
    lastSeq: Seq,
  },
  { ...strict, description: 'Visitor or staff: replay every event with seq > lastSeq, then stay subscribed.' },
);
export type ResumeFrame = Static<typeof ResumeFrame>;

export const TypingFrame = Type.Object(
  {
    type: Type.Literal('typing'),
    id: CommandId,
    conversationId: ConversationId,
    typing: Type.Boolean({
      description: 'true while composing (repeat about every 3 s); false when stopped or the draft was cleared.',
    }),
  },
  {
    ...strict,
    description: "Visitor or staff (the conversation's writers): you are typing, or stopped (CONV-2). Not stored.",
  },
);
export type TypingFrame = Static<typeof TypingFrame>;

export const ReadFrame = Type.Object(
  {
    type: Type.Literal('read'),
    id: CommandId,
    conversationId: ConversationId,
    seq: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'The highest seq you have shown to the reader.',
    }),
  },
  {
    ...strict,
    description:
      "Visitor or staff (the conversation's writers): everything up to seq has been read (CONV-2). Marks only move forward.",
  },
);
export type ReadFrame = Static<typeof ReadFrame>;
