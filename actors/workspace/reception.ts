/**
 * Reception: the visitor directory (which visitor has which open
 * conversation) and the opening of new conversations, decided in one place
 * so that a visitor who double-clicks "start" gets one conversation, not two.
 * Chat traffic never passes through here: clients talk to conversation
 * actors directly.
 */
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '../../protocol/errors.js';
import { Keys } from '../keyspace.js';
import { entryRouting, firstDepartment } from './entry-routing.js';
import { isVipVisitor } from '../customer-view.js';
import type { RoutingRecord } from '../conversation/records.js';
import type { VisitorRecord } from './records.js';
import { issueVisitorId, isVisitorId } from './visitor-ids.js';
import { foreignId, scopedId } from '../../protocol/workspace-scope.js';
import type { Handlers, WorkspaceContext } from './context.js';
import type { WorkspaceMsg } from './messages.js';

/** CUST-3: the profile's VIP flag as it is now; later edits change later conversations only. */
const routingOf = (cx: WorkspaceContext, msg: Extract<WorkspaceMsg, { type: 'start' }>, entry: string): RoutingRecord =>
  entryRouting(cx.s.snapshot.keywords, (id) => cx.s.departments.has(id), {
    ...(msg.text !== undefined ? { text: msg.text } : {}),
    ...(msg.department !== undefined ? { named: msg.department } : {}),
    entry,
    vip: isVipVisitor(cx.ports.journal, msg.caller.id),
  });

export const receptionHandlers: Handlers<'hello' | 'start' | 'conversationCreated' | 'conversationClosed' | 'reopen'> =
  {
    hello: ({ s, ports }, msg) => {
      const foreign =
        msg.visitorId === undefined ? undefined : foreignId(ports.workspaceId, msg.visitorId, 'visitorId');
      if (foreign) return msg.reply(foreign);
      if (msg.visitorId !== undefined && !isVisitorId(s.visitorIdKey, msg.visitorId)) {
        return msg.reply(
          new ProtocolError('invalid_field', 'unknown visitor id: omit it to be issued a new one', 'visitorId'),
        );
      }
      const visitorId = msg.visitorId ?? scopedId(ports.workspaceId, issueVisitorId(s.visitorIdKey));
      const answer = (): void => {
        const conversationId = s.openByVisitor.get(visitorId);
        if (conversationId) return msg.reply({ visitorId, conversationId });
        const last = ports.journal.getRecord<VisitorRecord>(Keys.visitor(visitorId))?.lastConversationId;
        msg.reply(last ? { visitorId, lastConversationId: last } : { visitorId });
      };
      const open = s.openByVisitor.get(visitorId);
      const waiting = open ? s.creating.get(open) : undefined;
      if (waiting) waiting.push(answer);
      else answer();
    },

    start: (cx, msg) => {
      const { s, ports } = cx;
      const open = s.openByVisitor.get(msg.caller.id);
      if (open) {
        // One open conversation per visitor: a repeated start (a retry, a second tab) gets the same one,
        // once it is stored.
        const answer = (stored: boolean): void =>
          msg.reply(
            stored
              ? { conversationId: open, seq: 0, messageId: '', duplicate: true, created: false }
              : new ProtocolError('storage_failed', 'conversation not stored; retry'),
          );
        const waiting = s.creating.get(open);
        if (waiting) waiting.push(answer);
        else answer(true);
        return;
      }
      const entry = msg.department ?? firstDepartment(s.departments.values());
      if (entry === undefined || !s.departments.has(entry)) {
        return msg.reply(new ProtocolError('not_found', `no department "${msg.department ?? ''}"`, 'department'));
      }
      const routing = routingOf(cx, msg, entry);
      const conversationId = `c-${randomUUID()}`;
      s.openByVisitor.set(msg.caller.id, conversationId);
      s.creating.set(conversationId, []);
      ports.openConversation(conversationId, {
        caller: msg.caller,
        department: routing.department,
        routing,
        ...(msg.text !== undefined ? { text: msg.text } : {}),
        ...(msg.clientMsgId !== undefined ? { clientMsgId: msg.clientMsgId } : {}),
        ...(msg.language !== undefined ? { language: msg.language } : {}),
        reply: (r) => msg.reply(r instanceof ProtocolError ? r : { ...r, created: true }),
      });
    },

    conversationCreated: ({ s }, msg) => {
      const waiting = s.creating.get(msg.conversationId) ?? [];
      s.creating.delete(msg.conversationId);
      // Not stored: forget it, so that the next start tries again.
      if (!msg.stored && s.openByVisitor.get(msg.visitorId) === msg.conversationId)
        s.openByVisitor.delete(msg.visitorId);
      for (const w of waiting) w(msg.stored);
    },

    conversationClosed: ({ s }, msg) => {
      if (s.openByVisitor.get(msg.visitorId) === msg.conversationId) s.openByVisitor.delete(msg.visitorId);
    },

    reopen: ({ s }, msg) => {
      const open = s.openByVisitor.get(msg.visitorId);
      if (open !== undefined && open !== msg.conversationId) {
        return msg.reply(
          new ProtocolError(
            'conflict',
            'this conversation is resolved and you have another one open',
            'conversationId',
          ),
        );
      }
      s.openByVisitor.set(msg.visitorId, msg.conversationId);
      msg.reply({ conversationId: msg.conversationId });
    },
  };
