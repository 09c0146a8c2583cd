/**
 * ROUTE-8, ROUTE-7: where a new conversation starts and what it needs. The
 * widget's entry point holds unless a keyword rule of the first message
 * names another (existing) department; the rules' skills, tier and
 * priority and the customer's VIP flag make the conversation's needs. Pure,
 * so a real `start` (reception.ts) and the routing dry run (MON-4) settle
 * it alike.
 */
import type { KeywordMatcher } from '../routing/keyword-rules.js';
import { clampPriority } from '../routing/queue-order.js';
import { defaultConversationNeeds } from '../routing/needs.js';
import type { RoutingRecord } from '../conversation/records.js';
import type { DepartmentRecord } from '../department/records.js';

export interface EntryInput {
  /** The customer's first message, if `start` carried one. */
  text?: string;
  /** The department the widget named (ROUTE-8), if any. */
  named?: string;
  /** The department it enters by: the named one, else the workspace's first. */
  entry: string;
  /** CUST-3: the customer's VIP flag as it is now. */
  vip: boolean;
}

export function entryRouting(
  keywords: KeywordMatcher,
  hasDepartment: (id: string) => boolean,
  input: EntryInput,
): RoutingRecord {
  const outcome = input.text !== undefined ? keywords.match(input.text, true) : { matches: [] };
  const department =
    outcome.department !== undefined && hasDepartment(outcome.department) ? outcome.department : input.entry;
  return {
    ...(input.named !== undefined ? { entry: input.named } : {}),
    department,
    // The first message is seq 2, right after `created`.
    matches: outcome.matches.map((m) => ({ ...m, seq: 2 })),
    needs: {
      ...defaultConversationNeeds,
      ...(outcome.skills ? { skills: [...outcome.skills] } : {}),
      ...(outcome.tier !== undefined ? { tier: outcome.tier } : {}),
      ...(outcome.priority !== undefined ? { priority: clampPriority(outcome.priority) } : {}),
      vip: input.vip,
    },
    ...(input.text !== undefined ? { firstMessageSeen: true } : {}),
  };
}

/** The department created first: the entry when the widget names none, the same one before and after a restart. */
export const firstDepartment = (departments: Iterable<DepartmentRecord>): string | undefined =>
  [...departments].reduce<DepartmentRecord | undefined>(
    (a, d) => (a === undefined || d.order < a.order ? d : a),
    undefined,
  )?.id;
