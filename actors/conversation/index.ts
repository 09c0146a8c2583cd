/**
 * The conversation actor (one per conversation): what others may import.
 *
 * - messages.ts: the messages it accepts and the answers it gives
 *   (transfer-result.ts: a transfer's answer, which the agent actor names)
 * - ports.ts: what it needs of the rest of the system
 * - records.ts: its stored records (open index, routing, decisions, notes,
 *   transfers, rating, read marks) and its journal stream
 * - state.ts: the view its events build (pure reducer) and its snapshot;
 *   actor-state.ts: that view plus what it keeps only while it runs
 * - behavior.ts: the actor, a table of handlers over context.ts's context;
 *   the handlers, one file per concern: lifecycle.ts (create, resolve,
 *   leave, auto-close, rating), reopen.ts, chat.ts (send, typing, read),
 *   reading.ts (access, resume, explain, customer), routing.ts (route,
 *   queue notices, decisions, overflow, exclusions, keyword rules),
 *   assignment.ts (assign, claim, response timeout, agent gone),
 *   transfer.ts, supervision.ts (join, part, take over, notes), timers.ts,
 *   recovery.ts (rebuild from the store, refusals while broken)
 * - persist.ts: journal first, then acks and events; append-message.ts
 * - access.ts, followers.ts, paging.ts: who may do what, fan-out, replay
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
