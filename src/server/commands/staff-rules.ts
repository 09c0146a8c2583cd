/**
 * Domain rules the staff commands still apply in the gateway, gathered here
 * until the actors that own them take them over: an agent's loans widen the
 * departments they work (SUP-4), a role's daily transfer limit (XFER-1/5),
 * and who may lend whom (SUP-4).
 */
import { ProtocolError } from '../../../protocol/errors.js';
import type { LoanFrame, TransferFrame } from '../../../protocol/frames.js';
import type { Directory } from '../../../actors/directory.js';
import type { Caller } from '../../../actors/notifier.js';
import type { TransferResult, TransferTo } from '../../../actors/conversation/index.js';
import { Keys } from '../../../actors/keyspace.js';
import type { LoanRecord, StaffRecord } from '../../../actors/agent/records.js';
import type { AckResult, CommandContext } from './command.js';
import { conversationRef } from './shared.js';

/** SUP-4: an agent lent to a department works its queue too (lists and claims there) while the loan runs. */
export function withLoans(dir: Directory, caller: Caller): Caller {
  const now = dir.deps.clock.now();
  const lent = [...dir.deps.journal.records<LoanRecord>(Keys.loanPrefix(caller.id))]
    .map((r) => r.value)
    .filter((l) => l.until > now)
    .map((l) => l.department);
  return lent.length ? { ...caller, departments: [...(caller.departments ?? []), ...lent] } : caller;
}

/** A staff record by id; an unknown id is the client's `not_found` on `field`. */
export function staffById(dir: Directory, id: string, field: string): Promise<StaffRecord> {
  return dir.deps.runtime.ask(dir.workspace, { type: 'findStaff', by: { id } }).catch(() => {
    throw new ProtocolError('not_found', 'no such agent', field);
  });
}

/** XFER-1/5: the daily limit of the caller's role is counted first, and given back if the transfer does not happen. */
export async function transfer(cmd: TransferFrame, { dir, caller }: CommandContext): Promise<TransferResult> {
  const conv = conversationRef(dir, cmd.conversationId);
  const { runtime } = dir.deps;
  let to: TransferTo;
  if ('agentId' in cmd.to) {
    const target = await staffById(dir, cmd.to.agentId, 'to.agentId');
    to = { kind: 'agent', id: target.id, name: target.name, departments: target.departments };
  } else to = { kind: 'department', department: cmd.to.department };
  const me = await staffById(dir, caller.id, 'id');
  const limit = dir.settings.transferLimits?.[me.role];
  const counter = limit !== undefined ? dir.agent(caller.id) : undefined;
  if (counter) await runtime.ask(counter, { type: 'countTransfer', limit: limit! });
  try {
    return await runtime.ask(conv, {
      type: 'transfer',
      caller,
      to,
      note: cmd.note,
      tags: cmd.tags ?? [],
      ...(cmd.reason !== undefined ? { reason: cmd.reason } : {}),
      mayCrossDepartments: me.crossDepartmentTransfer === true,
    });
  } catch (err) {
    // A timeout says nothing of the outcome: the transfer may still complete, so it stays counted (erring towards the limit).
    const refused = !(err instanceof ProtocolError && err.code === 'timeout');
    if (counter && refused) runtime.tell(counter, { type: 'uncountTransfer' });
    throw err;
  }
}

/** SUP-4: supervisors lend agents of departments they lead; admins any agent. */
export async function loan(cmd: LoanFrame, { dir, caller }: CommandContext): Promise<AckResult> {
  const agent = await staffById(dir, cmd.agentId, 'agentId');
  const leads =
    caller.role === 'admin' ||
    (caller.role === 'supervisor' && agent.departments.some((d) => caller.departments?.includes(d)));
  if (!leads)
    throw new ProtocolError(
      'forbidden',
      "only a supervisor of one of the agent's departments, or an admin, lends an agent",
    );
  if (!dir.department(cmd.department))
    throw new ProtocolError('not_found', `no department "${cmd.department}"`, 'department');
  const ref = dir.agent(agent.id);
  if (!ref) throw new ProtocolError('not_found', 'no such agent', 'agentId');
  const until = cmd.minutes === 0 ? 0 : dir.deps.clock.now() + cmd.minutes * 60_000;
  return { ...(await dir.deps.runtime.ask(ref, { type: 'loan', department: cmd.department, until, by: caller.id })) };
}
