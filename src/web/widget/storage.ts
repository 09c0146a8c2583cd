/**
 * The visitor id, kept in the host page's localStorage like a cookie
 * (WEB-2: history across page loads). Storage may be missing or refused
 * (private modes, sandboxed frames): the chat then works for this page only.
 */
const KEY = 'switchboard.visitorId';

/** One id per workspace (CLUSTER-1): a page may embed the widgets of two workspaces, each with its own visitor. */
const keyOf = (workspace: string | undefined): string => (workspace ? `${KEY}.${workspace}` : KEY);

export function loadVisitorId(workspace?: string): string | undefined {
  try {
    return localStorage.getItem(keyOf(workspace)) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveVisitorId(id: string | undefined, workspace?: string): void {
  try {
    if (id === undefined) localStorage.removeItem(keyOf(workspace));
    else localStorage.setItem(keyOf(workspace), id);
  } catch {
    // Not kept: the next page load is a new visitor.
  }
}
