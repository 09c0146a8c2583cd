/**
 * The conversation actor's context: what every handler is given besides
 * the state and its message (ports, its id and journal stream, its own ref,
 * its typing and read marks), and the shape of the handler table, keyed by
 * message type, so a message without a handler is a type error.
 */
import type { Participant } from '../../protocol/frames.js';
import type { Ref } from '../runtime.js';
import type { ConversationMsg } from './messages.js';
import type { ConversationPorts } from './ports.js';
import type { ConversationPresence } from './presence.js';
import type { State } from './actor-state.js';

export interface ConversationContext {
  readonly ports: ConversationPorts;
  readonly id: string;
  /** The conversation's journal stream. */
  readonly stream: string;
  readonly self: Ref<ConversationMsg>;
  /** CONV-2: typing and read marks, which stay out of the journal and the state. */
  readonly presence: ConversationPresence;
}

/** Handles one message: changes `s` in place, answers through the message's reply. */
export type Handler<M> = (cx: ConversationContext, s: State, msg: M) => void;

/** The message of one type. */
export type MsgOf<T extends ConversationMsg['type']> = Extract<ConversationMsg, { type: T }>;

/** One handler per message type: the behaviour's dispatch. */
export type Handlers = { readonly [T in ConversationMsg['type']]: Handler<MsgOf<T>> };

export const messageIdOf = (conversationId: string, seq: number): string => `${conversationId}.${seq}`;

/** Client message ids are scoped to their sender: the same id from the visitor and from the agent are two messages. */
export const senderKey = (from: Participant, clientMsgId: string): string => `${from.role}:${from.id}:${clientMsgId}`;
