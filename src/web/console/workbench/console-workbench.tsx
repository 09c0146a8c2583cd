/**
 * The workbench as a tab of the console (src/web/console/session.ts has the
 * contract): one store per console session, fed by the session's socket; the
 * words follow the console's language switch. The console shows this tab to
 * supervisors and admins only, and the workbench checks the role again.
 */
import { translator } from '../../shared/i18n.js';
import type { ConsoleSession } from '../session.js';
import { mayUseWorkbench } from './offered-actions.js';
import { workbenchStrings } from './strings.js';
import { Workbench } from './workbench.js';
import { adoptWorkbenchStyles } from './workbench-css.js';
import { WorkbenchStore, type WorkbenchPort } from './workbench-store.js';

/** The console session as the workbench's port: its commands, its events, its sign-ins and its state. */
export function sessionPort(session: ConsoleSession): WorkbenchPort {
  return {
    get connected() {
      return session.state === 'open';
    },
    command: (frame) => session.ask(frame),
    subscribe(hooks) {
      const offs = [
        session.onAny((e) => hooks.onEvent(e)),
        session.onState((s) => hooks.onConnected(s === 'open')),
        session.onOpen(() => hooks.onOpen()),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
  };
}

/**
 * One store per console session, kept across tab switches: the monitor and the live view go on while the
 * desk is shown (a few frames a second at most) and end with the session's socket, so switching back shows
 * the wall at once, and no `unmonitor` of a left tab can cross the `monitor` of the tab shown again.
 */
const stores = new WeakMap<ConsoleSession, WorkbenchStore>();

function storeOf(session: ConsoleSession): WorkbenchStore {
  let store = stores.get(session);
  if (!store) {
    const { staff } = session;
    store = new WorkbenchStore(sessionPort(session), {
      id: staff.id,
      role: staff.role,
      departments: staff.departments,
    });
    stores.set(session, store);
    adoptWorkbenchStyles();
    store.start();
  }
  return store;
}

export function ConsoleWorkbench({ session }: { session: ConsoleSession }) {
  if (!mayUseWorkbench(session.staff)) return null;
  return <Workbench store={storeOf(session)} t={translator(workbenchStrings, session.lang)} lang={session.lang} />;
}
