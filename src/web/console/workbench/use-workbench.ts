/** Re-renders a component whenever the workbench's state changes. */
import { useEffect, useState } from 'preact/hooks';
import type { WorkbenchState, WorkbenchStore } from './workbench-store.js';

export function useWorkbench(store: WorkbenchStore): WorkbenchState {
  const [state, setState] = useState(store.state);
  useEffect(() => {
    setState(store.state);
    return store.subscribe(() => setState(store.state));
  }, [store]);
  return state;
}

/** The server's time, ticking once a second, so waits keep growing between frames. */
export function useServerClock(store: WorkbenchStore): number {
  const [now, setNow] = useState(() => store.serverNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(store.serverNow()), 1000);
    return () => clearInterval(timer);
  }, [store]);
  return now;
}
