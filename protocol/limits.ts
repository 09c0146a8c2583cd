/** Limits that are part of the contract with clients (documented in docs/protocol.md). */
export const Limits = {
  /** Largest WebSocket frame accepted, in bytes; larger frames close the connection with 1009. */
  maxFrameBytes: 64 * 1024,
  /** Longest chat text, in UTF-16 code units. */
  maxTextLength: 8000,
  /** Longest id of any kind (command id, client message id, visitor id). */
  maxIdLength: 64,
} as const;
