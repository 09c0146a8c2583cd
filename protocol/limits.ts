/** Limits that are part of the contract with clients (documented in docs/protocol.md). */
export const Limits = {
  /** Largest WebSocket frame accepted, in bytes. uWebSockets.js drops the connection on a larger frame without a close frame: clients see 1006. */
  maxFrameBytes: 64 * 1024,
  /** Longest chat text, in UTF-16 code units. */
  maxTextLength: 8000,
  /** Longest id of any kind (command id, client message id, visitor id). */
  maxIdLength: 64,
} as const;

/** CUST-1, CUST-3: sizes of customer identities and profiles (documented in docs/protocol.md). */
export const CustomerLimits = {
  /** External user id of a verified login (the exact string the company's server signs). */
  maxExternalIdLength: 200,
  maxNameLength: 200,
  maxEmailLength: 254,
  maxPhoneLength: 40,
  maxAttributeKeyLength: 64,
  maxAttributeValueLength: 1000,
  /** Custom attributes one customer may have. */
  maxAttributes: 50,
} as const;
