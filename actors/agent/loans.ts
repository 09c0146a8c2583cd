/** SUP-4: an agent lent to another department until a given time; loans run on across restarts. */
import { ProtocolError } from '../../protocol/errors.js';
import { Keys } from '../keyspace.js';
import type { LoanRecord } from './records.js';
import type { AgentMsg } from './messages.js';
import { leave, pushLoad, type AgentContext, type AgentState } from './context.js';

export function startLoan({ ports, self }: AgentContext, s: AgentState, department: string, until: number): void {
  const { clock, runtime } = ports;
  s.loans.get(department)?.timer.cancel();
  s.loans.set(department, {
    until,
    timer: clock.setTimer(Math.max(0, until - clock.now()), () =>
      runtime.tell(self, { type: 'loanOver', department, until }),
    ),
  });
}

/** The loaned department stops seeing the agent as a member who can take work. */
function endLoan(cx: AgentContext, s: AgentState, department: string): void {
  const { ports, profile } = cx;
  const loan = s.loans.get(department);
  if (!loan) return;
  loan.timer.cancel();
  s.loans.delete(department);
  ports.journal
    .writeRecords([{ key: Keys.loan(profile.id, department), value: undefined }])
    .catch((err: unknown) => ports.log.warn({ err, agentId: profile.id }, 'loan end not stored'));
  if (!profile.departments.includes(department)) leave(cx, s, department);
  ports.notifier.send(
    { kind: 'staff', id: profile.id },
    { type: 'notice', code: 'loan_ended', message: `Your loan to ${department} has ended.` },
  );
}

/** SUP-4: supervisors lend agents of departments they lead; admins any agent. */
const mayLend = (by: Extract<AgentMsg, { type: 'loan' }>['by'], departments: readonly string[]): boolean =>
  by.role === 'admin' || (by.role === 'supervisor' && departments.some((d) => by.departments?.includes(d)));

/** Lends the agent (stored first) for the minutes asked, or ends the loan when they are 0. */
export function lend(cx: AgentContext, s: AgentState, msg: Extract<AgentMsg, { type: 'loan' }>): void {
  const { ports, profile } = cx;
  if (!mayLend(msg.by, profile.departments))
    return msg.reply(
      new ProtocolError(
        'forbidden',
        "only a supervisor of one of the agent's departments, or an admin, lends an agent",
      ),
    );
  if (!ports.department(msg.department))
    return msg.reply(new ProtocolError('not_found', `no department "${msg.department}"`, 'department'));
  const until = msg.minutes === 0 ? 0 : ports.clock.now() + msg.minutes * 60_000;
  if (until <= ports.clock.now()) {
    if (!s.loans.has(msg.department))
      return msg.reply(new ProtocolError('not_found', 'no loan of this agent to that department', 'department'));
    endLoan(cx, s, msg.department);
    pushLoad(cx, s);
    return msg.reply({ agentId: profile.id, department: msg.department, until });
  }
  if (profile.departments.includes(msg.department))
    return msg.reply(new ProtocolError('conflict', 'the agent is a member of that department already', 'department'));
  const record: LoanRecord = { agentId: profile.id, department: msg.department, until, by: msg.by.id };
  ports.journal.writeRecords([{ key: Keys.loan(profile.id, msg.department), value: record }]).then(
    () => {
      startLoan(cx, s, msg.department, until);
      pushLoad(cx, s);
      ports.notifier.send(
        { kind: 'staff', id: profile.id },
        {
          type: 'notice',
          code: 'loan_started',
          message: `You are lent to ${msg.department} until ${new Date(until).toISOString()}.`,
        },
      );
      msg.reply({ agentId: profile.id, department: msg.department, until });
    },
    (err: unknown) => {
      ports.log.error({ err, agentId: profile.id }, 'loan not stored');
      msg.reply(new ProtocolError('storage_failed', 'loan not stored; retry'));
    },
  );
}

/** A loan's timer ran out; a loan given again meanwhile (another `until`) runs on. */
export function loanOver(cx: AgentContext, s: AgentState, msg: Extract<AgentMsg, { type: 'loanOver' }>): void {
  if (s.loans.get(msg.department)?.until !== msg.until) return;
  endLoan(cx, s, msg.department);
  pushLoad(cx, s);
}

/** The departments the agent is lent to now (a loan whose time is up counts no more, even before its timer ran). */
export function lentTo({ ports }: AgentContext, s: AgentState): string[] {
  const now = ports.clock.now();
  return [...s.loans].filter(([, loan]) => loan.until > now).map(([department]) => department);
}

/** Loans stored for this agent, started again after a restart to the minute they were given for. */
export function resumeLoans(cx: AgentContext, s: AgentState): void {
  for (const { value: loan } of cx.ports.journal.records<LoanRecord>(Keys.loanPrefix(cx.profile.id)))
    startLoan(cx, s, loan.department, loan.until);
}
