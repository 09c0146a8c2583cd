/** WEB-7: what the connection is doing, in words, whenever it is not simply open. */
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleSession } from './session.js';

export function ConnectionBanner({ session }: { session: ConsoleSession }) {
  const [, render] = useState(0);
  useEffect(() => session.onState(() => render((n) => n + 1)), [session]);
  const t = session.t;
  if (session.state === 'open') return null;
  const text =
    session.state === 'refused' ? t('connRefused') : session.unreachable ? t('connUnreachable') : t('connConnecting');
  return (
    <div class={`banner ${session.unreachable ? 'bad' : ''}`} role="status" data-testid="connection">
      {text}
    </div>
  );
}
