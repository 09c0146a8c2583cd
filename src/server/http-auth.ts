/**
 * Who is calling an HTTP route: staff by their sign-in token
 * (`Authorization: Bearer <token>`, looked up like the staff WebSocket
 * upgrade), visitors by their server-issued signed id
 * (`Authorization: Visitor <visitorId>`, checked by the workspace).
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { Directory } from '../../actors/directory.js';
import type { Caller } from '../../actors/notifier.js';
import { staffOfToken } from '../auth/authenticate.js';
import { assertOwnId } from '../../protocol/workspace-scope.js';

/** HTTP callers have no WebSocket connection; connection ids start at 1. */
export const NO_CONNECTION = 0;

const unauthorized = (message: string): ProtocolError => new ProtocolError('unauthorized', message);

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), if it is one. */
export const bearerToken = (authorization: string): string | undefined =>
  /^Bearer +(\S{1,200})$/i.exec(authorization.trim())?.[1];

/** Staff routes (the admin API) take only a staff access token: their 401 says so, and a visitor credential is no credential there. */
export async function authenticateStaff(
  dir: Directory,
  authorization: string,
): Promise<Caller & { sessionId?: string }> {
  const token = bearerToken(authorization);
  if (token === undefined)
    throw unauthorized('send Authorization: Bearer <staff access token> (from POST /api/v1/auth/signin)');
  return staffCaller(dir, token);
}

export async function authenticate(dir: Directory, authorization: string): Promise<Caller & { sessionId?: string }> {
  const m = /^(Bearer|Visitor) +(\S{1,200})$/i.exec(authorization.trim());
  if (!m) throw unauthorized('send Authorization: Bearer <staff token> or Visitor <visitor id>');
  const { runtime } = dir.deps;
  const credential = m[2]!;
  if (m[1]!.toLowerCase() === 'visitor') {
    assertOwnId(dir.workspaceId, credential, 'visitorId');
    if (!(await runtime.ask(dir.workspace, { type: 'verifyVisitor', visitorId: credential })))
      throw unauthorized('unknown visitor id');
    return { role: 'visitor', id: credential, connectionId: NO_CONNECTION };
  }
  return staffCaller(dir, credential);
}

async function staffCaller(dir: Directory, token: string): Promise<Caller & { sessionId?: string }> {
  const { staff, sessionId } = await staffOfToken(dir, token);
  return {
    role: staff.role,
    id: staff.id,
    name: staff.name,
    connectionId: NO_CONNECTION,
    departments: [...staff.departments],
    sessionId,
  };
}
