/**
 * A page whose module loads when the page is first opened (a dynamic
 * import, its own chunk in the build), so a heavy page (the reports, with
 * uPlot) does not weigh on the admin pages' first load. Until the module is
 * there the page says "Loading…"; a failed load is a problem with a retry
 * (WEB-7), never a blank page.
 */
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LoadProblem } from './form.js';
import { problemOf, type Problem } from './problem.js';
import { useT } from './context.js';

export function lazyView(load: () => Promise<{ default: FunctionComponent }>): FunctionComponent {
  let loaded: FunctionComponent | undefined;
  return function LazyView() {
    const t = useT();
    const [View, setView] = useState<FunctionComponent | undefined>(() => loaded);
    const [problem, setProblem] = useState<Problem>();
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (View) return;
      let live = true;
      load().then(
        (m) => {
          loaded = m.default;
          if (live) setView(() => m.default);
        },
        (err: unknown) => live && setProblem(problemOf(err)),
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    if (View) return <View />;
    if (problem)
      return (
        <LoadProblem
          problem={problem}
          retry={() => {
            setProblem(undefined);
            setAttempt((n) => n + 1);
          }}
        />
      );
    return <p class="placeholder">{t('loading')}</p>;
  };
}
