/**
 * CLUSTER-1: where a page's workspace lives on its server. The console and
 * admin pages of a workspace other than the default one are served under
 * `/w/<workspace>/` (docs/cluster.md), and every route they call is under
 * the same prefix; the default workspace's pages have none.
 */
import { WORKSPACE_ID_SOURCE } from '../../../protocol/workspace-scope.js';

const PREFIX = new RegExp(`^/w/(${WORKSPACE_ID_SOURCE})(?:/|$)`);

/** `/w/<workspace>` for a page under it, '' otherwise. */
export function workspaceBase(pathname: string = location.pathname): string {
  const m = PREFIX.exec(pathname);
  return m ? `/w/${m[1]}` : '';
}

/** The origin plus the page's workspace prefix: the base every HTTP and WebSocket route of the page hangs off. */
export function serverBase(): string {
  return `${location.origin}${workspaceBase()}`;
}

/** A localStorage key of this workspace: the default one keeps the plain key. */
export function workspaceKey(key: string, base: string = workspaceBase()): string {
  return base ? `${key}.${base.slice(3)}` : key;
}
