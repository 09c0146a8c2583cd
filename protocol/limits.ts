/** Limits that are part of the contract with clients (documented in docs/protocol.md). */
export const Limits = {
  /** Largest WebSocket frame accepted, in bytes. uWebSockets.js drops the connection on a larger frame without a close frame: clients see 1006. */
  maxFrameBytes: 64 * 1024,
  /** Longest chat text, in UTF-16 code units. */
  maxTextLength: 8000,
  /** Longest id of any kind (command id, client message id, visitor id). */
  maxIdLength: 64,
  /** CONV-3 canned replies: title and text lengths (UTF-16 code units), shortcut and tag lengths, tags per snippet. */
  maxCannedTitleLength: 100,
  maxCannedTextLength: 2000,
  maxCannedShortcutLength: 32,
  maxCannedTagLength: 32,
  maxCannedTags: 10,
  /** CONV-3: workspace-wide snippets in all, and personal snippets per staff member. */
  maxCannedWorkspace: 500,
  maxCannedPersonal: 100,
  /** CONV-3: snippets per `canned_list` page (default and most). */
  cannedPageSize: 50,
  /** CONV-2: a repeated `typing: true` reaches the others at most this often. */
  typingRebroadcastMs: 5_000,
  /** CONV-2: a `typing: true` not refreshed for this long ends; the others get `typing: false`. */
  typingExpiresMs: 10_000,
  /** Longest stored file name, in UTF-16 code units; longer names are shortened, keeping the extension (CONV-1). */
  maxFileNameLength: 200,
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
