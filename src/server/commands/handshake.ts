/**
 * The handshake commands, sent before (or without) a principal: `ping` on
 * both endpoints, `hello` (visitors) and `signin` (staff), and what binds a
 * connection to the principal they name.
 */
import { ProtocolError } from '../../../protocol/errors.js';
import type { HelloFrame, SignInFrame } from '../../../protocol/frames.js';
import type { Directory } from '../../../actors/directory.js';
import { identity } from '../../../actors/workspace/identity.js';
import type { StaffIdentity } from '../../../actors/workspace/messages.js';
import type { StaffRecord } from '../../../actors/agent/records.js';
import { staffOfToken } from '../../auth/authenticate.js';
import { checkPassword } from '../../auth/sign-in.js';
import type { Connections, Socket } from '../connections.js';
import { HANDSHAKE, handshake, type AckResult, type HandshakeContext } from './command.js';

/** Marks a socket as this staff member's and tells their agent actor a connection opened. */
export function attachStaff(dir: Directory, connections: Connections, ws: Socket, who: StaffIdentity): void {
  const d = ws.getUserData();
  d.staff = who;
  connections.bind(ws, `staff:${who.id}`);
  const agent = dir.agent(who.id);
  if (agent) dir.deps.runtime.tell(agent, { type: 'connected' });
}

/** A closed socket: its live views end and its agent actor counts one connection less. */
export function detach(dir: Directory, ws: Socket): void {
  const d = ws.getUserData();
  dir.monitor.unwatch(d.connectionId);
  if (d.staff) dir.deps.runtime.tell(dir.floor, { type: 'unwatch', connectionId: d.connectionId });
  const agent = d.staff ? dir.agent(d.staff.id) : undefined;
  if (agent) dir.deps.runtime.tell(agent, { type: 'disconnected' });
  // Queues it followed (`queue` with `watch`); one of a department lent since drops it on its next update.
  for (const department of d.staff?.departments ?? []) {
    const queue = dir.queue(department);
    if (queue) dir.deps.runtime.tell(queue, { type: 'unwatch', connectionId: d.connectionId });
  }
}

async function hello(cmd: HelloFrame, { dir, connections, ws }: HandshakeContext): Promise<AckResult> {
  const d = ws.getUserData();
  if (d.visitorId && cmd.visitorId && cmd.visitorId !== d.visitorId) {
    throw new ProtocolError('conflict', 'this connection already said hello as another visitor', 'visitorId');
  }
  const visitorId = cmd.visitorId ?? d.visitorId;
  const { runtime } = dir.deps;
  const r = await runtime.ask(dir.workspace, { type: 'hello', ...(visitorId !== undefined ? { visitorId } : {}) });
  // CUST-1: where the visitor is seen from, and who they are if they logged in. A refused login fails the
  // whole hello before the connection is bound to anyone.
  const who = await runtime.ask(dir.customers, {
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
    connections.bind(ws, `visitor:${r.visitorId}`);
  }
  // WEB-2: the widget shows the pre-chat form before a visitor's first conversation.
  const preChatForm = dir.settings.preChatForm;
  return {
    ...r,
    ...(who.verified !== undefined ? { verified: who.verified } : {}),
    ...(preChatForm?.length ? { preChatForm } : {}),
  };
}

async function signIn(cmd: SignInFrame, { dir, connections, signInLimiter, ws }: HandshakeContext): Promise<AckResult> {
  const d = ws.getUserData();
  if (d.staff) throw new ProtocolError('conflict', 'already signed in');
  let staffRecord: StaffRecord;
  let sessionId: string | undefined;
  if ('password' in cmd) {
    staffRecord = await checkPassword(dir, signInLimiter, cmd.email, cmd.password, d.remoteAddress);
    // A session of its own, never shown: a sign-out elsewhere, a password change or a reset closes this connection too.
    sessionId = (
      await dir.deps.runtime.ask(dir.sessions, { type: 'open', staffId: staffRecord.id, ip: d.remoteAddress })
    ).sessionId;
  } else {
    const found = await staffOfToken(dir, cmd.token);
    staffRecord = found.staff;
    sessionId = found.sessionId;
  }
  const who = identity(staffRecord);
  if (d.closed) throw new ProtocolError('unavailable', 'connection closed');
  // Re-checked after the awaits: a concurrent signin on this connection may have attached first, and
  // attaching twice would bind the socket to two principals and leak an agent connection count.
  if (d.staff) throw new ProtocolError('conflict', 'already signed in');
  attachStaff(dir, connections, ws, who);
  if (sessionId !== undefined) d.sessionId = sessionId;
  const agent = dir.agent(who.id);
  // The conversations this agent serves, so a reloaded console can resume them; and the agent's status and
  // load, so a second tab (or a reconnect after a restart) shows them at once instead of waiting for a change.
  if (!agent) return { ...who, conversations: [] };
  const { conversations, status, active, max } = await dir.deps.runtime.ask(agent, { type: 'describe' });
  return { ...who, conversations, status, active, max };
}

export const handshakeCommands = [
  handshake({ audience: 'visitor', type: 'ping', permission: HANDSHAKE, handle: () => undefined }),
  handshake({ audience: 'staff', type: 'ping', permission: HANDSHAKE, handle: () => undefined }),
  handshake({ audience: 'visitor', type: 'hello', permission: HANDSHAKE, identifies: true, handle: hello }),
  handshake({
    audience: 'staff',
    type: 'signin',
    permission: HANDSHAKE,
    identifies: true,
    handle: signIn,
    // ROLE-5: every sign-in with a password, accepted or refused, and every refused token; the password never.
    // A socket resuming with a token is a reconnect of a session signed in already (its sign-in was audited,
    // here or over HTTP), so a console that reconnects all day does not fill the log.
    audit: {
      action: 'signin',
      when: (cmd) => 'password' in cmd,
      refusals: true,
      entry: (cmd) => ({ detail: 'token' in cmd ? { method: 'token' } : { method: 'password', email: cmd.email } }),
    },
  }),
];
