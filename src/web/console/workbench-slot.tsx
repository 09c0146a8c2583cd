/**
 * Where the supervisor workbench (WEB-4, ./workbench/) mounts: the console
 * shows this tab to supervisors and admins only. The workbench replaces this
 * file's body (keeping the `WorkbenchSlot` export and its props), for
 * example with a lazy `import('./workbench/workbench.js')`, so agents never
 * load the workbench's code.
 */
import type { ConsoleSession } from './session.js';

export function WorkbenchSlot({ session }: { session: ConsoleSession }) {
  return (
    <div id="workbench-slot" class="placeholder" data-testid="workbench-slot">
      {session.t('workbenchComing')}
    </div>
  );
}
