/**
 * XFER-1/5: the transfers a staff member makes. Each is counted against
 * the daily limit of their role (UTC days) before it is handed on, carries
 * the cross-department grant of their record, and is given back to the
 * count when it is refused.
 */
import { ProtocolError } from '../../protocol/errors.js';
import { Keys } from '../keyspace.js';
import type { AgentMsg, TransferAllowance, TransferGrant } from './messages.js';
import type { AgentContext, AgentState } from './context.js';

/** Limits count per UTC day. */
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Counts one transfer, stored before `then` runs, or answers that the limit is reached. */
function count(
  { ports, profile }: AgentContext,
  s: AgentState,
  limit: number,
  then: () => void,
  refuse: (err: ProtocolError) => void,
): void {
  const day = dayOf(ports.clock.now());
  if (s.transfers.day !== day) s.transfers = { day, count: 0 };
  if (s.transfers.count >= limit) {
    return refuse(
      new ProtocolError('limit_exceeded', `daily transfer limit reached: ${limit} transfers a day for your role`),
    );
  }
  s.transfers = { day, count: s.transfers.count + 1 };
  ports.journal
    .writeRecords([{ key: Keys.transferCount(profile.id), value: s.transfers }])
    .then(then, (err: unknown) => {
      ports.log.error({ err, agentId: profile.id }, 'transfer count not stored');
      refuse(new ProtocolError('storage_failed', 'transfer count not stored; retry'));
    });
}

/** Counts the transfer where the role has a limit, then hands it on with the agent's grant. */
export function transfer(cx: AgentContext, s: AgentState, msg: Extract<AgentMsg, { type: 'transfer' }>): void {
  const { ports, profile, self } = cx;
  const grant: TransferGrant = { mayCrossDepartments: profile.crossDepartmentTransfer };
  const limit = ports.transferLimit(profile.role);
  // Runs after the count's commit, outside this actor's turn: the count is given back by a message to itself.
  const handOn = (counted: boolean): void => {
    const giveBack = (): void => {
      if (counted) ports.runtime.tell(self, { type: 'uncountTransfer' });
    };
    // A refused transfer is given back; one never answered stays counted (erring towards the limit).
    const delivered = msg.handOn(grant, (r) => {
      if (r instanceof ProtocolError) giveBack();
      msg.reply(r);
    });
    if (delivered) return;
    giveBack();
    msg.reply(new ProtocolError('unavailable', 'the conversation is not running; retry'));
  };
  if (limit === undefined) return handOn(false);
  count(cx, s, limit, () => handOn(true), msg.reply);
}

/** A counted transfer did not happen after all. */
export function uncountTransfer({ ports, profile }: AgentContext, s: AgentState): void {
  if (s.transfers.count <= 0) return;
  s.transfers = { ...s.transfers, count: s.transfers.count - 1 };
  ports.journal.writeRecords([{ key: Keys.transferCount(profile.id), value: s.transfers }]).catch(() => undefined);
}

/** XFER-5: what the transfer dialog shows: today's count against the role's limit. */
export function allowance({ ports, profile }: AgentContext, s: AgentState): TransferAllowance {
  const used = s.transfers.day === dayOf(ports.clock.now()) ? s.transfers.count : 0;
  const limit = ports.transferLimit(profile.role);
  const crossDepartments = profile.crossDepartmentTransfer || profile.role !== 'agent';
  if (limit === undefined) return { used, crossDepartments };
  return { used, limit, left: Math.max(0, limit - used), crossDepartments };
}
