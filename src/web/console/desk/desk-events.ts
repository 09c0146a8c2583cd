/**
 * How the desk follows the server's events (WEB-3): journal events go into
 * their conversation by seq (so a replay and a live copy are one entry);
 * an assignment, a transfer to this agent and an offer notify the agent
 * (a desktop notification and the console's sound); the rest update the
 * status, the offers, the notes, typing, read marks and canned replies.
 */
import type { AgentStatus, OfferEvent, ServerFrame } from '../../../../protocol/frames.js';
import type { ConsoleSession } from '../session.js';
import { type Conversation, type SeqEvent, addEvent, addNote, ordered } from './conversation.js';
import type { CannedReply, Waiting } from './desk-types.js';
import type { Typing } from './typing.js';

/** What the events change of the desk. */
export interface EventHost {
  readonly session: ConsoleSession;
  readonly me: string;
  readonly offers: Map<string, OfferEvent>;
  readonly conversations: ReadonlyMap<string, Conversation>;
  readonly typingState: Typing;
  status: AgentStatus | undefined;
  active: number;
  max: number;
  queue: Waiting[];
  canned: CannedReply[];
  notice: string | undefined;
  selected: string | undefined;
  conv(id: string): Conversation;
  resume(id: string, from: number): Promise<void>;
  markRead(id: string): void;
  remember(c: Conversation): void;
  changed(): void;
}

const hasSeq = (e: ServerFrame): e is SeqEvent =>
  e.type !== 'read' &&
  typeof (e as { seq?: unknown }).seq === 'number' &&
  typeof (e as { conversationId?: unknown }).conversationId === 'string';

export function deskEvent(m: EventHost, e: ServerFrame): void {
  if (hasSeq(e)) return seqEvent(m, e);
  switch (e.type) {
    case 'agent_status':
      Object.assign(m, { status: e.status, active: e.active, max: e.max });
      break;
    case 'offer':
      m.offers.set(e.conversationId, e);
      m.session.notify('offer', m.session.t('notifyOffer'), e.department);
      break;
    case 'handover': {
      const c = m.conv(e.conversationId);
      c.transfers = e.transfers;
      for (const n of e.notes) addNote(c, n);
      for (const h of e.history) addEvent(c, h as SeqEvent, m.me);
      if (e.historyFromSeq === 1) c.complete = true;
      m.session.notify('transfer', m.session.t('notifyTransfer'), e.transfer.note || e.transfer.by.name);
      break;
    }
    case 'note':
      addNote(m.conv(e.conversationId), e.note);
      break;
    case 'typing':
      if (e.from.role !== 'visitor') break;
      m.typingState.visitor(m.conv(e.conversationId), e.typing);
      break;
    case 'read':
      if (e.by.role === 'visitor') {
        const c = m.conv(e.conversationId);
        c.read.visitor = Math.max(c.read.visitor, e.seq);
      }
      break;
    case 'notice':
      m.notice = e.message;
      if (e.conversationId && (e.code === 'taken_over' || e.code === 'offer_expired')) {
        m.offers.delete(e.conversationId);
        const c = m.conversations.get(e.conversationId);
        if (c && e.code === 'taken_over') c.mine = false;
      }
      break;
    case 'queue_update':
      // The department's whole list, pushed as it changes (`queue` with `watch`).
      m.queue = [
        ...m.queue.filter((w) => w.department !== e.department),
        ...e.waiting.map((w) => ({ ...w, department: e.department })),
      ];
      break;
    case 'canned_changed':
      m.canned = m.canned.filter((r) => r.id !== e.cannedId);
      if (!e.deleted && e.reply) m.canned.push(e.reply as CannedReply);
      break;
    default:
      return;
  }
  m.changed();
}

function seqEvent(m: EventHost, e: SeqEvent): void {
  const c = m.conv(e.conversationId);
  const wasMine = c.mine;
  if (!addEvent(c, e, m.me)) return;
  if (e.type === 'assigned' && c.mine) {
    m.offers.delete(c.id);
    m.queue = m.queue.filter((w) => w.conversationId !== c.id);
    // The history before a live assignment is fetched (the server replays only what this socket was not
    // sent), so the notification can quote the customer's first words.
    const loaded = c.complete ? Promise.resolve() : m.resume(c.id, 0);
    if (!wasMine && e.policy !== 'transfer' && e.policy !== 'manual')
      void loaded.then(() => m.session.notify('assigned', m.session.t('notifyAssigned'), previewOf(c)));
    m.selected ??= c.id;
  }
  if (e.type === 'resolved') m.remember(c);
  if (e.type === 'message' && e.from.role === 'visitor') m.markRead(c.id);
  m.changed();
}

function previewOf(c: Conversation): string {
  const first = ordered(c).find((e) => e.type === 'message' && e.from.role === 'visitor');
  return (first?.type === 'message' && first.text) || c.department || c.id;
}
