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

/** Lends the agent (stored first), or ends the loan when `until` has passed. */
export function lend(cx: AgentContext, s: AgentState, msg: Extract<AgentMsg, { type: 'loan' }>): void {
  const { ports, profile } = cx;
  if (msg.until <= ports.clock.now()) {
    if (!s.loans.has(msg.department))
      return msg.reply(new ProtocolError('not_found', 'no loan of this agent to that department', 'department'));
    endLoan(cx, s, msg.department);
    pushLoad(cx, s);
    return msg.reply({ agentId: profile.id, department: msg.department, until: msg.until });
  }
  if (profile.departments.includes(msg.department))
    return msg.reply(new ProtocolError('conflict', 'the agent is a member of that department already', 'department'));
  const record: LoanRecord = { agentId: profile.id, department: msg.department, until: msg.until, by: msg.by };
  ports.journal.writeRecords([{ key: Keys.loan(profile.id, msg.department), value: record }]).then(
    () => {
      startLoan(cx, s, msg.department, msg.until);
      pushLoad(cx, s);
      ports.notifier.send(
        { kind: 'staff', id: profile.id },
        {
          type: 'notice',
          code: 'loan_started',
          message: `You are lent to ${msg.department} until ${new Date(msg.until).toISOString()}.`,
        },
      );
      msg.reply({ agentId: profile.id, department: msg.department, until: msg.until });
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

/** Loans stored for this agent, started again after a restart to the minute they were given for. */
export function resumeLoans(cx: AgentContext, s: AgentState): void {
  for (const { value: loan } of cx.ports.journal.records<LoanRecord>(Keys.loanPrefix(cx.profile.id)))
    startLoan(cx, s, loan.department, loan.until);
}
