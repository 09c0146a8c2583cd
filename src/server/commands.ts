/**
 * Executes validated client commands by sending typed messages to actors.
 * Returns the ack's result; throws ProtocolError for anything the client did
 * wrong or that failed without changing state.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type {
  StaffCommand,
  VisitorCommand,
  SendFrame,
  ResumeFrame,
  HelloFrame,
  PingFrame,
  SignInFrame,
  TransferFrame,
  MonitorFrame,
  LoanFrame,
  ConversationSummary,
  TypingFrame,
  ReadFrame,
  FileRef,
} from '../../protocol/frames.js';
import type { Directory } from '../../actors/directory.js';
import type { Caller } from '../../actors/notifier.js';
import { identity } from '../../actors/workspace/identity.js';
import { staffOfToken } from '../auth/authenticate.js';
import { checkPassword, warmDecoy } from '../auth/sign-in.js';
import type { SignInLimiter } from '../auth/signin-limiter.js';
import { authorize, StaffCommandPermissions } from '../auth/permissions.js';
import type { SendResult, TransferResult, TransferTo } from '../../actors/conversation/index.js';
import { Keys, uploaderOf, type FileRecord, type LoanRecord, type OpenConversationRecord, type StaffRecord, type StaffRole } from '../../actors/records.js';
import type { AuditDraft } from '../../actors/audit.js';
import { conversationSummary } from '../../actors/monitor.js';
import { listCannedReplies } from '../../actors/canned-replies.js';
import type { Connections, Socket } from './connections.js';

export type AckResult = Record<string, unknown> | undefined;

export class Commands {
  constructor(
    private readonly dir: Directory,
    private readonly connections: Connections,
    private readonly signInLimiter: SignInLimiter,
  ) {
    warmDecoy();
  }

  /**
   * Identifying commands (hello, signin) gate the rest: a command sent right
   * behind one waits for it instead of failing with `unauthorized`.
   */
  private gate<T>(ws: Socket, run: Promise<T>): Promise<T> {
    ws.getUserData().identifying = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async visitor(ws: Socket, cmd: VisitorCommand): Promise<AckResult> {
    const d = ws.getUserData();
    if (cmd.type === 'ping') return undefined;
    if (cmd.type === 'hello') return this.gate(ws, this.hello(ws, cmd));
    if (!d.visitorId && d.identifying) await d.identifying;
    return this.visitorCommand(ws, cmd);
  }

  private async hello(ws: Socket, cmd: HelloFrame): Promise<AckResult> {
    const d = ws.getUserData();
    if (d.visitorId && cmd.visitorId && cmd.visitorId !== d.visitorId) {
      throw new ProtocolError('conflict', 'this connection already said hello as another visitor', 'visitorId');
    }
    const visitorId = cmd.visitorId ?? d.visitorId;
    const r = await this.ask(this.dir.workspace, { type: 'hello', ...(visitorId !== undefined ? { visitorId } : {}) });
    // CUST-1: where the visitor is seen from, and who they are if they logged in. A refused login fails the
    // whole hello before the connection is bound to anyone.
    const who = await this.ask(this.dir.customers, {
      type: 'identify',
      visitorId: r.visitorId,
      ip: d.remoteAddress,
      ...(cmd.login !== undefined ? { login: cmd.login } : {}),
    });
    // Another hello on this connection may have bound a visitor while this one awaited; acking a
    // different visitor id would tell the client it is someone the connection does not act as.
    if (d.visitorId && r.visitorId !== d.visitorId) {
      throw new ProtocolError('conflict', 'this connection already said hello as another visitor', 'visitorId');
    }
    if (!d.closed && !d.visitorId) {
      d.visitorId = r.visitorId;
      this.connections.bind(ws, `visitor:${r.visitorId}`);
    }
    return { ...r, ...(who.verified !== undefined ? { verified: who.verified } : {}) };
  }

  private async visitorCommand(ws: Socket, cmd: Exclude<VisitorCommand, HelloFrame | PingFrame>): Promise<AckResult> {
    const d = ws.getUserData();
    if (!d.visitorId) throw new ProtocolError('unauthorized', 'send hello first');
    const caller: Caller = { role: 'visitor', id: d.visitorId, connectionId: d.connectionId };
    switch (cmd.type) {
      case 'start': {
        const r = await this.ask(this.dir.workspace, {
          type: 'start',
          caller,
          ...(cmd.department !== undefined ? { department: cmd.department } : {}),
          ...(cmd.text !== undefined ? { text: cmd.text } : {}),
          ...(cmd.clientMsgId !== undefined ? { clientMsgId: cmd.clientMsgId } : {}),
          ...(cmd.language !== undefined ? { language: cmd.language } : {}),
        });
        if (!r.created && cmd.text !== undefined) {
          // The visitor already has an open conversation: the text belongs in it, not in the void.
          // Without a clientMsgId it is stored without one and cannot be deduplicated.
          const conv = this.conversation(r.conversationId);
          const sent = await this.ask(conv, { type: 'send', caller, text: cmd.text, ...(cmd.clientMsgId !== undefined ? { clientMsgId: cmd.clientMsgId } : {}) });
          return { conversationId: r.conversationId, created: false, seq: sent.seq, messageId: sent.messageId };
        }
        return { conversationId: r.conversationId, created: r.created, ...(r.seq > 0 && cmd.text !== undefined ? { seq: r.seq, messageId: r.messageId } : {}) };
      }
      case 'send':
        return { ...(await this.send(caller, cmd)) };
      case 'resume':
        return this.resume(caller, cmd);
      case 'leave':
        return { ...(await this.ask(this.conversation(cmd.conversationId), { type: 'leave', caller })) };
      case 'rate':
        return {
          ...(await this.ask(this.conversation(cmd.conversationId), { type: 'rate', caller, score: cmd.score, ...(cmd.comment !== undefined ? { comment: cmd.comment } : {}) })),
        };
      case 'typing':
      case 'read':
        return this.presence(caller, cmd);
    }
  }

  async staff(ws: Socket, cmd: StaffCommand): Promise<AckResult> {
    const d = ws.getUserData();
    if (cmd.type === 'ping') return undefined;
    if (cmd.type === 'signin') return this.gate(ws, this.auditedSignIn(ws, cmd));
    if (!d.staff && d.identifying) await d.identifying;
    const result = await this.staffCommand(ws, cmd);
    if (d.staff) {
      const caller: Caller = { role: d.staff.role, id: d.staff.id, name: d.staff.name, connectionId: d.connectionId, departments: d.staff.departments };
      const audited = this.auditStaffCommand(caller, cmd, d.remoteAddress);
      // A transfer's ack goes out before the routing it caused (docs/protocol.md): waiting for the audit write let a new
      // `assigned` overtake it. The entry is still written after the transfer succeeded; audit() never rejects.
      if (cmd.type !== 'transfer') await audited;
    }
    return result;
  }

  /** ROLE-5: every sign-in over the WebSocket, accepted or refused, goes to the audit log. */
  private async auditedSignIn(ws: Socket, cmd: SignInFrame): Promise<AckResult> {
    const remote = ws.getUserData().remoteAddress;
    const how = 'token' in cmd ? { method: 'token' } : { method: 'password', email: cmd.email };
    try {
      const result = await this.signIn(ws, cmd);
      const who = ws.getUserData().staff;
      await this.audit({ action: 'signin', outcome: 'ok', remote, detail: how, ...(who ? { actor: { id: who.id, role: who.role } } : {}) });
      return result;
    } catch (err) {
      if (err instanceof ProtocolError && err.code === 'unauthorized') await this.audit({ action: 'signin', outcome: 'refused', remote, detail: how });
      throw err;
    }
  }

  /** Writes an audit entry; a failure to store it is logged, and does not undo what was done. */
  private async audit(entry: AuditDraft): Promise<void> {
    await this.ask(this.dir.audit, { type: 'record', entry }).catch((err: unknown) => this.dir.deps.log.error({ err, action: entry.action }, 'audit entry lost'));
  }

  /** ROLE-5: a supervisor action that succeeded, by who, on what. */
  private supervisorAction(caller: Caller, action: string, remote: string, target: { kind: string; id: string }, detail?: Record<string, unknown>): Promise<void> {
    return this.audit({ action, outcome: 'ok', remote, actor: { id: caller.id, role: caller.role as StaffRole }, target, ...(detail ? { detail } : {}) });
  }

  /** The supervisor actions the audit log keeps (ROLE-5), recorded after they succeeded. */
  private async auditStaffCommand(caller: Caller, cmd: Exclude<StaffCommand, SignInFrame | PingFrame>, remote: string): Promise<void> {
    switch (cmd.type) {
      case 'monitor':
        return this.supervisorAction(caller, 'supervise.monitor', remote, { kind: 'departments', id: (cmd.departments ?? ['*']).join(',') });
      case 'join':
      case 'takeover':
        return this.supervisorAction(caller, `supervise.${cmd.type}`, remote, { kind: 'conversation', id: cmd.conversationId });
      case 'claim':
        if (cmd.agentId !== undefined && cmd.agentId !== caller.id) {
          return this.supervisorAction(caller, 'supervise.reassign', remote, { kind: 'conversation', id: cmd.conversationId }, { agentId: cmd.agentId });
        }
        return;
      case 'transfer':
        if (caller.role !== 'agent') return this.supervisorAction(caller, 'supervise.transfer', remote, { kind: 'conversation', id: cmd.conversationId }, { to: cmd.to });
        return;
      case 'loan':
        return this.supervisorAction(caller, 'supervise.loan', remote, { kind: 'staff', id: cmd.agentId }, { department: cmd.department, minutes: cmd.minutes });
      case 'canned_save':
        // A workspace reply is configuration (ROLE-5), whichever way it is changed; personal ones are not.
        if (cmd.scope === 'workspace') return this.supervisorAction(caller, 'canned.save', remote, { kind: 'canned', id: cmd.cannedId ?? 'new' }, { title: cmd.title });
        return;
      case 'canned_delete':
        return this.supervisorAction(caller, 'canned.delete', remote, { kind: 'canned', id: cmd.cannedId });
      default:
        return;
    }
  }

  private async signIn(ws: Socket, cmd: SignInFrame): Promise<AckResult> {
    const d = ws.getUserData();
    if (d.staff) throw new ProtocolError('conflict', 'already signed in');
    let staffRecord: StaffRecord;
    let sessionId: string | undefined;
    if ('password' in cmd) {
      staffRecord = await checkPassword(this.dir, this.signInLimiter, cmd.email, cmd.password, d.remoteAddress);
      // A session of its own, never shown: a sign-out elsewhere, a password change or a reset closes this connection too.
      sessionId = (await this.ask(this.dir.sessions, { type: 'open', staffId: staffRecord.id, ip: d.remoteAddress })).sessionId;
    } else {
      const found = await staffOfToken(this.dir, cmd.token);
      staffRecord = found.staff;
      sessionId = found.sessionId;
    }
    const who = identity(staffRecord);
    if (d.closed) throw new ProtocolError('unavailable', 'connection closed');
    // Re-checked after the awaits: a concurrent signin on this connection may have attached first, and
    // attaching twice would bind the socket to two principals and leak an agent connection count.
    if (d.staff) throw new ProtocolError('conflict', 'already signed in');
    this.attachStaff(ws, who);
    if (sessionId !== undefined) d.sessionId = sessionId;
    const agent = this.dir.agent(who.id);
    // The conversations this agent serves, so a reloaded console can resume them.
    const conversations = agent ? (await this.ask(agent, { type: 'describe' })).conversations : [];
    return { ...who, conversations };
  }

  private async staffCommand(ws: Socket, cmd: Exclude<StaffCommand, SignInFrame | PingFrame>): Promise<AckResult> {
    const d = ws.getUserData();
    if (!d.staff) throw new ProtocolError('unauthorized', 'sign in first');
    // ROLE-4: the role gate of the one permission table, before any actor sees the command.
    authorize(d.staff, StaffCommandPermissions[cmd.type]);
    const caller: Caller = { role: d.staff.role, id: d.staff.id, name: d.staff.name, connectionId: d.connectionId, departments: d.staff.departments };
    switch (cmd.type) {
      case 'status': {
        const agent = this.dir.agent(caller.id);
        if (!agent) throw new ProtocolError('not_found', 'no agent actor for this account');
        return { ...(await this.ask(agent, { type: 'setStatus', status: cmd.status })) };
      }
      case 'send':
        return { ...(await this.send(caller, cmd)) };
      case 'resume':
        return this.resume(caller, cmd);
      case 'claim': {
        let agent = { id: d.staff.id, name: d.staff.name };
        if (cmd.agentId !== undefined && cmd.agentId !== d.staff.id) {
          const found = await this.staffById(cmd.agentId, 'agentId');
          agent = { id: found.id, name: found.name };
        }
        return { ...(await this.ask(this.conversation(cmd.conversationId), { type: 'claim', caller: this.withLoans(caller), agent })) };
      }
      case 'queue': {
        const mine = caller.role === 'admin' || (this.withLoans(caller).departments?.includes(cmd.department) ?? false);
        const queue = mine ? this.dir.queue(cmd.department) : undefined;
        if (!queue) throw new ProtocolError('not_found', `no department "${cmd.department}" of yours`, 'department');
        return { ...(await this.ask(queue, { type: 'list' })) };
      }
      case 'accept':
      case 'decline': {
        const agent = this.dir.agent(caller.id);
        if (!agent) throw new ProtocolError('not_found', 'no agent actor for this account');
        return {
          ...(await this.ask(agent, {
            type: 'answerOffer',
            conversationId: cmd.conversationId,
            accept: cmd.type === 'accept',
            ...(cmd.type === 'decline' ? { reason: cmd.reason } : {}),
          })),
        };
      }
      case 'explain':
        return { ...(await this.ask(this.conversation(cmd.conversationId), { type: 'explain', caller })) };
      case 'customer':
        return { ...(await this.ask(this.conversation(cmd.conversationId), { type: 'customer', caller })) };
      case 'edit_customer':
        return { ...(await this.ask(this.conversation(cmd.conversationId), { type: 'customer', caller, changes: cmd.changes })) };
      case 'resolve': {
        const conv = this.conversation(cmd.conversationId);
        return { ...(await this.ask(conv, { type: 'resolve', caller, ...(cmd.summary !== undefined ? { summary: cmd.summary } : {}) })) };
      }
      case 'transfer':
        return { ...(await this.transfer(caller, cmd)) };
      case 'transfers':
      case 'notes':
      case 'join':
      case 'part':
      case 'takeover':
        return { ...(await this.ask(this.conversation(cmd.conversationId), { type: cmd.type, caller })) };
      case 'note':
        return { ...(await this.ask(this.conversation(cmd.conversationId), { type: 'note', caller, text: cmd.text })) };
      case 'monitor':
        return this.monitor(caller, cmd);
      case 'unmonitor':
        return { watching: this.dir.monitor.unwatch(caller.connectionId) };
      case 'loan':
        return { ...(await this.loan(caller, cmd)) };
      case 'typing':
      case 'read':
        return this.presence(caller, cmd);
      case 'canned_list':
        // Committed records, read without the writer: a save is acked only once it is on disk.
        return { ...listCannedReplies(this.dir.deps.journal, caller, cmd) };
      case 'canned_save': {
        const { type: _type, id: _id, ...draft } = cmd;
        return { ...(await this.ask(this.dir.cannedReplies, { type: 'save', caller, draft })) };
      }
      case 'canned_delete':
        return { ...(await this.ask(this.dir.cannedReplies, { type: 'delete', caller, cannedId: cmd.cannedId })) };
    }
  }

  /** SUP-4: an agent lent to a department works its queue too (lists and claims there) while the loan runs. */
  private withLoans(caller: Caller): Caller {
    const now = this.dir.deps.clock.now();
    const lent = [...this.dir.deps.journal.records<LoanRecord>(Keys.loanPrefix(caller.id))].map((r) => r.value).filter((l) => l.until > now).map((l) => l.department);
    return lent.length ? { ...caller, departments: [...(caller.departments ?? []), ...lent] } : caller;
  }

  /** XFER-1/5: the daily limit of the caller's role is counted first, and given back if the transfer does not happen. */
  private async transfer(caller: Caller, cmd: TransferFrame): Promise<TransferResult> {
    const conv = this.conversation(cmd.conversationId);
    let to: TransferTo;
    if ('agentId' in cmd.to) {
      const target = await this.staffById(cmd.to.agentId, 'to.agentId');
      to = { kind: 'agent', id: target.id, name: target.name, departments: target.departments };
    } else to = { kind: 'department', department: cmd.to.department };
    const me = await this.staffById(caller.id, 'id');
    const limit = this.dir.settings.transferLimits?.[me.role];
    const counter = limit !== undefined ? this.dir.agent(caller.id) : undefined;
    if (counter) await this.ask(counter, { type: 'countTransfer', limit: limit! });
    try {
      return await this.ask(conv, {
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
      if (counter && refused) this.dir.deps.runtime.tell(counter, { type: 'uncountTransfer' });
      throw err;
    }
  }

  /**
   * SUP-1: the live view. The watch is registered before the open
   * conversations are read, in the same turn, so no change falls between
   * the list and the first update.
   */
  private monitor(caller: Caller, cmd: MonitorFrame): AckResult {
    if (caller.role === 'agent') throw new ProtocolError('forbidden', 'the live view is for supervisors and admins');
    const mine = caller.role === 'admin' ? undefined : (caller.departments ?? []);
    const asked = cmd.departments;
    for (const [i, d] of (asked ?? []).entries()) {
      if (!this.dir.department(d) || (mine && !mine.includes(d))) throw new ProtocolError('not_found', `no department "${d}" of yours`, `departments.${i}`);
    }
    const departments = asked ?? mine;
    this.dir.monitor.watch(caller.connectionId, departments);
    const conversations: ConversationSummary[] = [];
    for (const { value: c } of this.dir.deps.journal.records<OpenConversationRecord>(Keys.allOpen)) {
      if (!departments || departments.includes(c.department)) conversations.push(conversationSummary(c));
    }
    return { conversations };
  }

  /** A staff record by id; an unknown id is the client's `not_found` on `field`. */
  private staffById(id: string, field: string): Promise<StaffRecord> {
    return this.ask(this.dir.workspace, { type: 'findStaff', by: { id } }).catch(() => {
      throw new ProtocolError('not_found', 'no such agent', field);
    });
  }

  /** SUP-4: supervisors lend agents of departments they lead; admins any agent. */
  private async loan(caller: Caller, cmd: LoanFrame): Promise<Record<string, unknown>> {
    const agent = await this.staffById(cmd.agentId, 'agentId');
    const leads = caller.role === 'admin' || (caller.role === 'supervisor' && agent.departments.some((d) => caller.departments?.includes(d)));
    if (!leads) throw new ProtocolError('forbidden', 'only a supervisor of one of the agent\'s departments, or an admin, lends an agent');
    if (!this.dir.department(cmd.department)) throw new ProtocolError('not_found', `no department "${cmd.department}"`, 'department');
    const ref = this.dir.agent(agent.id);
    if (!ref) throw new ProtocolError('not_found', 'no such agent', 'agentId');
    const until = cmd.minutes === 0 ? 0 : this.dir.deps.clock.now() + cmd.minutes * 60_000;
    return { ...(await this.ask(ref, { type: 'loan', department: cmd.department, until, by: caller.id })) };
  }

  /** Marks a socket as this staff member's and tells their agent actor a connection opened. */
  attachStaff(ws: Socket, who: NonNullable<ReturnType<typeof identity>>): void {
    const d = ws.getUserData();
    d.staff = who;
    this.connections.bind(ws, `staff:${who.id}`);
    const agent = this.dir.agent(who.id);
    if (agent) this.dir.deps.runtime.tell(agent, { type: 'connected' });
  }

  detach(ws: Socket): void {
    const d = ws.getUserData();
    this.dir.monitor.unwatch(d.connectionId);
    const agent = d.staff ? this.dir.agent(d.staff.id) : undefined;
    if (agent) this.dir.deps.runtime.tell(agent, { type: 'disconnected' });
  }

  private async send(caller: Caller, cmd: SendFrame): Promise<SendResult> {
    if (cmd.text === undefined && cmd.fileId === undefined) throw new ProtocolError('invalid_field', 'a message needs text, a fileId, or both', 'text');
    const file = cmd.fileId === undefined ? undefined : this.ownUpload(caller, cmd.conversationId, cmd.fileId);
    const conv = this.conversation(cmd.conversationId);
    return this.ask(conv, { type: 'send', caller, clientMsgId: cmd.clientMsgId, ...(cmd.text !== undefined ? { text: cmd.text } : {}), ...(file ? { file } : {}) });
  }

  /** CONV-1: a message may carry only a file its sender uploaded to that conversation (the upload checked the right to write there). */
  private ownUpload(caller: Caller, conversationId: string, fileId: string): FileRef {
    const file = this.dir.deps.journal.getRecord<FileRecord>(Keys.file(fileId));
    if (!file || file.conversationId !== conversationId || file.uploader !== uploaderOf(caller)) {
      throw new ProtocolError('not_found', 'no file with this id was uploaded by you to this conversation', 'fileId');
    }
    return { id: file.id, name: file.name, type: file.type, size: file.size };
  }

  private async resume(caller: Caller, cmd: ResumeFrame): Promise<AckResult> {
    const conv = this.conversation(cmd.conversationId);
    return { ...(await this.ask(conv, { type: 'resume', caller, lastSeq: cmd.lastSeq })) };
  }

  /** CONV-2, for visitors and staff alike. */
  private async presence(caller: Caller, cmd: TypingFrame | ReadFrame): Promise<AckResult> {
    const conv = this.conversation(cmd.conversationId);
    if (cmd.type === 'typing') return { ...(await this.ask(conv, { type: 'typing', caller, typing: cmd.typing })) };
    return { ...(await this.ask(conv, { type: 'read', caller, seq: cmd.seq })) };
  }

  private conversation(id: string) {
    const ref = this.dir.conversation(id);
    if (!ref) throw new ProtocolError('not_found', 'no such conversation', 'conversationId');
    return ref;
  }

  private get ask() {
    const runtime = this.dir.deps.runtime;
    return runtime.ask.bind(runtime);
  }
}

