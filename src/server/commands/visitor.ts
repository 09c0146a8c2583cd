/** The commands of a visitor who said hello (/v1/visitor), after the handshake. */
import type { DetailsFrame, StartFrame, VisitorDetails } from '../../../protocol/frames.js';
import { invalidDetails } from '../../../actors/workspace/pre-chat.js';
import { VISITOR, command, type AckResult, type CommandContext } from './command.js';
import { conversationRef, read, resume, send, toConversation, typing } from './shared.js';

/** WEB-2: checks the visitor's details against the workspace's pre-chat form and stores them on their profile. */
async function tell(
  details: VisitorDetails | undefined,
  starting: boolean,
  { dir, caller }: CommandContext,
): Promise<void> {
  const invalid = invalidDetails(dir.settings.preChatForm ?? [], details, starting);
  if (invalid) throw invalid;
  if (details && Object.keys(details).length)
    await dir.deps.runtime.ask(dir.customers, { type: 'details', visitorId: caller.id, details });
}

async function start(cmd: StartFrame, ctx: CommandContext): Promise<AckResult> {
  const { dir, caller } = ctx;
  const { runtime } = dir.deps;
  // The profile first: the agent who gets the conversation finds the answers there.
  await tell(cmd.details, true, ctx);
  const r = await runtime.ask(dir.workspace, {
    type: 'start',
    caller,
    ...(cmd.department !== undefined ? { department: cmd.department } : {}),
    ...(cmd.text !== undefined ? { text: cmd.text } : {}),
    ...(cmd.clientMsgId !== undefined ? { clientMsgId: cmd.clientMsgId } : {}),
    ...(cmd.language !== undefined ? { language: cmd.language } : {}),
  });
  if (!r.created && cmd.text !== undefined) {
    // The visitor already has an open conversation: the text belongs in it, not in the void.
    // Without a clientMsgId it is stored without one and cannot be deduplicated.
    const conv = conversationRef(dir, r.conversationId);
    const sent = await runtime.ask(conv, {
      type: 'send',
      caller,
      text: cmd.text,
      ...(cmd.clientMsgId !== undefined ? { clientMsgId: cmd.clientMsgId } : {}),
    });
    return { conversationId: r.conversationId, created: false, seq: sent.seq, messageId: sent.messageId };
  }
  return {
    conversationId: r.conversationId,
    created: r.created,
    ...(r.seq > 0 && cmd.text !== undefined ? { seq: r.seq, messageId: r.messageId } : {}),
  };
}

export const visitorCommands = [
  command({ audience: 'visitor', type: 'start', permission: VISITOR, handle: start }),
  command({ audience: 'visitor', type: 'send', permission: VISITOR, handle: send }),
  command({ audience: 'visitor', type: 'resume', permission: VISITOR, handle: resume }),
  command({
    audience: 'visitor',
    type: 'leave',
    permission: VISITOR,
    handle: toConversation('leave'),
  }),
  command({
    audience: 'visitor',
    type: 'rate',
    permission: VISITOR,
    handle: async (cmd, { dir, caller }) => ({
      ...(await dir.deps.runtime.ask(conversationRef(dir, cmd.conversationId), {
        type: 'rate',
        caller,
        score: cmd.score,
        ...(cmd.comment !== undefined ? { comment: cmd.comment } : {}),
      })),
    }),
  }),
  command({
    audience: 'visitor',
    type: 'details',
    permission: VISITOR,
    handle: async (cmd: DetailsFrame, ctx) => {
      await tell(cmd.details, false, ctx);
      return undefined;
    },
  }),
  command({ audience: 'visitor', type: 'typing', permission: VISITOR, handle: typing }),
  command({ audience: 'visitor', type: 'read', permission: VISITOR, handle: read }),
];
