/**
 * The WebSocket close codes clients see, each with the reason the server
 * sends with it. uWebSockets.js answers a frame above Limits.maxFrameBytes
 * (and invalid UTF-8 in a text frame) by dropping the TCP connection
 * without a close frame, which clients report as 1006.
 */
export interface CloseCode {
  readonly code: number;
  readonly reason: string;
  /** What it means to a client, for docs/protocol.md. */
  readonly about: string;
}

export const CloseCodes = {
  normal: { code: 1000, reason: 'bye', about: 'Normal closure.' },
  goingAway: {
    code: 1001,
    reason: 'server shutting down',
    about:
      'The server is shutting down, or (on a cluster node) the workspace moved to another node (reason `workspace moved to another node`): reconnect and resume.',
  },
  abnormal: {
    code: 1006,
    reason: '',
    about:
      'Never sent: uWebSockets.js drops the connection without a close frame on an oversized frame or invalid UTF-8 in a text frame.',
  },
  policyViolation: {
    code: 1008,
    reason: 'rate limit exceeded',
    about: 'OPS-5: a flood of frames far past the frame rate limit.',
  },
  sessionRevoked: {
    code: 4001,
    reason: 'session revoked',
    about:
      'The staff session this connection signed in with was revoked (sign-out, password change or reset): sign in again.',
  },
  identityChanged: {
    code: 4002,
    reason: 'account changed; sign in again',
    about:
      "The staff member's role or departments changed: their rights are decided again at the next sign-in (the token still works).",
  },
  originNotAllowed: {
    code: 4003,
    reason: 'origin_not_allowed',
    about:
      "WEB-1: the page's site (its Origin) may not embed this workspace's widget: the workspace's allowlist does not name it. Do not reconnect; show the visitor that chat is not available here.",
  },
} as const satisfies Record<string, CloseCode>;
