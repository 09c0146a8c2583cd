/**
 * Workspace actor: one company's directory. It owns the department and staff
 * configuration, the workspace settings and the visitor directory, and
 * publishes its configuration as an immutable snapshot (snapshot.ts) that
 * other actors read instead of its state. The behaviour is a table: one
 * handler per message, each over the explicit context (context.ts).
 */
import type { Behavior } from '../runtime.js';
import { Keys } from '../keyspace.js';
import type { DepartmentRecord } from '../department/records.js';
import type { StaffRecord } from '../agent/records.js';
import type { WorkspaceMsg } from './messages.js';
import type { WorkspacePorts } from './ports.js';
import { storedSettings, type Handler, type Handlers, type WorkspaceContext } from './context.js';
import { firstSnapshot } from './snapshot.js';
import { loadVisitorIdKey, identityHandlers } from './identity.js';
import { receptionHandlers } from './reception.js';
import { configurationHandlers } from './configuration.js';
import { preChatHandlers } from './pre-chat.js';

const handlers: Handlers<WorkspaceMsg['type']> = {
  ...receptionHandlers,
  ...identityHandlers,
  ...configurationHandlers,
  ...preChatHandlers,
};

export function workspaceBehavior(
  ports: WorkspacePorts,
  openByVisitor: ReadonlyMap<string, string>,
): Behavior<WorkspaceContext, WorkspaceMsg> {
  const { journal, log } = ports;
  return {
    init: () => {
      const departments = new Map(
        [...journal.records<DepartmentRecord>(Keys.departments)].map(({ value }) => [value.id, value]),
      );
      const snapshot = firstSnapshot(storedSettings({ ports }), departments.values());
      const cx: WorkspaceContext = {
        ports,
        s: {
          visitorIdKey: loadVisitorIdKey(journal, log),
          departments,
          staff: new Map([...journal.records<StaffRecord>(Keys.allStaff)].map(({ value }) => [value.id, value])),
          openByVisitor: new Map(openByVisitor),
          creating: new Map(),
          snapshot,
        },
      };
      ports.publish(snapshot);
      return cx;
    },
    receive(cx, msg) {
      (handlers[msg.type] as Handler<WorkspaceMsg['type']>)(cx, msg);
    },
  };
}
