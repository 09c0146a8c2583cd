/**
 * The admin pages' data loading: one hook that loads, keeps a failure as the
 * problem to show (WEB-7) and loads again on `reload`, and the staff-and-
 * departments directory that several pages load together.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Department, Staff } from './api-types.js';
import { useAdmin } from './context.js';
import { problemOf, type Problem } from './problem.js';

export interface Loaded<T> {
  data: T | undefined;
  problem: Problem | undefined;
  /** True from a load's start to its end: what is shown until then is the previous load's data. */
  loading: boolean;
  reload(): void;
}

/** Loads once (and on `reload` or when `deps` change); a failure is kept as the problem to show. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<Problem>();
  const [n, setN] = useState(0);
  const key = [n, ...deps];
  // The key the shown data (or problem) was loaded for. `loading` is worked out while rendering, not set in
  // the effect: an effect runs a frame after the render whose deps changed, and in that frame the previous
  // data would be shown as current.
  const [settledFor, setSettledFor] = useState<readonly unknown[]>();
  const loading = !settledFor || settledFor.length !== key.length || settledFor.some((v, i) => !Object.is(v, key[i]));
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setProblem(undefined), setSettledFor(key)),
      (err: unknown) => live && (setProblem(problemOf(err)), setSettledFor(key)),
    );
    return () => {
      live = false;
    };
  }, key);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, problem, loading, reload };
}

export interface Directory {
  departments: Department[];
  staff: Staff[];
}

/** Every department and every staff member, loaded together (pickers and lists on several pages). */
export function useDirectory(): Loaded<Directory> {
  const { api } = useAdmin();
  return useLoad(async () => {
    const [{ departments }, { staff }] = await Promise.all([
      api.get<{ departments: Department[] }>('/departments'),
      api.get<{ staff: Staff[] }>('/staff'),
    ]);
    return { departments, staff };
  });
}
