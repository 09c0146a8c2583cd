/**
 * ROLE-4: who a staff bearer token belongs to. The token must be the access
 * token of a live session (actors/sessions.ts); the staff record is then
 * read from the workspace, so a changed role or department counts at once.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { Directory } from '../../actors/directory.js';
import type { StaffRecord } from '../../actors/agent/records.js';
import { sessionOfToken } from '../../actors/sessions.js';
import { Keys } from '../../actors/keyspace.js';
import { assertOwnId } from '../../protocol/workspace-scope.js';

export async function staffOfToken(dir: Directory, token: string): Promise<{ staff: StaffRecord; sessionId: string }> {
  assertOwnId(dir.workspaceId, token, 'token');
  const session = sessionOfToken(dir.deps.journal, token, 'access', dir.deps.clock.now());
  if (!session) throw new ProtocolError('unauthorized', 'unknown, expired or revoked token');
  const staff = await dir.deps.runtime.ask(dir.workspace, { type: 'findStaff', by: { id: session.staffId } });
  return { staff, sessionId: session.id };
}

/**
 * `staffOfToken` from committed records only, synchronously: the WebSocket
 * upgrade answers inside uWS's upgrade callback with it. An upgrade done
 * later, from a promise, has to cork the response itself, and uWS 20.30's
 * cork() then misreads the new socket's memory as HTTP state and, now and
 * then, closes the socket right after `open` (1006 on both sides;
 * uNetworking/uWebSockets#1929). A record the workspace has not committed
 * yet cannot have a token: sessions open after the staff record commits.
 */
export function staffOfTokenNow(dir: Directory, token: string): { staff: StaffRecord; sessionId: string } {
  assertOwnId(dir.workspaceId, token, 'token');
  const { journal, clock } = dir.deps;
  const session = sessionOfToken(journal, token, 'access', clock.now());
  const staff = session ? journal.getRecord<StaffRecord>(Keys.staff(session.staffId)) : undefined;
  if (!session || !staff) throw new ProtocolError('unauthorized', 'unknown, expired or revoked token');
  return { staff, sessionId: session.id };
}
