/**
 * Configuration: departments, staff, keyword rules and the workspace-wide
 * settings. Each change is checked (validation.ts), stored, then applied:
 * published in a new snapshot, and told to the running actors it concerns.
 */
import { ProtocolError } from '../../protocol/errors.js';
import { Keys } from '../keyspace.js';
import type { OpenConversationRecord } from '../conversation/records.js';
import type { DepartmentRecord } from '../department/records.js';
import type { StaffRecord } from '../agent/records.js';
import type { WorkspaceSettings } from './records.js';
import {
  invalidDepartment,
  invalidKeywordRules,
  invalidStaff,
  invalidSupervisors,
  invalidWorkspace,
  withChanges,
} from './validation.js';
import { identity, rightsDiffer } from './identity.js';
import { profileOf, publish, store, storedSettings, type Handlers, type WorkspaceContext } from './context.js';
import type { Reply } from '../runtime.js';
import { withDepartment, withSettings } from './snapshot.js';

/** The supervisors leading a department (ROLE-2): supervisors with it among their departments. */
export const supervisorsOf = (staff: Iterable<StaffRecord>, department: string): string[] =>
  [...staff].filter((st) => st.role === 'supervisor' && st.departments.includes(department)).map((st) => st.id);

/**
 * Stores the workspace settings (a whole record: the others stay as stored), then publishes them and runs
 * `told`, which tells the running actors the change concerns.
 */
function storeSettings(
  cx: WorkspaceContext,
  settings: WorkspaceSettings,
  what: string,
  reply: Reply<WorkspaceSettings>,
  opts: { rulesChanged?: boolean; told?: () => void } = {},
): void {
  store(cx, [{ key: Keys.settings, value: settings }], what, reply, () => {
    publish(cx, withSettings(cx.s.snapshot, settings, opts.rulesChanged));
    opts.told?.();
    return settings;
  });
}

/**
 * Stores staff records already set in memory (validation sees them), then answers `stored()`; if the write
 * fails, `undo` puts back what they replaced.
 */
function storeStaff<R>(
  cx: WorkspaceContext,
  records: readonly StaffRecord[],
  what: string,
  reply: Reply<R>,
  stored: () => R,
  undo: () => void,
): void {
  for (const st of records) cx.s.staff.set(st.id, st);
  store(
    cx,
    records.map((st) => ({ key: Keys.staff(st.id), value: st })),
    what,
    reply,
    stored,
    undo,
  );
}

type ConfigurationMsg =
  | 'createDepartment'
  | 'configureDepartment'
  | 'setAutoAssign'
  | 'setKeywordRules'
  | 'configureWorkspace'
  | 'createStaff'
  | 'configureStaff'
  | 'setSupervisors';

export const configurationHandlers: Handlers<ConfigurationMsg> = {
  createDepartment: (cx, msg) => {
    const { s, ports } = cx;
    if (s.departments.has(msg.department.id))
      return msg.reply(new ProtocolError('conflict', 'department exists', 'id'));
    const order = Math.max(0, ...[...s.departments.values()].map((d) => d.order)) + 1;
    const department: DepartmentRecord = { ...msg.department, order };
    const invalid = invalidDepartment(department, s.departments);
    if (invalid) return msg.reply(invalid);
    s.departments.set(department.id, department);
    store(
      cx,
      [{ key: Keys.department(department.id), value: department }],
      'department',
      msg.reply,
      () => {
        publish(cx, withDepartment(s.snapshot, department));
        ports.startDepartment(department);
        return department;
      },
      () => s.departments.delete(department.id),
    );
  },

  configureDepartment: (cx, msg) => {
    const { s, ports } = cx;
    const current = s.departments.get(msg.id);
    if (!current) return msg.reply(new ProtocolError('not_found', `no department "${msg.id}"`, 'id'));
    const stored = withChanges(current, msg.changes);
    const invalid = invalidDepartment(stored, s.departments);
    if (invalid) return msg.reply(invalid);
    store(cx, [{ key: Keys.department(stored.id), value: stored }], 'department settings', msg.reply, () => {
      s.departments.set(stored.id, stored);
      publish(cx, withDepartment(s.snapshot, stored));
      // Members without their own capacity take the departments' default: it applies now, not at the next start.
      if (stored.defaultMaxConcurrent !== current.defaultMaxConcurrent) {
        for (const st of s.staff.values())
          if (st.departments.includes(stored.id)) ports.reprofileAgent(profileOf(cx, st));
      }
      return stored;
    });
  },

  setAutoAssign: (cx, msg) => {
    const settings: WorkspaceSettings = { ...storedSettings(cx), autoAssign: msg.enabled };
    storeSettings(cx, settings, 'workspace settings', msg.reply, {
      told: () => cx.ports.autoAssignChanged(msg.enabled),
    });
  },

  setKeywordRules: (cx, msg) => {
    const invalid = invalidKeywordRules(msg.rules, cx.s.departments);
    if (invalid) return msg.reply(invalid);
    const settings: WorkspaceSettings = { ...storedSettings(cx), keywordRules: msg.rules };
    storeSettings(cx, settings, 'keyword rules', msg.reply, { rulesChanged: true });
  },

  configureWorkspace: (cx, msg) => {
    const settings = withChanges(storedSettings(cx), msg.changes);
    const invalid = invalidWorkspace(settings);
    if (invalid) return msg.reply(invalid);
    const autoCloseBefore = cx.s.snapshot.settings.autoCloseAfterMin;
    storeSettings(cx, settings, 'workspace settings', msg.reply, {
      told: () => {
        // CONV-5: conversations assigned already count by the new setting, as they would after a restart.
        if (settings.autoCloseAfterMin === autoCloseBefore) return;
        for (const { value: c } of cx.ports.journal.records<OpenConversationRecord>(Keys.allOpen)) {
          if (c.status === 'assigned') cx.ports.rearmConversation(c.id);
        }
      },
    });
  },

  createStaff: (cx, msg) => {
    const { s, ports } = cx;
    const st = msg.staff;
    if (s.staff.has(st.id)) return msg.reply(new ProtocolError('conflict', 'staff member exists', 'id'));
    const invalid = invalidStaff(st, s.departments, s.staff.values());
    if (invalid) return msg.reply(invalid);
    storeStaff(
      cx,
      [st],
      'staff member',
      msg.reply,
      () => {
        ports.startAgent(profileOf(cx, st));
        return identity(st);
      },
      () => s.staff.delete(st.id),
    );
  },

  configureStaff: (cx, msg) => {
    const { s, ports } = cx;
    const before = s.staff.get(msg.id);
    if (!before) return msg.reply(new ProtocolError('not_found', `no staff member "${msg.id}"`, 'id'));
    const after = withChanges(before, msg.changes);
    const invalid = invalidStaff(after, s.departments, s.staff.values());
    if (invalid) return msg.reply(invalid);
    storeStaff(
      cx,
      [after],
      'staff member',
      msg.reply,
      () => {
        ports.reprofileAgent(profileOf(cx, after));
        if (rightsDiffer(before, after)) ports.staffIdentityChanged(after.id);
        return { before, after };
      },
      () => {
        if (s.staff.get(after.id) === after) s.staff.set(after.id, before);
      },
    );
  },

  setSupervisors: (cx, msg) => {
    const { s, ports } = cx;
    if (!s.departments.has(msg.department))
      return msg.reply(new ProtocolError('not_found', `no department "${msg.department}"`, 'id'));
    const invalid = invalidSupervisors(msg.staffIds, s.staff);
    if (invalid) return msg.reply(invalid);
    const before = supervisorsOf(s.staff.values(), msg.department);
    const changed: StaffRecord[] = [];
    for (const st of s.staff.values()) {
      if (st.role !== 'supervisor') continue;
      const leads = st.departments.includes(msg.department);
      const should = msg.staffIds.includes(st.id);
      if (leads === should) continue;
      changed.push({
        ...st,
        departments: should ? [...st.departments, msg.department] : st.departments.filter((d) => d !== msg.department),
      });
    }
    const previous = changed.map((st) => s.staff.get(st.id)!);
    storeStaff(
      cx,
      changed,
      'department supervisors',
      msg.reply,
      () => {
        for (const st of changed) {
          ports.reprofileAgent(profileOf(cx, st));
          ports.staffIdentityChanged(st.id);
        }
        return { before, after: supervisorsOf(s.staff.values(), msg.department) };
      },
      () => {
        for (const st of previous) s.staff.set(st.id, st);
      },
    );
  },
};
