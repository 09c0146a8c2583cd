/**
 * The follow-ups of a simulated conversation (follow-ups.ts draws them): the
 * agent's transfer to another department, sent as the console sends it
 * (XFER-1, a department target, with the rule's tags), and the customer's
 * survey answer once staff resolved it (MON-3).
 */
import { ProtocolError } from '../../protocol/errors.js';
import { agentCaller, caller, type LiveCustomer, type SimWorld } from './sim-world.js';

/**
 * On an assignment in `department`: the first rule from there that applies to this customer sets a timer
 * for the agent to transfer it, unless the conversation ends first (the timer is cancelled with the others).
 */
export function scheduleTransfer(
  world: SimWorld,
  l: LiveCustomer,
  conversationId: string,
  department: string,
  agentId: string,
  remainingMs: number,
): void {
  const rules = world.scenario.transfers;
  if (!rules || !l.c.transfers || l.transferred) return;
  const i = rules.findIndex((r, k) => r.from === department && l.c.transfers![k]!.applies);
  if (i < 0) return;
  const rule = rules[i]!;
  const afterMs = l.c.transfers[i]!.afterMs;
  // A conversation whose handle time ends first is resolved, not transferred.
  if (afterMs >= remainingMs) return;
  l.transfer = world.clock.setTimer(afterMs, () => {
    l.transferred = true;
    l.transferTags = rule.tags ?? [];
    world.runtime.tell(world.dir.conversationRef(conversationId), {
      type: 'transfer',
      caller: agentCaller(agentId),
      to: { kind: 'department', department: rule.to },
      note: 'sim transfer',
      tags: rule.tags ?? [],
      mayCrossDepartments: true,
      reply: (r) => {
        // Refused (e.g. a transfer limit, XFER-5): the agent keeps it and resolves it as planned.
        if (r instanceof ProtocolError) l.transferred = false;
      },
    });
  });
}

/** After staff resolved it: the customer who answers the survey rates it at once. */
export function rateIfAnswering(world: SimWorld, l: LiveCustomer, conversationId: string, connection: number): void {
  const score = l.c.rating;
  if (score === undefined) return;
  world.runtime.tell(world.dir.conversationRef(conversationId), {
    type: 'rate',
    caller: caller('visitor', l.visitorId, connection),
    score,
    reply: (r) => {
      if (!(r instanceof ProtocolError)) l.o.rating = score;
    },
  });
}

/** The workspace tags the scenario's transfer rules use (XFER-2: a transfer may carry only known tags). */
export const transferTags = (world: Pick<SimWorld, 'scenario'>): string[] => [
  ...new Set((world.scenario.transfers ?? []).flatMap((r) => r.tags ?? [])),
];
