/** Staff accounts for tests: created through the workspace actor, signed in with a real session token. */
import type { Directory } from '../../actors/directory.js';
import type { StaffRecord } from '../../actors/agent/records.js';

export type NewStaff = Omit<StaffRecord, 'email' | 'passwordHash'> &
  Partial<Pick<StaffRecord, 'email' | 'passwordHash'>>;

/** Creates the account (no password unless given) and opens a session; returns its access token. */
export async function createStaffWithToken(dir: Directory, staff: NewStaff): Promise<string> {
  const { runtime } = dir.deps;
  await runtime.ask(dir.workspace, {
    type: 'createStaff',
    staff: { email: `${staff.id}@test.local`, passwordHash: '', ...staff },
  });
  return (await runtime.ask(dir.sessions, { type: 'open', staffId: staff.id })).token;
}
