/**
 * The handlers of the commands both audiences send (send, resume, typing,
 * read): visitor.ts and staff.ts each hold their own entry for them, with
 * their own permission, over these.
 */
import { ProtocolError } from '../../../protocol/errors.js';
import type { ReadFrame, ResumeFrame, SendFrame, TypingFrame } from '../../../protocol/frames.js';
import type { Directory } from '../../../actors/directory.js';
import type { AckResult, CommandContext } from './command.js';

/** The conversation actor of an id; an unknown id is the client's `not_found`. */
export function conversationRef(dir: Directory, id: string) {
  const ref = dir.conversation(id);
  if (!ref) throw new ProtocolError('not_found', 'no such conversation', 'conversationId');
  return ref;
}

/** The conversation commands that carry nothing but their caller to the conversation actor. */
type CallerOnly = 'explain' | 'customer' | 'transfers' | 'notes' | 'join' | 'part' | 'takeover' | 'leave';

/** The handler of a command the conversation actor answers from its caller alone. */
export function toConversation(type: CallerOnly) {
  return async (cmd: { conversationId: string }, { dir, caller }: CommandContext): Promise<AckResult> => ({
    ...(await dir.deps.runtime.ask(conversationRef(dir, cmd.conversationId), { type, caller })),
  });
}

export async function send(cmd: SendFrame, { dir, caller }: CommandContext): Promise<AckResult> {
  if (cmd.text === undefined && cmd.fileId === undefined)
    throw new ProtocolError('invalid_field', 'a message needs text, a fileId, or both', 'text');
  const conv = conversationRef(dir, cmd.conversationId);
  return {
    ...(await dir.deps.runtime.ask(conv, {
      type: 'send',
      caller,
      clientMsgId: cmd.clientMsgId,
      ...(cmd.text !== undefined ? { text: cmd.text } : {}),
      ...(cmd.fileId !== undefined ? { fileId: cmd.fileId } : {}),
    })),
  };
}

export async function resume(cmd: ResumeFrame, { dir, caller }: CommandContext): Promise<AckResult> {
  return {
    ...(await dir.deps.runtime.ask(conversationRef(dir, cmd.conversationId), {
      type: 'resume',
      caller,
      lastSeq: cmd.lastSeq,
    })),
  };
}

/** CONV-2, for visitors and staff alike. */
export async function typing(cmd: TypingFrame, { dir, caller }: CommandContext): Promise<AckResult> {
  return {
    ...(await dir.deps.runtime.ask(conversationRef(dir, cmd.conversationId), {
      type: 'typing',
      caller,
      typing: cmd.typing,
    })),
  };
}

export async function read(cmd: ReadFrame, { dir, caller }: CommandContext): Promise<AckResult> {
  return {
    ...(await dir.deps.runtime.ask(conversationRef(dir, cmd.conversationId), { type: 'read', caller, seq: cmd.seq })),
  };
}
