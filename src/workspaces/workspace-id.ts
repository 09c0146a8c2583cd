/**
 * CLUSTER-1: workspace ids. The default workspace is what a single-workspace
 * start serves on the unprefixed routes; every other one is created by the
 * operator (`switchboard workspace create <id>`). An id is short, lower
 * case and URL-safe, so it fits a route segment (`/w/<id>/...`), a
 * metric label, and the prefix of a scoped id (`<id>:<rest>`, protocol/workspace-scope.ts).
 */
export { DEFAULT_WORKSPACE } from '../../protocol/workspace-scope.js';
import { DEFAULT_WORKSPACE, WORKSPACE_ID_SOURCE } from '../../protocol/workspace-scope.js';

const ID_RULE = new RegExp(`^${WORKSPACE_ID_SOURCE}$`);

/** True for an id a new workspace may take (the default one exists always and is not created). */
export function isWorkspaceId(id: string): boolean {
  return ID_RULE.test(id);
}

/** Why `id` cannot name a new workspace, or undefined when it can. */
export function workspaceIdProblem(id: string): string | undefined {
  if (id === DEFAULT_WORKSPACE) return `"${DEFAULT_WORKSPACE}" is the default workspace; it always exists`;
  if (!isWorkspaceId(id))
    return `"${id}" is not a workspace id: 1-32 of a-z, 0-9 and -, starting with a letter or digit`;
  return undefined;
}
