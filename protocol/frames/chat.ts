/** Commands both visitors and staff send in a conversation they take part in. */
import { Type, type Static } from '@sinclair/typebox';
import { ClientMsgId, ConversationId, FileId, Seq, Text, command } from './common.js';

export const SendFrame = command(
  'send',
  {
    conversationId: ConversationId,
    clientMsgId: ClientMsgId,
    text: Type.Optional(Text),
    fileId: Type.Optional(FileId),
  },
  'Visitor or staff: send a chat message: text, a file uploaded to this conversation by the sender (CONV-1), or both.',
);
export type SendFrame = Static<typeof SendFrame>;

export const ResumeFrame = command(
  'resume',
  { conversationId: ConversationId, lastSeq: Seq },
  'Visitor or staff: replay every event with seq > lastSeq, then stay subscribed.',
);
export type ResumeFrame = Static<typeof ResumeFrame>;

export const TypingFrame = command(
  'typing',
  {
    conversationId: ConversationId,
    typing: Type.Boolean({
      description: 'true while composing (repeat about every 3 s); false when stopped or the draft was cleared.',
    }),
  },
  "Visitor or staff (the conversation's writers): you are typing, or stopped (CONV-2). Not stored.",
);
export type TypingFrame = Static<typeof TypingFrame>;

export const ReadFrame = command(
  'read',
  {
    conversationId: ConversationId,
    seq: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'The highest seq you have shown to the reader.',
    }),
  },
  "Visitor or staff (the conversation's writers): everything up to seq has been read (CONV-2). Marks only move forward.",
);
export type ReadFrame = Static<typeof ReadFrame>;
