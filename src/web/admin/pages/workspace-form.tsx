/**
 * The workspace settings pages (tags, automatic messages, switches) edit
 * parts of one resource: GET and PATCH /workspace. This hook loads it and
 * saves a patch, keeping the server's refusal for the fields to show.
 */
import { useState } from 'preact/hooks';
import type { Workspace } from '../api-types.js';
import { useAdmin } from '../context.js';
import { problemOf, useLoad, type Loaded, type Problem } from '../form.js';

export interface WorkspaceEdit extends Loaded<Workspace> {
  problem: Problem | undefined;
  saved: boolean;
  save(patch: Record<string, unknown>): Promise<void>;
  touch(): void;
}

export function useWorkspace(): WorkspaceEdit {
  const { api } = useAdmin();
  const loaded = useLoad(() => api.get<Workspace>('/workspace'));
  const [problem, setProblem] = useState<Problem>();
  const [saved, setSaved] = useState(false);
  return {
    ...loaded,
    problem: problem ?? (loaded.data ? undefined : loaded.problem),
    saved,
    touch: () => setSaved(false),
    save: async (patch) => {
      setProblem(undefined);
      setSaved(false);
      try {
        await api.patch<Workspace>('/workspace', patch);
        setSaved(true);
        loaded.reload();
      } catch (err) {
        setProblem(problemOf(err));
      }
    },
  };
}
