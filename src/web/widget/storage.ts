/**
 * The visitor id, kept in the host page's localStorage like a cookie
 * (WEB-2: history across page loads). Storage may be missing or refused
 * (private modes, sandboxed frames): the chat then works for this page only.
 */
const KEY = 'switchboard.visitorId';

export function loadVisitorId(): string | undefined {
  try {
    return localStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveVisitorId(id: string | undefined): void {
  try {
    if (id === undefined) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, id);
  } catch {
    // Not kept: the next page load is a new visitor.
  }
}
