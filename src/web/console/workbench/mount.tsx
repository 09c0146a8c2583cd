/**
 * Where the console shell mounts the workbench: for supervisors and admins
 * only (agents get nothing, ROLE-4), with the shell's connection adapted to
 * a WorkbenchPort. Returns the function that unmounts it.
 */
import { render } from 'preact';
import { translator, type Language } from '../../shared/i18n.js';
import { mayUseWorkbench, type Viewer } from './offered-actions.js';
import { workbenchStrings } from './strings.js';
import { Workbench } from './workbench.js';
import { adoptWorkbenchStyles } from './workbench-css.js';
import { WorkbenchStore, type WorkbenchPort } from './workbench-store.js';

export function mountWorkbench(el: HTMLElement, port: WorkbenchPort, viewer: Viewer, lang: Language): () => void {
  if (!mayUseWorkbench(viewer)) return () => undefined;
  adoptWorkbenchStyles();
  const store = new WorkbenchStore(port, viewer);
  store.start();
  render(<Workbench store={store} t={translator(workbenchStrings, lang)} lang={lang} />, el);
  return () => {
    render(null, el);
    store.stop();
  };
}
