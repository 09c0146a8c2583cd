/**
 * One command of the WebSocket protocol, the counterpart of an HTTP route
 * (src/server/api/route.ts): the frame type it answers, the audience that
 * may send it, the permission it needs (ROLE-4: from the one table in
 * src/auth/permissions.ts), what it writes to the audit log (ROLE-5), and
 * its handler. The dispatcher (dispatch.ts) runs the same steps for every
 * entry: wait for a pending hello or signin, require a principal, the role
 * gate, the handler, then the audit entry.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { StaffCommands, VisitorCommands } from '../../../protocol/frames.js';
import type { Directory } from '../../../actors/directory.js';
import type { Caller } from '../../../actors/notifier.js';
import type { AuditDraft } from '../../../actors/audit.js';
import type { Permission } from '../../auth/permissions.js';
import type { SignInLimiter } from '../../auth/signin-limiter.js';
import type { Connections, Socket } from '../connections.js';

export type AckResult = Record<string, unknown> | undefined;

/** Which endpoint a command is sent on: /v1/visitor or /v1/staff. */
export type Audience = 'visitor' | 'staff';

/** The frames each audience may send, by type (protocol/frames). */
export interface AudienceFrames {
  visitor: typeof VisitorCommands;
  staff: typeof StaffCommands;
}

export type FrameType<A extends Audience> = keyof AudienceFrames[A] & string;
export type FrameOf<A extends Audience, T extends FrameType<A>> = AudienceFrames[A][T] extends TSchema
  ? Static<AudienceFrames[A][T]>
  : never;

/** Marks the handshake commands anyone may send, before (or without) a principal: spelled out, never a default. */
export const HANDSHAKE = 'handshake';
/** Marks the commands of a visitor who said hello; visitors hold no staff permission. */
export const VISITOR = 'visitor';

export type CommandPermission = Permission | typeof HANDSHAKE | typeof VISITOR;

/** What every handler is given: the server's parts and the connection the frame came on. */
export interface HandshakeContext {
  dir: Directory;
  connections: Connections;
  /** ROLE-4: failed sign-ins per account and address. */
  signInLimiter: SignInLimiter;
  ws: Socket;
  /** The connection's remote address. */
  remote: string;
}

/** A command sent by a principal: the visitor who said hello, or the signed-in staff member. */
export interface CommandContext extends HandshakeContext {
  caller: Caller;
}

/** An audit entry's subject, as a rule of the table makes it; who, when and from where are filled in by the dispatcher. */
export type AuditSubject = Pick<AuditDraft, 'target' | 'detail'>;

/**
 * ROLE-5: what a command writes to the audit log once it succeeded. `when`
 * narrows the rule (a claim for oneself is no re-assignment); `refusals`
 * records a refused attempt (`unauthorized`) too, without an actor.
 */
export interface AuditRule<F> {
  action: string;
  when?: (frame: F, caller: Caller | undefined) => boolean;
  entry: (frame: F) => AuditSubject;
  refusals?: boolean;
  /** The ack goes out without waiting for the entry to be stored (it is still written after the command succeeded). */
  ackFirst?: boolean;
}

interface SpecBase<A extends Audience, T extends FrameType<A>> {
  audience: A;
  type: T;
  audit?: AuditRule<FrameOf<A, T>>;
}

export interface HandshakeSpec<A extends Audience, T extends FrameType<A>> extends SpecBase<A, T> {
  permission: typeof HANDSHAKE;
  /** hello and signin: a command sent right behind one waits for it instead of failing with `unauthorized`. */
  identifies?: boolean;
  handle(frame: FrameOf<A, T>, ctx: HandshakeContext): Promise<AckResult> | AckResult;
}

export interface CommandSpec<A extends Audience, T extends FrameType<A>> extends SpecBase<A, T> {
  permission: A extends 'staff' ? Permission : typeof VISITOR;
  handle(frame: FrameOf<A, T>, ctx: CommandContext): Promise<AckResult> | AckResult;
}

/** An entry with its frame type erased, as the table and the dispatcher hold it. */
export interface Command {
  audience: Audience;
  type: string;
  permission: CommandPermission;
  identifies: boolean;
  audit?: AuditRule<{ type: string }>;
  handle(frame: { type: string }, ctx: HandshakeContext & { caller?: Caller }): Promise<AckResult> | AckResult;
}

/** Declares a handshake command (hello, signin, ping); its handler is typed by its frame. */
export function handshake<A extends Audience, T extends FrameType<A>>(spec: HandshakeSpec<A, T>): Command {
  return { identifies: false, ...spec } as unknown as Command;
}

/** Declares a command of a principal; its handler is typed by its frame. */
export function command<A extends Audience, T extends FrameType<A>>(spec: CommandSpec<A, T>): Command {
  return { identifies: false, ...spec } as unknown as Command;
}
