/**
 * Where the supervisor workbench (WEB-4, ./workbench/) mounts: the console
 * shows this tab to supervisors and admins only. The workbench's code loads
 * on the first visit of the tab, so agents never download it; while it
 * loads the console's placeholder shows, and a failed load says so (WEB-7).
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { translator, type Dictionary } from '../shared/i18n.js';
import type { ConsoleSession } from './session.js';

type View = ComponentType<{ session: ConsoleSession }>;

const slotStrings: Dictionary<'failed'> = {
  en: { failed: 'The supervisor workbench could not be loaded. Reload the page to try again.' },
  'zh-CN': { failed: '主管工作台加载失败，请刷新页面重试。' },
};

export function WorkbenchSlot({ session }: { session: ConsoleSession }) {
  const [View, setView] = useState<View | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import('./workbench/console-workbench.js').then(
      (m) => setView(() => m.ConsoleWorkbench),
      () => setFailed(true),
    );
  }, []);
  if (View) return <View session={session} />;
  if (failed)
    return (
      <div class="problem" role="alert" data-testid="workbench-slot">
        {translator(slotStrings, session.lang)('failed')}
      </div>
    );
  return (
    <div id="workbench-slot" class="placeholder" data-testid="workbench-slot">
      {session.t('workbenchComing')}
    </div>
  );
}
