/**
 * Who is who: the visitor ids this server issues (CONV-1), staff lookup for
 * sign-in (ROLE-4), and the secret that verified customer logins are signed
 * with (CUST-1).
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { Journal } from '../journal.js';
import type { Log } from '../log.js';
import { Keys } from '../keyspace.js';
import type { StaffRecord } from '../agent/records.js';
import { isVisitorId, newVisitorIdKey } from './visitor-ids.js';
import type { WorkspaceSettings } from './records.js';
import type { StaffIdentity } from './messages.js';
import { invalidVerification } from './validation.js';
import { publish, store, storedSettings, type Handlers } from './context.js';
import { withSettings } from './snapshot.js';

/** ROLE-4: whether two views of a staff member differ in what their rights were decided by at sign-in. */
export const rightsDiffer = (
  a: Pick<StaffRecord, 'role' | 'departments'>,
  b: Pick<StaffRecord, 'role' | 'departments'>,
): boolean =>
  a.role !== b.role ||
  a.departments.length !== b.departments.length ||
  a.departments.some((d, i) => d !== b.departments[i]);

export const identity = (s: StaffRecord): StaffIdentity => ({
  id: s.id,
  name: s.name,
  email: s.email,
  role: s.role,
  departments: [...s.departments],
});

/** The key visitor ids are signed with; made and stored on first start. */
export function loadVisitorIdKey(journal: Journal, log: Log): Buffer {
  const stored = journal.getRecord<Uint8Array>(Keys.visitorIdKey);
  if (stored) return Buffer.from(stored);
  const key = newVisitorIdKey();
  // Written before the gateway listens (boot precedes it), so no id is issued under an unsaved key.
  journal
    .writeRecords([{ key: Keys.visitorIdKey, value: key }])
    .catch((err: unknown) => log.error({ err }, 'visitor id key not stored'));
  return key;
}

export const identityHandlers: Handlers<'verifyVisitor' | 'findStaff' | 'setVerification'> = {
  verifyVisitor: (cx, msg) => msg.reply(isVisitorId(cx.s.visitorIdKey, msg.visitorId)),

  findStaff: (cx, msg) => {
    const by = msg.by;
    let found: StaffRecord | undefined;
    if ('id' in by) found = cx.s.staff.get(by.id);
    else {
      for (const st of cx.s.staff.values()) {
        if (st.email.toLowerCase() === by.email.toLowerCase()) found = st;
      }
    }
    msg.reply(found ?? new ProtocolError('unauthorized', 'unknown or wrong credentials'));
  },

  setVerification: (cx, msg) => {
    const v = msg.verification;
    const invalid = invalidVerification(v);
    if (invalid) return msg.reply(invalid);
    // The other settings stay as stored.
    const settings: WorkspaceSettings = { ...storedSettings(cx) };
    if (v) settings.verification = { secret: v.secret, required: v.required };
    else delete settings.verification;
    store(cx, [{ key: Keys.settings, value: settings }], 'verification settings', msg.reply, () => {
      publish(cx, withSettings(cx.s.snapshot, settings));
      return settings;
    });
  },
};
