/**
 * A form's sending: the busy flag, the "Saved" note, the refusal kept as the
 * problem to show at its field (WEB-7), and the keyboard sent to the first
 * field the server named. One hook, so every admin form reports a refusal
 * the same way.
 */
import type { RefObject } from 'preact';
import { useState } from 'preact/hooks';
import { useFocusInvalid } from './form.js';
import { problemOf, type Problem } from './problem.js';

export interface Submitting {
  problem: Problem | undefined;
  busy: boolean;
  saved: boolean;
  /** An edit after a save takes the "Saved" note away. */
  setSaved(saved: boolean): void;
  form: RefObject<HTMLFormElement | null>;
  /** The form's onSubmit: sends, then shows "Saved" or the refusal. */
  submit(e: Event): Promise<void>;
  /** Another action of the form (a delete): the refusal is shown the same way, no "Saved". */
  run(action: () => Promise<unknown>): Promise<void>;
}

export function useSubmit(send: () => Promise<unknown>): Submitting {
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const form = useFocusInvalid(problem);
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
      return true;
    } catch (err) {
      setProblem(problemOf(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return {
    problem,
    busy,
    saved,
    setSaved,
    form,
    submit: async (e) => {
      e.preventDefault();
      if (await run(send)) setSaved(true);
    },
    run: async (action) => {
      await run(action);
    },
  };
}
