/**
 * MON-4: the routing dry run behind the conversation test page. An admin
 * describes a customer (entry department, first message, VIP, login,
 * skills, last agent) and learns where the conversation would go and why,
 * before going live: the login check (CUST-1), the keyword rules that
 * match (ROUTE-7) and the department they lead to (ROUTE-8), the needs,
 * then the department's own admission and choice over its live members
 * (department/preview.ts, the code a real route runs: ROUTE-16 verdicts
 * with each candidate's figures and skip reason), or the place in its
 * queue.
 *
 * Nothing is stored and nobody is told: no conversation, no customer or
 * visitor record, no decision record, no offer, no queue entry, no counter.
 * The department and queue answer `preview` from their state without
 * changing it.
 */
import { ProtocolError } from '../protocol/errors.js';
import type { Runtime, Ref } from './runtime.js';
import type { KeywordMatcher, RuleMatch } from './routing/keyword-rules.js';
import type { ConversationNeeds } from './routing/needs.js';
import type { DepartmentRecord } from './department/records.js';
import type { DepartmentMsg } from './department/messages.js';
import type { PlacementPreview } from './department/messages.js';
import type { QueueMsg, QueuePreview } from './queue/messages.js';
import type { VerificationSettings } from './workspace/records.js';
import { entryRouting, firstDepartment } from './workspace/entry-routing.js';

/** How the test customer identifies (CUST-1): no login, a signed (verified) one, or one without a signature. */
export const DryRunLogins = ['none', 'verified', 'unsigned'] as const;
export type DryRunLogin = (typeof DryRunLogins)[number];

export interface DryRunCustomer {
  /** The entry department the widget would name (ROUTE-8); absent = the workspace's first. */
  department?: string;
  /** The first message. */
  text?: string;
  vip?: boolean;
  login?: DryRunLogin;
  /** Skills the conversation requires on top of those keyword rules give (ROUTE-6). */
  skills?: readonly string[];
  /** ROUTE-9: the agent who served this customer last. */
  lastAgent?: string;
}

export interface DryRunAnswer {
  /** CUST-1: whether the widget's hello would be accepted, and as a verified customer or not. */
  login: { accepted: boolean; verified: boolean; reason?: string };
  /** Where it enters (ROUTE-8). */
  entry: string;
  /** Where routing starts: the entry, or the department a keyword rule names (ROUTE-7). */
  department: string;
  /** Every keyword rule that matches the first message, in rule order, with the keywords found. */
  matches: RuleMatch[];
  needs: ConversationNeeds;
  /** The department's answer; absent when the login is refused (no conversation would start). */
  placement?: PlacementPreview;
  /** The place in the queue, when it would wait. */
  queue?: QueuePreview;
}

export interface DryRunPorts {
  runtime: Pick<Runtime, 'ask'>;
  keywords: KeywordMatcher;
  departments(): Iterable<DepartmentRecord>;
  departmentConfig(id: string): DepartmentRecord | undefined;
  verification: VerificationSettings | undefined;
  department(id: string): Ref<DepartmentMsg> | undefined;
  queue(id: string): Ref<QueueMsg> | undefined;
}

/** What customers.ts `identify` would answer to this login. */
function loginCheck(login: DryRunLogin, v: VerificationSettings | undefined): DryRunAnswer['login'] {
  if (login === 'none') return { accepted: true, verified: false };
  if (!v)
    return {
      accepted: false,
      verified: false,
      reason: 'this workspace accepts no logins (no verification secret is set)',
    };
  if (login === 'verified') return { accepted: true, verified: true };
  if (v.required) return { accepted: false, verified: false, reason: 'a login needs a signature' };
  return { accepted: true, verified: false, reason: 'an unsigned login is ignored: the customer is anonymous' };
}

export async function dryRunRouting(ports: DryRunPorts, customer: DryRunCustomer): Promise<DryRunAnswer> {
  const entry = customer.department ?? firstDepartment(ports.departments());
  if (entry === undefined || !ports.departmentConfig(entry))
    throw new ProtocolError('not_found', `no department "${customer.department ?? ''}"`, 'department');
  const routing = entryRouting(ports.keywords, (id) => ports.departmentConfig(id) !== undefined, {
    ...(customer.text !== undefined ? { text: customer.text } : {}),
    ...(customer.department !== undefined ? { named: customer.department } : {}),
    entry,
    vip: customer.vip === true,
  });
  const needs: ConversationNeeds = {
    ...routing.needs,
    skills: [...new Set([...routing.needs.skills, ...(customer.skills ?? [])])],
  };
  const answer: DryRunAnswer = {
    login: loginCheck(customer.login ?? 'none', ports.verification),
    entry,
    department: routing.department,
    matches: routing.matches.map(({ ruleId, keywords }) => ({ ruleId, keywords })),
    needs,
  };
  if (!answer.login.accepted) return answer;
  const department = ports.department(routing.department);
  if (!department) throw new ProtocolError('unavailable', `department "${routing.department}" is not running`);
  answer.placement = await ports.runtime.ask(department, {
    type: 'preview',
    needs,
    ...(customer.lastAgent !== undefined ? { stickyAgent: customer.lastAgent } : {}),
  });
  const queue = ports.queue(routing.department);
  if (answer.placement.outcome === 'queued' && queue)
    answer.queue = await ports.runtime.ask(queue, { type: 'preview', priority: needs.priority });
  return answer;
}
