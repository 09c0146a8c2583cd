/**
 * ROLE-4: who a staff bearer token belongs to. The token must be the access
 * token of a live session (actors/sessions.ts); the staff record is then
 * read from the workspace, so a changed role or department counts at once.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { Directory } from '../../actors/directory.js';
import type { StaffRecord } from '../../actors/agent/records.js';
import { sessionOfToken } from '../../actors/sessions.js';

export async function staffOfToken(dir: Directory, token: string): Promise<{ staff: StaffRecord; sessionId: string }> {
  const session = sessionOfToken(dir.deps.journal, token, 'access', dir.deps.clock.now());
  if (!session) throw new ProtocolError('unauthorized', 'unknown, expired or revoked token');
  const staff = await dir.deps.runtime.ask(dir.workspace, { type: 'findStaff', by: { id: session.staffId } });
  return { staff, sessionId: session.id };
}
