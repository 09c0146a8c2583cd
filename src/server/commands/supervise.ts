/**
 * The supervisor commands of /v1/staff (SUP-1…4): the live view, joining,
 * taking over and lending agents. Each one that succeeds is audited (ROLE-5).
 */
import { ProtocolError } from '../../../protocol/errors.js';
import type { ConversationSummary, MonitorDepartmentsFrame, MonitorFrame } from '../../../protocol/frames.js';
import { conversationSummary } from '../../../actors/monitor.js';
import { Keys, type OpenConversationRecord } from '../../../actors/records.js';
import { command, type AckResult, type CommandContext } from './command.js';
import { toConversation } from './shared.js';
import { loan } from './staff-rules.js';

/**
 * SUP-1: the live view. The watch is registered before the open
 * conversations are read, in the same turn, so no change falls between
 * the list and the first update.
 */
function monitor(cmd: MonitorFrame, ctx: CommandContext): AckResult {
  const { dir, caller } = ctx;
  const departments = watchedDepartments(cmd.departments, ctx);
  dir.monitor.watch(caller.connectionId, departments);
  const conversations: ConversationSummary[] = [];
  for (const { value: c } of dir.deps.journal.records<OpenConversationRecord>(Keys.allOpen)) {
    if (!departments || departments.includes(c.department)) conversations.push(conversationSummary(c));
  }
  return { conversations };
}

/** The departments a watch of `asked` covers for the caller (undefined: all), or the error naming the first not theirs. */
function watchedDepartments(
  asked: readonly string[] | undefined,
  { dir, caller }: CommandContext,
): readonly string[] | undefined {
  if (caller.role === 'agent') throw new ProtocolError('forbidden', 'the live view is for supervisors and admins');
  const mine = caller.role === 'admin' ? undefined : (caller.departments ?? []);
  for (const [i, d] of (asked ?? []).entries()) {
    if (!dir.department(d) || (mine && !mine.includes(d)))
      throw new ProtocolError('not_found', `no department "${d}" of yours`, `departments.${i}`);
  }
  return asked ?? mine;
}

/** MON-1: the department monitor; its ack holds the whole figures, later frames only what changed. */
async function monitorDepartments(cmd: MonitorDepartmentsFrame, ctx: CommandContext): Promise<AckResult> {
  const departments = watchedDepartments(cmd.departments, ctx);
  const { dir, caller } = ctx;
  const snapshot = await dir.deps.runtime.ask(dir.floor, {
    type: 'watch',
    connectionId: caller.connectionId,
    departments,
  });
  return { ...snapshot };
}

const onConversation = (cmd: { conversationId: string }) => ({
  target: { kind: 'conversation', id: cmd.conversationId },
});

export const superviseCommands = [
  command({
    audience: 'staff',
    type: 'monitor',
    permission: 'supervise',
    handle: monitor,
    audit: {
      action: 'supervise.monitor',
      entry: (cmd) => ({ target: { kind: 'departments', id: (cmd.departments ?? ['*']).join(',') } }),
    },
  }),
  command({
    audience: 'staff',
    type: 'unmonitor',
    permission: 'supervise',
    handle: (_cmd, { dir, caller }) => ({ watching: dir.monitor.unwatch(caller.connectionId) }),
  }),
  command({
    audience: 'staff',
    type: 'monitor_departments',
    permission: 'supervise',
    handle: monitorDepartments,
    audit: {
      action: 'supervise.monitor_departments',
      entry: (cmd) => ({ target: { kind: 'departments', id: (cmd.departments ?? ['*']).join(',') } }),
    },
  }),
  command({
    audience: 'staff',
    type: 'unmonitor_departments',
    permission: 'supervise',
    handle: (_cmd, { dir, caller }) =>
      dir.deps.runtime.ask(dir.floor, { type: 'unwatch', connectionId: caller.connectionId }),
  }),
  command({
    audience: 'staff',
    type: 'join',
    permission: 'supervise',
    handle: toConversation('join'),
    audit: { action: 'supervise.join', entry: onConversation },
  }),
  command({
    audience: 'staff',
    type: 'part',
    permission: 'supervise',
    handle: toConversation('part'),
  }),
  command({
    audience: 'staff',
    type: 'takeover',
    permission: 'supervise',
    handle: toConversation('takeover'),
    audit: { action: 'supervise.takeover', entry: onConversation },
  }),
  command({
    audience: 'staff',
    type: 'loan',
    permission: 'supervise',
    handle: loan,
    audit: {
      action: 'supervise.loan',
      entry: (cmd) => ({
        target: { kind: 'staff', id: cmd.agentId },
        detail: { department: cmd.department, minutes: cmd.minutes },
      }),
    },
  }),
];
