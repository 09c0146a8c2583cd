/**
 * Stable error codes and WebSocket close codes. Clients switch on these
 * strings, so a code, once published, keeps its meaning forever.
 */
export const ErrorCodes = [
  'bad_frame', // not decodable: malformed msgpack, invalid JSON or UTF-8, not an object
  'unknown_type', // decodable, but `type` names no command of this endpoint
  'invalid_field', // a field is missing, of the wrong type, out of range, or not allowed
  'unauthorized', // not signed in, or bad credentials
  'forbidden', // signed in, but not allowed to do this
  'not_found', // an id that names nothing this client may see
  'conflict', // the command contradicts the current state (e.g. send to a resolved conversation)
  'limit_exceeded', // a size or count limit
  'rate_limited', // too many sign-in failures, or frames faster than the connection's frame rate limit: not executed; wait and retry (HTTP 429 with Retry-After)
  'unsupported_media_type', // an upload whose type is not allowed, or whose bytes are not of the type it declares
  'storage_failed', // the store refused the write; nothing was acknowledged
  'timeout', // an internal step did not answer in time; the command may be retried (HTTP 408: an upload body that stalled)
  'unavailable', // the server is starting or shutting down
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

/**
 * WebSocket close codes clients see. uWebSockets.js answers a frame above
 * Limits.maxFrameBytes (and invalid UTF-8 in a text frame) by dropping the
 * TCP connection without a close frame, which clients report as 1006.
 */
export const CloseCodes = {
  normal: 1000,
  goingAway: 1001, // server shutdown
  abnormal: 1006, // oversized frame or invalid UTF-8 text frame: connection dropped by uWS
  identityChanged: 4002, // the staff member's role or departments changed: their rights are decided again at the next sign-in (the token still works)
  sessionRevoked: 4001, // the staff session this connection signed in with was revoked (sign-out, password change or reset): sign in again
  policyViolation: 1008, // OPS-5: a flood of frames far past the frame rate limit
} as const;
