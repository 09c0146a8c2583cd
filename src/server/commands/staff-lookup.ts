/**
 * What the staff commands look up before they tell an actor: a staff
 * member by id, the caller's own agent actor, and the departments an agent
 * works while lent (SUP-4), which its agent actor answers. The rules
 * themselves are the actors': loans and transfer limits the agent's
 * (actors/agent/loans.ts, transfer-count.ts), transfers the conversation's.
 */
import { ProtocolError } from '../../../protocol/errors.js';
import type { Directory } from '../../../actors/directory.js';
import type { Caller } from '../../../actors/notifier.js';
import type { StaffRecord } from '../../../actors/agent/records.js';
import type { CommandContext } from './command.js';

/** A staff record by id; an unknown id is the client's `not_found` on `field`. */
export function staffById(dir: Directory, id: string, field: string): Promise<StaffRecord> {
  return dir.deps.runtime.ask(dir.workspace, { type: 'findStaff', by: { id } }).catch(() => {
    throw new ProtocolError('not_found', 'no such agent', field);
  });
}

/** The caller's agent actor; every staff account has one. */
export function ownAgent({ dir, caller }: CommandContext) {
  const agent = dir.agent(caller.id);
  if (!agent) throw new ProtocolError('not_found', 'no agent actor for this account');
  return agent;
}

/** SUP-4: the caller with the departments their agent is lent to now, whose queues they work too. */
export async function withLoans(dir: Directory, caller: Caller): Promise<Caller> {
  const agent = dir.agent(caller.id);
  if (!agent) return caller;
  const { departments: lent } = await dir.deps.runtime.ask(agent, { type: 'loans' });
  return lent.length ? { ...caller, departments: [...(caller.departments ?? []), ...lent] } : caller;
}
