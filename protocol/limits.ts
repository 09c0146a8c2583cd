/** Limits that are part of the contract with clients (documented in docs/protocol.md). */
export const Limits = {
  /** Largest WebSocket frame accepted, in bytes. uWebSockets.js drops the connection on a larger frame without a close frame: clients see 1006. */
  maxFrameBytes: 64 * 1024,
  /** Longest chat text, in UTF-16 code units. */
  maxTextLength: 8000,
  /** Longest id of any kind (command id, client message id, visitor id). */
  maxIdLength: 64,
  /** Longest stored file name, in UTF-16 code units; longer names are shortened, keeping the extension (CONV-1). */
  maxFileNameLength: 200,
} as const;
