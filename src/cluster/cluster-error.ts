/**
 * Stable error codes of the cluster layer (CLUSTER-2/3). Callers switch on
 * these strings, so a code keeps its meaning once published.
 */
export const ClusterErrorCodes = [
  'lease_held', // another node holds the workspace's lease and has renewed it within the bound
  'lease_lost', // this node's lease is gone: its renewal was refused (someone else took it) or it passed its bound unrenewed
  'fenced', // the journal stream refused a write: another owner has written since this one last did
  'unavailable', // NATS did not answer in time; a journal write may or may not have landed, so the writer stops
  'invalid_name', // a workspace id that cannot be a NATS subject token or KV key
  'too_large', // a journal batch bigger than the NATS servers' max_payload: refused before it is sent
  'not_owner', // a forwarded request reached a node that does not own the workspace (any more): retry
] as const;

export type ClusterErrorCode = (typeof ClusterErrorCodes)[number];

export class ClusterError extends Error {
  readonly code: ClusterErrorCode;

  constructor(code: ClusterErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClusterError';
    this.code = code;
  }
}

/** JetStream's answer to a publish whose expected last (subject) sequence does not match: 10071. */
export function isWrongLastSequence(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 10071 || code === 10164;
}

/**
 * Workspace ids become one token of a subject and a KV key, so they are
 * limited to the characters both allow everywhere.
 */
export function checkWorkspaceId(workspace: string): void {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(workspace))
    throw new ClusterError('invalid_name', `workspace id ${JSON.stringify(workspace)} is not [A-Za-z0-9_-]{1,128}`);
}
