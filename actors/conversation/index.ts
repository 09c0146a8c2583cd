/**
 * The conversation actor (one per conversation): what others may import.
 *
 * - messages.ts: the messages it accepts and the answers it gives
 * - ports.ts: what it needs of the rest of the system
 * - state.ts: the view its events build (pure reducer) and its snapshot
 * - behavior.ts: the actor itself (journal first, then acks and events)
 * - presence.ts: typing and read marks (CONV-2)
 * - customer.ts: its customer's view for staff (CUST-2/3)
 */
export type {
  CloseResult,
  ConversationMsg,
  ConversationRef,
  Explanation,
  ResumeResult,
  SendResult,
  TransferResult,
  TransferTo,
} from './messages.js';
export type { ConversationPorts, SettingsSnapshot } from './ports.js';
export { conversationBehavior, messageIdOf } from './behavior.js';
