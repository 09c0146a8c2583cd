/**
 * The workbench as a tab of the console (src/web/console/session.ts has the
 * contract): one store per console session, fed by the session's socket; the
 * words follow the console's language switch. The console shows this tab to
 * supervisors and admins only, and the workbench checks the role again.
 */
import { useEffect, useMemo } from 'preact/hooks';
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

export function ConsoleWorkbench({ session }: { session: ConsoleSession }) {
  const { staff } = session;
  const store = useMemo(
    () => new WorkbenchStore(sessionPort(session), { id: staff.id, role: staff.role, departments: staff.departments }),
    [session],
  );
  useEffect(() => {
    adoptWorkbenchStyles();
    store.start();
    return () => store.stop();
  }, [store]);
  if (!mayUseWorkbench(staff)) return null;
  return <Workbench store={store} t={translator(workbenchStrings, session.lang)} lang={session.lang} />;
}
