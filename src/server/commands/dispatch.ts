/**
 * Runs a validated client frame through its entry of the command table:
 * the same steps for every command. Handshake commands run at once (hello
 * and signin gate what follows); any other waits for a pending hello or
 * signin, needs a principal, passes the role gate of its permission
 * (ROLE-4), runs, and then has its audit rule write the audit entry
 * (ROLE-5) before the ack goes out.
 */
import { ProtocolError } from '../../../protocol/errors.js';
import type { Directory } from '../../../actors/directory.js';
import type { Caller } from '../../../actors/notifier.js';
import type { AuditDraft } from '../../../actors/audit.js';
import { authorize, type Permission } from '../../auth/permissions.js';
import type { SignInLimiter } from '../../auth/signin-limiter.js';
import { warmDecoy } from '../../auth/sign-in.js';
import type { Connections, Socket } from '../connections.js';
import { HANDSHAKE, VISITOR, type AckResult, type Audience, type Command, type HandshakeContext } from './command.js';
import { commandsOf, commandTable } from './table.js';

export class CommandDispatcher {
  private readonly byAudience: Record<Audience, ReadonlyMap<string, Command>>;

  constructor(
    private readonly dir: Directory,
    private readonly connections: Connections,
    private readonly signInLimiter: SignInLimiter,
    table: readonly Command[] = commandTable,
  ) {
    this.byAudience = { visitor: commandsOf('visitor', table), staff: commandsOf('staff', table) };
    warmDecoy();
  }

  /** Executes a frame the codec validated for this connection's endpoint. */
  async run(ws: Socket, frame: { type: string }): Promise<AckResult> {
    const d = ws.getUserData();
    const entry = this.byAudience[d.kind].get(frame.type);
    // The validator knows only the types of the table's audience: a miss here is a table out of step with protocol/.
    if (!entry) throw new ProtocolError('internal', `no command table entry for ${d.kind} "${frame.type}"`);
    const ctx: HandshakeContext = {
      dir: this.dir,
      connections: this.connections,
      signInLimiter: this.signInLimiter,
      ws,
      remote: d.remoteAddress,
    };
    if (entry.permission === HANDSHAKE) {
      const run = this.audited(entry, frame, ctx);
      if (!entry.identifies) return run;
      // A command sent right behind a hello or signin waits for it instead of failing with `unauthorized`.
      d.identifying = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    }
    if (!this.principal(ws) && d.identifying) await d.identifying;
    return this.audited(entry, frame, { ...ctx, caller: this.caller(ws, entry.permission) });
  }

  /** The connection's principal, as far as bound. */
  private principal(ws: Socket): string | undefined {
    const d = ws.getUserData();
    return d.kind === 'visitor' ? d.visitorId : d.staff?.id;
  }

  /** The caller of a principal's command, once its permission's role gate passed. */
  private caller(ws: Socket, permission: Permission | typeof VISITOR): Caller {
    const d = ws.getUserData();
    if (permission === VISITOR) {
      if (!d.visitorId) throw new ProtocolError('unauthorized', 'send hello first');
      return { role: 'visitor', id: d.visitorId, connectionId: d.connectionId };
    }
    if (!d.staff) throw new ProtocolError('unauthorized', 'sign in first');
    // ROLE-4: the role gate of the one permission table, before any actor sees the command.
    authorize(d.staff, permission);
    return {
      role: d.staff.role,
      id: d.staff.id,
      name: d.staff.name,
      connectionId: d.connectionId,
      departments: d.staff.departments,
    };
  }

  /**
   * Runs the handler, then writes what the entry's audit rule says. The actor
   * is who the connection acts for once the command ran (a sign-in names who
   * signed in); a refused sign-in is recorded without one.
   */
  private async audited(
    entry: Command,
    frame: { type: string },
    ctx: HandshakeContext & { caller?: Caller },
  ): Promise<AckResult> {
    const rule = entry.audit;
    let result: AckResult;
    try {
      result = await entry.handle(frame, ctx);
    } catch (err) {
      if (rule?.refusals && err instanceof ProtocolError && err.code === 'unauthorized') {
        await this.audit({ action: rule.action, outcome: 'refused', remote: ctx.remote, ...rule.entry(frame) });
      }
      throw err;
    }
    const who = ctx.ws.getUserData().staff;
    if (rule && (!rule.when || rule.when(frame, ctx.caller))) {
      const written = this.audit({
        action: rule.action,
        outcome: 'ok',
        remote: ctx.remote,
        ...(who ? { actor: { id: who.id, role: who.role } } : {}),
        ...rule.entry(frame),
      });
      if (!rule.ackFirst) await written;
    }
    return result;
  }

  /** Writes an audit entry; a failure to store it is logged, and does not undo what was done. */
  private async audit(entry: AuditDraft): Promise<void> {
    await this.dir.deps.runtime
      .ask(this.dir.audit, { type: 'record', entry })
      .catch((err: unknown) => this.dir.deps.log.error({ err, action: entry.action }, 'audit entry lost'));
  }
}
