/**
 * Stable error codes (the WebSocket close codes are in close-codes.ts). Clients switch on these
 * strings, so a code, once published, keeps its meaning forever.
 */
export const ErrorCodes = [
  'bad_frame', // not decodable: malformed msgpack, invalid JSON or UTF-8, not an object
  'unknown_type', // decodable, but `type` names no command of this endpoint
  'invalid_field', // a field is missing, of the wrong type, out of range, or not allowed
  'unauthorized', // not signed in, or bad credentials
  'forbidden', // signed in, but not allowed to do this
  'origin_not_allowed', // WEB-1: the page's site (Origin) is not on the workspace's list of sites that may embed the widget (HTTP 403)
  'not_found', // an id that names nothing this client may see
  'wrong_workspace', // CLUSTER-1: a token, visitor id or file id issued by another workspace than the one addressed (HTTP 403)
  'conflict', // the command contradicts the current state (e.g. send to a resolved conversation)
  'limit_exceeded', // a size or count limit
  'rate_limited', // too many sign-in failures, or frames faster than the connection's frame rate limit: not executed; wait and retry (HTTP 429 with Retry-After)
  'unsupported_media_type', // an upload whose type is not allowed, or whose bytes are not of the type it declares
  'storage_failed', // the store refused the write; nothing was acknowledged
  'timeout', // an internal step did not answer in time; the command may be retried (HTTP 408: an upload body that stalled)
  'unavailable', // the server is starting or shutting down
  'invalid_range', // MON-2: a report's from/to is not a day or an instant, `to` is not after `from`, or an unknown timeZone
  'internal', // a bug: logged with the connection id
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

/** An error meant for a client: a stable code, a readable message and, for invalid input, the field. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.field = field;
  }
}
