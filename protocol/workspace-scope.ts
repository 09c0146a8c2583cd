/**
 * CLUSTER-1: the workspace an id belongs to. Tokens, refresh tokens,
 * visitor ids and file ids issued by a workspace other than the default one
 * read `<workspace>:<id>`; the default workspace's keep the unprefixed form
 * of a single-workspace server, so its clients never see a change. Every
 * use checks the prefix against the workspace the request reached and
 * refuses a foreign id with `wrong_workspace`, before any lookup: the
 * client is told that it used the wrong address, not that its id is bad.
 */
import { ProtocolError } from './errors.js';

/** The workspace a single-workspace start serves, on the unprefixed routes. */
export const DEFAULT_WORKSPACE = 'default';

/** A workspace id: short, lower case and URL-safe, so it fits a route segment, a metric label and an id prefix. */
export const WORKSPACE_ID_SOURCE = '[a-z0-9][a-z0-9-]{0,31}';

/** `raw` as issued by workspace `workspace`. */
export function scopedId(workspace: string, raw: string): string {
  return workspace === DEFAULT_WORKSPACE ? raw : `${workspace}:${raw}`;
}

/** The workspace that issued `id`: its prefix, or the default workspace for an id without one. */
export function workspaceOfId(id: string): string {
  const colon = id.indexOf(':');
  return colon < 0 ? DEFAULT_WORKSPACE : id.slice(0, colon);
}

/** The `wrong_workspace` error (naming `field`) when `id` was issued by another workspace than `workspace`. */
export function foreignId(workspace: string, id: string, field: string): ProtocolError | undefined {
  const issuer = workspaceOfId(id);
  return issuer === workspace
    ? undefined
    : new ProtocolError(
        'wrong_workspace',
        `this ${field} belongs to workspace "${issuer}", not to "${workspace}": use that workspace's address`,
        field,
      );
}

/** Throws `foreignId`'s error, if any. */
export function assertOwnId(workspace: string, id: string, field: string): void {
  const err = foreignId(workspace, id, field);
  if (err) throw err;
}
