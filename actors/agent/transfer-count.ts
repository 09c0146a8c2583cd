/** XFER-5: the transfers a staff member made today (UTC), counted against their role's daily limit. */
import { ProtocolError } from '../../protocol/errors.js';
import { Keys } from '../keyspace.js';
import type { AgentMsg } from './messages.js';
import type { AgentContext, AgentState } from './context.js';

/** Limits count per UTC day. */
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Counts one transfer, stored before it is answered, or refuses it at the limit. */
export function countTransfer(
  { ports, profile }: AgentContext,
  s: AgentState,
  msg: Extract<AgentMsg, { type: 'countTransfer' }>,
): void {
  const day = dayOf(ports.clock.now());
  if (s.transfers.day !== day) s.transfers = { day, count: 0 };
  if (s.transfers.count >= msg.limit) {
    return msg.reply(
      new ProtocolError('limit_exceeded', `daily transfer limit reached: ${msg.limit} transfers a day for your role`),
    );
  }
  s.transfers = { day, count: s.transfers.count + 1 };
  const count = s.transfers.count;
  ports.journal.writeRecords([{ key: Keys.transferCount(profile.id), value: s.transfers }]).then(
    () => msg.reply({ count, limit: msg.limit }),
    (err: unknown) => {
      ports.log.error({ err, agentId: profile.id }, 'transfer count not stored');
      msg.reply(new ProtocolError('storage_failed', 'transfer count not stored; retry'));
    },
  );
}

/** A counted transfer did not happen after all. */
export function uncountTransfer({ ports, profile }: AgentContext, s: AgentState): void {
  if (s.transfers.count <= 0) return;
  s.transfers = { ...s.transfers, count: s.transfers.count - 1 };
  ports.journal.writeRecords([{ key: Keys.transferCount(profile.id), value: s.transfers }]).catch(() => undefined);
}
