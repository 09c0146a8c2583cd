/**
 * The answer to a transfer (XFER-1), in a file of its own: the agent actor,
 * which counts its staff member's transfers (XFER-5) and hands them on,
 * names it without importing the conversation's whole vocabulary.
 */
export interface TransferResult {
  conversationId: string;
  /** Number of the transfer in the chain (XFER-6). */
  n: number;
  seq: number;
  department: string;
  agentId?: string;
}
