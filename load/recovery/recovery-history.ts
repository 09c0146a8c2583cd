/**
 * Writes a large conversation history into a data directory, fast, for the
 * recovery benchmark: straight through the store's Journal API in big
 * batches, in the format the conversation actor writes (the protocol's event
 * types; the same records in the same transaction as their event: `open`,
 * `visitor`, `routing`, the customer index, one `cmid` per message). Visitor
 * ids are signed with the store's own key, so the server accepts them.
 *
 * Every conversation has `created`, `assigned`, `messages` messages
 * (visitor and agent in turn) and, unless it is one of the open ones,
 * `resolved`. Open ones are assigned (up to each agent's capacity) or wait in
 * their department's queue.
 */
import { randomUUID } from 'node:crypto';
import type {
  AssignedEvent,
  CreatedEvent,
  MessageEvent,
  QueuedEvent,
  ResolvedEvent,
  ConversationEvent,
} from '../../protocol/frames.js';
import { Keys } from '../../actors/keyspace.js';
import {
  conversationStream,
  type OpenConversationRecord,
  type RoutingRecord,
} from '../../actors/conversation/records.js';
import { defaultConversationNeeds } from '../../actors/routing/needs.js';
import type { VisitorRecord } from '../../actors/workspace/records.js';
import type { RecordWrite } from '../../actors/journal.js';
import { issueVisitorId } from '../../actors/workspace/visitor-ids.js';
import { customerIndexWrite } from '../../actors/customer-view.js';
import { messageIdOf } from '../../actors/conversation/index.js';
import { LmdbStore } from '../../src/store/lmdb-store.js';
import type { AgentAccount } from '../chaos/chaos-agent.js';

export interface HistoryOptions {
  conversations: number;
  messages: number;
  /** Conversations left open: assigned while agents have room, the rest queued. */
  open: number;
  /** Open conversations each agent serves at most. */
  perAgent: number;
  agents: readonly AgentAccount[];
  /** Conversations per write batch (one commit each). */
  batch?: number;
}

export interface History {
  events: number;
  messages: number;
  /** A resolved and an open conversation (with its visitor), for a spot check after the restart. */
  sample: { resolved: string; open: string; openVisitor: string; queued: number };
}

export async function writeHistory(dataDir: string, o: HistoryOptions): Promise<History> {
  const store = LmdbStore.open(dataDir);
  const key = store.getRecord<Buffer>(Keys.visitorIdKey);
  if (!key) throw new Error('seed the workspace first: no visitor-id key');
  const load = new Map(o.agents.map((a) => [a.id, 0]));
  const history: History = { events: 0, messages: 0, sample: { resolved: '', open: '', openVisitor: '', queued: 0 } };
  const start = Date.now() - o.conversations * 1000;
  let ticket = 0;
  const batch = o.batch ?? 2000;
  let pending: Promise<void>[] = [];
  for (let i = 0; i < o.conversations; i++) {
    const id = `c-${randomUUID()}`;
    const stream = conversationStream(id);
    const visitorId = issueVisitorId(key);
    const agent = o.agents[i % o.agents.length]!;
    const department = agent.department;
    const isOpen = i >= o.conversations - o.open;
    const queued = isOpen && (load.get(agent.id) ?? 0) >= o.perAgent;
    let seq = 0;
    let at = start + i * 1000;
    const append = (e: ConversationEvent, records: RecordWrite[] = []): void => {
      pending.push(store.append(stream, e.seq, e, records));
      history.events++;
    };
    const created: CreatedEvent = { type: 'created', conversationId: id, seq: ++seq, at, visitorId, department };
    const open: OpenConversationRecord = { id, visitorId, department, status: 'new', createdAt: at };
    const routing: RoutingRecord = { department, matches: [], needs: defaultConversationNeeds };
    append(created, [
      { key: Keys.open(id), value: open },
      {
        key: Keys.visitor(visitorId),
        value: { visitorId, openConversationId: id, lastConversationId: id } satisfies VisitorRecord,
      },
      { key: Keys.routing(id), value: routing },
      customerIndexWrite(store, visitorId, id, at, department),
    ]);
    if (queued) {
      const place = { ticket: ++ticket, enqueuedAt: at, priority: 0 };
      const event: QueuedEvent = { type: 'queued', conversationId: id, seq: ++seq, at: ++at, department };
      append(event, [
        { key: Keys.open(id), value: { ...open, status: 'queued', place } satisfies OpenConversationRecord },
      ]);
      history.sample.queued++;
    } else {
      const event: AssignedEvent = {
        type: 'assigned',
        conversationId: id,
        seq: ++seq,
        at: ++at,
        department,
        visitorId,
        agent: { id: agent.id, name: agent.id },
        policy: 'round_robin',
      };
      append(event, [
        {
          key: Keys.open(id),
          value: { ...open, status: 'assigned', agentId: agent.id } satisfies OpenConversationRecord,
        },
      ]);
      if (isOpen) load.set(agent.id, (load.get(agent.id) ?? 0) + 1);
    }
    for (let m = 0; m < o.messages; m++) {
      const fromAgent = m % 2 === 1 && !queued;
      const from = fromAgent ? { role: 'agent' as const, id: agent.id } : { role: 'visitor' as const, id: visitorId };
      const clientMsgId = `m${m}`;
      const s = ++seq;
      const event: MessageEvent = {
        type: 'message',
        conversationId: id,
        seq: s,
        at: ++at,
        messageId: messageIdOf(id, s),
        from,
        clientMsgId,
        text: `message ${m} of conversation ${i}`,
      };
      append(event, [{ key: Keys.clientMsg(id, `${from.role}:${from.id}:${clientMsgId}`), value: s }]);
      history.messages++;
    }
    if (!isOpen) {
      const event: ResolvedEvent = {
        type: 'resolved',
        conversationId: id,
        seq: ++seq,
        at: ++at,
        by: { role: 'agent', id: agent.id },
      };
      append(event, [
        { key: Keys.open(id), value: undefined },
        {
          key: Keys.visitor(visitorId),
          value: { visitorId, lastConversationId: id, lastAgentId: agent.id } satisfies VisitorRecord,
        },
      ]);
      history.sample.resolved = id;
    } else if (!queued && !history.sample.open) {
      history.sample.open = id;
      history.sample.openVisitor = visitorId;
    }
    if (pending.length >= batch * (o.messages + 3)) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  await store.close();
  return history;
}
