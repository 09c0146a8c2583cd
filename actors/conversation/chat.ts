/**
 * What writers do in a conversation: send a message (with a file only one
 * they uploaded here, CONV-1; deduplicated by its client message id, OPS-2;
 * a customer's message to a resolved one reopens it, XFER-7), type and mark
 * as read (CONV-2). Silent watchers may do none
 * of these.
 */
import { ProtocolError } from '../../protocol/errors.js';
import type { FileRef } from '../../protocol/frames.js';
import type { Caller } from '../notifier.js';
import { Keys } from '../keyspace.js';
import { uploaderOf, type FileRecord } from '../files.js';
import type { State } from './actor-state.js';
import { canRead, isParticipant, notFound, participantOf } from './access.js';
import { publish, subscribe } from './followers.js';
import type { Publish } from './presence.js';
import { sleepIfDone } from './persist.js';
import { appendMessage } from './append-message.js';
import { reopen } from './reopen.js';
import { messageIdOf, senderKey, type ConversationContext, type Handlers } from './context.js';

/** Writers only: others are refused, and only those who may read it learn that it exists. */
const writerRefusal = (s: State, c: Caller): ProtocolError | undefined =>
  isParticipant(s, c)
    ? undefined
    : canRead(s, c) && s.seq > 0
      ? new ProtocolError('forbidden', 'not a participant of this conversation')
      : notFound();

/** CONV-1: a message carries only a file its sender uploaded to this conversation (the upload checked the right to write). */
function ownUpload(cx: ConversationContext, caller: Caller, fileId: string): FileRef | ProtocolError {
  const file = cx.ports.journal.getRecord<FileRecord>(Keys.file(fileId));
  if (!file || file.conversationId !== cx.id || file.uploader !== uploaderOf(caller))
    return new ProtocolError('not_found', 'no file with this id was uploaded by you to this conversation', 'fileId');
  return { id: file.id, name: file.name, type: file.type, size: file.size };
}

const publisher =
  (cx: ConversationContext, s: State): Publish =>
  (f, to) =>
    publish(cx.ports.notifier, s, f, to);

export const chatHandlers = {
  send(cx, s, msg) {
    const { ports, id } = cx;
    const file = msg.fileId === undefined ? undefined : ownUpload(cx, msg.caller, msg.fileId);
    if (file instanceof ProtocolError) {
      sleepIfDone(cx, s);
      return msg.reply(file);
    }
    const refusal = writerRefusal(s, msg.caller);
    if (refusal) return msg.reply(refusal);
    const from = participantOf(msg.caller);
    const key = msg.clientMsgId === undefined ? undefined : senderKey(from, msg.clientMsgId);
    // The filter's no is certain; its yes is checked exactly (OPS-2).
    const dupSeq =
      key === undefined || !s.clientMsgFilter.mightHave(key)
        ? undefined
        : (s.recentClientMsgIds.get(key) ??
          (s.recentComplete ? undefined : ports.journal.getRecord<number>(Keys.clientMsg(id, key))));
    if (dupSeq !== undefined) {
      const answer = { conversationId: id, seq: dupSeq, messageId: messageIdOf(id, dupSeq), duplicate: true };
      // The original may still be in flight: answer as it ends.
      const original = s.writes.get(dupSeq);
      if (!original) msg.reply(answer);
      else
        original.then(
          () => msg.reply(answer),
          () => msg.reply(new ProtocolError('storage_failed', 'the original message was not stored; retry')),
        );
      return;
    }
    const pending = { from, clientMsgId: msg.clientMsgId, text: msg.text, file, reply: msg.reply };
    if (s.status === 'resolved' || s.reopening) {
      // XFER-7: the customer writing again reopens it; staff cannot write to a resolved conversation.
      if (from.role !== 'visitor') return msg.reply(new ProtocolError('conflict', 'conversation is resolved'));
      // The actor may have slept since the resolve and lost its followers: the customer's connections follow it again.
      for (const connection of ports.notifier.connectionsOf({ kind: 'visitor', id: s.visitorId }))
        subscribe(s, { role: 'visitor', id: s.visitorId, connectionId: connection });
      return reopen(cx, s, pending);
    }
    appendMessage(cx, s, pending);
  },
  typing(cx, s, msg) {
    const refusal =
      writerRefusal(s, msg.caller) ??
      (s.status === 'resolved' ? new ProtocolError('conflict', 'conversation is resolved') : undefined);
    if (refusal) {
      sleepIfDone(cx, s);
      return msg.reply(refusal);
    }
    cx.presence.typing(publisher(cx, s), participantOf(msg.caller), msg.typing);
    msg.reply({ conversationId: cx.id });
  },
  typingExpired(cx, s, msg) {
    cx.presence.expired(publisher(cx, s), msg.from, msg.token);
  },
  read(cx, s, msg) {
    const refusal = writerRefusal(s, msg.caller);
    if (refusal) {
      sleepIfDone(cx, s);
      return msg.reply(refusal);
    }
    const { reply } = msg;
    cx.presence.read(publisher(cx, s), participantOf(msg.caller), msg.seq, s.committedSeq, (r) => {
      reply(r);
      sleepIfDone(cx, s);
    });
  },
} satisfies Partial<Handlers>;
