/** The agent desk (WEB-3). */
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleSession } from '../session.js';

export function Desk({ session }: { session: ConsoleSession }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const off = session.onOpen(() => setReady(true));
    const offState = session.onState((s) => s !== 'open' && setReady(false));
    return () => {
      off();
      offState();
    };
  }, [session]);
  return (
    <div class="desk" data-testid="desk" data-ready={ready}>
      {session.staff.name}
    </div>
  );
}
