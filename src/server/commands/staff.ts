/**
 * The commands of a signed-in staff member (/v1/staff) serving
 * conversations: status, chat, queues and offers, customers, transfers,
 * notes and canned replies. The supervisor-only ones are in supervise.ts.
 */
import { ProtocolError } from '../../../protocol/errors.js';
import type { ClaimFrame, DeclineFrame, TransferFrame, TransferTargetsFrame } from '../../../protocol/frames.js';
import type { TransferResult, TransferTo } from '../../../actors/conversation/index.js';
import { listCannedReplies } from '../../../actors/canned-replies.js';
import type { ResolvedByRecord } from '../../../actors/conversation/records.js';
import { Keys } from '../../../actors/keyspace.js';
import { command, type AckResult, type CommandContext } from './command.js';
import { conversationRef, read, resume, send, toConversation, typing } from './shared.js';
import { ownAgent, staffById, withLoans } from './staff-lookup.js';

/** WEB-3: the length of the console's recently resolved list when the command names none. */
const RECENT_RESOLVED_DEFAULT = 20;

/**
 * XFER-1: the target named, the caller's agent actor counts the transfer
 * against its role's limit (XFER-5) and hands it on to the conversation
 * with its grant, which decides the rest.
 */
async function transfer(cmd: TransferFrame, ctx: CommandContext): Promise<TransferResult> {
  const { dir, caller } = ctx;
  const { runtime } = dir.deps;
  const conv = conversationRef(dir, cmd.conversationId);
  let to: TransferTo;
  if ('agentId' in cmd.to) {
    const target = await staffById(dir, cmd.to.agentId, 'to.agentId');
    to = { kind: 'agent', id: target.id, name: target.name, departments: target.departments };
  } else to = { kind: 'department', department: cmd.to.department };
  return runtime.ask(ownAgent(ctx), {
    type: 'transfer',
    handOn: (grant, reply) =>
      runtime.tell(conv, {
        type: 'transfer',
        caller,
        to,
        note: cmd.note,
        tags: cmd.tags ?? [],
        ...(cmd.reason !== undefined ? { reason: cmd.reason } : {}),
        ...grant,
        reply,
      }),
  });
}

/**
 * XFER-1, XFER-5: the transfer dialog's choices. Every department with its agents' status and load (the
 * department monitor's figures, read once without watching), the caller's transfers left today and the
 * workspace's tag list (XFER-2), which agents have no other way to read.
 */
async function transferTargets(_cmd: TransferTargetsFrame, ctx: CommandContext): Promise<AckResult> {
  const { dir } = ctx;
  const { runtime } = dir.deps;
  const [figures, transfers] = await Promise.all([
    runtime.ask(dir.floor, { type: 'figures', departments: dir.departmentIds() }),
    runtime.ask(ownAgent(ctx), { type: 'transferAllowance' }),
  ]);
  const departments = figures.departments.map((d) => ({
    department: d.department,
    name: d.name,
    queueLength: d.queueLength,
    agents: d.agents,
  }));
  return { departments, transfers, tags: dir.settings.tags ?? [] };
}

/** ROUTE-12: take a waiting conversation, or (supervisors, admins) give it to an agent. */
async function claim(cmd: ClaimFrame, ctx: CommandContext): Promise<AckResult> {
  const { dir, caller } = ctx;
  const me = ctx.ws.getUserData().staff!;
  let agent = { id: me.id, name: me.name };
  if (cmd.agentId !== undefined && cmd.agentId !== me.id) {
    const found = await staffById(dir, cmd.agentId, 'agentId');
    agent = { id: found.id, name: found.name };
  }
  return {
    ...(await dir.deps.runtime.ask(conversationRef(dir, cmd.conversationId), {
      type: 'claim',
      caller: await withLoans(dir, caller),
      agent,
    })),
  };
}

/** ROUTE-17: the answer to an offer, given to the caller's agent actor. */
async function answerOffer(
  cmd: { type: 'accept'; conversationId: string } | DeclineFrame,
  ctx: CommandContext,
): Promise<AckResult> {
  return {
    ...(await ctx.dir.deps.runtime.ask(ownAgent(ctx), {
      type: 'answerOffer',
      conversationId: cmd.conversationId,
      accept: cmd.type === 'accept',
      ...(cmd.type === 'decline' ? { reason: cmd.reason } : {}),
    })),
  };
}

export const staffCommands = [
  command({
    audience: 'staff',
    type: 'status',
    permission: 'account.self',
    handle: async (cmd, ctx) => ({
      ...(await ctx.dir.deps.runtime.ask(ownAgent(ctx), { type: 'setStatus', status: cmd.status })),
    }),
  }),
  command({ audience: 'staff', type: 'send', permission: 'conversation.serve', handle: send }),
  command({ audience: 'staff', type: 'resume', permission: 'conversation.serve', handle: resume }),
  command({ audience: 'staff', type: 'typing', permission: 'conversation.serve', handle: typing }),
  command({ audience: 'staff', type: 'read', permission: 'conversation.serve', handle: read }),
  command({
    audience: 'staff',
    type: 'resolve',
    permission: 'conversation.serve',
    handle: async (cmd, { dir, caller }) => ({
      ...(await dir.deps.runtime.ask(conversationRef(dir, cmd.conversationId), {
        type: 'resolve',
        caller,
        ...(cmd.summary !== undefined ? { summary: cmd.summary } : {}),
      })),
    }),
  }),
  command({
    audience: 'staff',
    type: 'claim',
    permission: 'conversation.serve',
    handle: claim,
    // ROLE-5: giving a conversation to someone else is a supervisor action; claiming it for oneself is not.
    audit: {
      action: 'supervise.reassign',
      when: (cmd, caller) => cmd.agentId !== undefined && cmd.agentId !== caller?.id,
      entry: (cmd) => ({ target: { kind: 'conversation', id: cmd.conversationId }, detail: { agentId: cmd.agentId } }),
    },
  }),
  command({
    audience: 'staff',
    type: 'recent_resolved',
    permission: 'conversation.serve',
    // Records written when each conversation was resolved (actors/conversation/lifecycle.ts), newest first.
    handle: (cmd, { dir, caller }) => {
      const resolved: ResolvedByRecord[] = [];
      const limit = cmd.limit ?? RECENT_RESOLVED_DEFAULT;
      for (const { value } of dir.deps.journal.records<ResolvedByRecord>(Keys.resolvedByStaff(caller.id))) {
        resolved.push(value);
        if (resolved.length >= limit) break;
      }
      return { resolved };
    },
  }),
  command({
    audience: 'staff',
    type: 'queue',
    permission: 'conversation.serve',
    handle: async (cmd, { dir, caller }) => {
      const mine =
        caller.role === 'admin' || ((await withLoans(dir, caller)).departments?.includes(cmd.department) ?? false);
      const queue = mine ? dir.queue(cmd.department) : undefined;
      if (!queue) throw new ProtocolError('not_found', `no department "${cmd.department}" of yours`, 'department');
      // The list is sent again whenever it changes; a closed connection is dropped (handshake.ts `detach`).
      const watch = cmd.watch === true ? { watch: caller.connectionId } : {};
      return { ...(await dir.deps.runtime.ask(queue, { type: 'list', ...watch })) };
    },
  }),
  command({ audience: 'staff', type: 'accept', permission: 'conversation.serve', handle: answerOffer }),
  command({ audience: 'staff', type: 'decline', permission: 'conversation.serve', handle: answerOffer }),
  command({
    audience: 'staff',
    type: 'explain',
    permission: 'conversation.serve',
    handle: toConversation('explain'),
  }),
  command({
    audience: 'staff',
    type: 'customer',
    permission: 'customer.read',
    handle: toConversation('customer'),
  }),
  command({
    audience: 'staff',
    type: 'edit_customer',
    permission: 'customer.edit',
    handle: async (cmd, { dir, caller }) => ({
      ...(await dir.deps.runtime.ask(conversationRef(dir, cmd.conversationId), {
        type: 'customer',
        caller,
        changes: cmd.changes,
      })),
    }),
  }),
  command({
    audience: 'staff',
    type: 'transfer',
    permission: 'conversation.transfer',
    handle: async (cmd, ctx) => ({ ...(await transfer(cmd, ctx)) }),
    // ROLE-5: a transfer by a supervisor or an admin is a supervisor action; the serving agent's own is not.
    // A transfer's ack goes out before the routing it caused (docs/protocol.md): waiting for the audit write let a
    // new `assigned` overtake it.
    audit: {
      action: 'supervise.transfer',
      ackFirst: true,
      when: (_cmd, caller) => caller?.role !== 'agent',
      entry: (cmd) => ({ target: { kind: 'conversation', id: cmd.conversationId }, detail: { to: cmd.to } }),
    },
  }),
  command({
    audience: 'staff',
    type: 'transfer_targets',
    permission: 'conversation.transfer',
    handle: transferTargets,
  }),
  command({
    audience: 'staff',
    type: 'transfers',
    permission: 'conversation.transfer',
    handle: toConversation('transfers'),
  }),
  command({
    audience: 'staff',
    type: 'note',
    permission: 'conversation.note',
    handle: async (cmd, { dir, caller }) => ({
      ...(await dir.deps.runtime.ask(conversationRef(dir, cmd.conversationId), {
        type: 'note',
        caller,
        text: cmd.text,
      })),
    }),
  }),
  command({
    audience: 'staff',
    type: 'notes',
    permission: 'conversation.note',
    handle: toConversation('notes'),
  }),
  command({
    audience: 'staff',
    type: 'canned_list',
    permission: 'canned.use',
    // Committed records, read without the writer: a save is acked only once it is on disk.
    handle: (cmd, { dir, caller }) => ({ ...listCannedReplies(dir.deps.journal, caller, cmd) }),
  }),
  command({
    audience: 'staff',
    type: 'canned_save',
    permission: 'canned.use',
    handle: async (cmd, { dir, caller }) => {
      const { type: _type, id: _id, ...draft } = cmd;
      return { ...(await dir.deps.runtime.ask(dir.cannedReplies, { type: 'save', caller, draft })) };
    },
    // ROLE-5: a workspace reply is configuration, whichever way it is changed; personal ones are not.
    audit: {
      action: 'canned.save',
      when: (cmd) => cmd.scope === 'workspace',
      entry: (cmd) => ({ target: { kind: 'canned', id: cmd.cannedId ?? 'new' }, detail: { title: cmd.title } }),
    },
  }),
  command({
    audience: 'staff',
    type: 'canned_delete',
    permission: 'canned.use',
    handle: async (cmd, { dir, caller }) => ({
      ...(await dir.deps.runtime.ask(dir.cannedReplies, { type: 'delete', caller, cannedId: cmd.cannedId })),
    }),
    audit: { action: 'canned.delete', entry: (cmd) => ({ target: { kind: 'canned', id: cmd.cannedId } }) },
  }),
];
