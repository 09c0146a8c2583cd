/**
 * What the chaos harness's clients hold, and the checks of a restarted
 * server's journal against it (OPS-1, OPS-2). Pure: no sockets here, so the
 * checks themselves are tested on made-up journals (test/chaos.test.ts).
 *
 * A client "holds" an event it received (events reach clients only after
 * their commit) and every ack: a message's seq, the seq of a resolve, of a
 * transfer's `transferred` or `assigned` event, and a transfer's number.
 */
import type { Frame } from '../client/protocol-socket.js';

export type Status = 'new' | 'queued' | 'assigned' | 'resolved';

/** A conversation as its journal says it is now. */
export interface DerivedState {
  status: Status;
  department: string;
  agentId: string | undefined;
  visitorId: string;
  lastSeq: number;
  transferred: number;
}

/** What an acked state change promises about the event at its seq. */
export type Expectation =
  | { type: 'resolved' }
  | { type: 'transferred'; department: string }
  | { type: 'assigned'; agentId: string };

export type TransferTarget = { agentId: string } | { department: string };

export class ConversationFacts {
  /** seq → canonical text of the event some client received at that seq. */
  readonly seen = new Map<number, string>();
  /** sender key (`role:id:clientMsgId`) → seq its send was acked with. */
  readonly messages = new Map<string, number>();
  readonly changes = new Map<number, Expectation>();
  /** Acked transfers by their number in the chain. */
  readonly transfers = new Map<number, TransferTarget>();
  /** The journal's word at the last audit. */
  state: DerivedState | undefined;
  /** Something happened to it since the last audit. */
  touched = true;

  constructor(readonly id: string) {}
}

export const senderKey = (role: string, id: string, clientMsgId: string): string => `${role}:${id}:${clientMsgId}`;

/** JSON with object keys sorted, so two copies of one event compare equal as text. */
export function digest(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

export class Ledger {
  readonly conversations = new Map<string, ConversationFacts>();
  readonly failures: string[] = [];

  fail(message: string): void {
    this.failures.push(message);
  }

  facts(conversationId: string): ConversationFacts {
    let f = this.conversations.get(conversationId);
    if (!f) this.conversations.set(conversationId, (f = new ConversationFacts(conversationId)));
    f.touched = true;
    return f;
  }

  /** A client received `event` (it carries conversationId and seq). Two clients must never see two different events at one seq. */
  observe(event: Frame): void {
    const f = this.facts(event.conversationId as string);
    const seq = event.seq as number;
    const text = digest(event);
    const before = f.seen.get(seq);
    if (before === undefined) f.seen.set(seq, text);
    else if (before !== text)
      this.fail(`${f.id} seq ${seq}: clients received two different events: ${before} / ${text}`);
  }

  ackMessage(conversationId: string, sender: string, seq: number): void {
    const f = this.facts(conversationId);
    const before = f.messages.get(sender);
    if (before !== undefined && before !== seq)
      this.fail(`${conversationId}: message ${sender} acked at seq ${before} and again at seq ${seq}`);
    f.messages.set(sender, seq);
  }

  ackChange(conversationId: string, seq: number, expected: Expectation): void {
    this.facts(conversationId).changes.set(seq, expected);
  }

  ackTransfer(conversationId: string, n: number, to: TransferTarget): void {
    this.facts(conversationId).transfers.set(n, to);
  }
}

export interface JournalCheck {
  failures: string[];
  state: DerivedState | undefined;
  /** Acked messages found exactly once at their acked seq. */
  messagesChecked: number;
}

/**
 * OPS-1: the replayed journal (`events`, in the order the server sent them)
 * starts at seq 1 with no gap or repeat, holds every event clients received
 * unchanged at its seq, every acked message once at its acked seq and every
 * acked state change at its seq; no client message id is stored twice.
 */
export function checkJournal(facts: ConversationFacts, events: readonly Frame[]): JournalCheck {
  const failures: string[] = [];
  const id = facts.id;
  events.forEach((e, i) => {
    if (e.seq !== i + 1) failures.push(`${id}: replay event ${i + 1} has seq ${String(e.seq)} (gap or repeat)`);
  });
  const bySeq = new Map(events.map((e) => [e.seq as number, e]));
  for (const [seq, text] of facts.seen) {
    const stored = bySeq.get(seq);
    if (!stored) failures.push(`${id} seq ${seq}: a client received ${text}, the restarted server has nothing there`);
    else if (digest(stored) !== text)
      failures.push(`${id} seq ${seq}: a client received ${text}, the restarted server has ${digest(stored)}`);
  }
  const stored = new Map<string, number[]>();
  for (const e of events) {
    if (e.type !== 'message' || typeof e.clientMsgId !== 'string') continue;
    const from = e.from as { role: string; id: string };
    const key = senderKey(from.role, from.id, e.clientMsgId);
    stored.set(key, [...(stored.get(key) ?? []), e.seq as number]);
  }
  for (const [key, seqs] of stored)
    if (seqs.length > 1) failures.push(`${id}: message ${key} stored ${seqs.length} times (seqs ${seqs.join(', ')})`);
  let messagesChecked = 0;
  for (const [key, seq] of facts.messages) {
    const seqs = stored.get(key) ?? [];
    if (seqs.length === 1 && seqs[0] === seq) messagesChecked++;
    else failures.push(`${id}: acked message ${key} (seq ${seq}) found at seqs [${seqs.join(', ')}]`);
  }
  for (const [seq, expected] of facts.changes) {
    const e = bySeq.get(seq);
    const ok =
      e?.type === expected.type &&
      (expected.type !== 'assigned' || (e.agent as { id: string }).id === expected.agentId) &&
      (expected.type !== 'transferred' || e.department === expected.department);
    if (!ok)
      failures.push(
        `${id} seq ${seq}: acked ${digest(expected)}, the restarted server has ${e ? digest(e) : 'nothing'}`,
      );
  }
  return { failures, state: derive(events), messagesChecked };
}

/** The conversation's state after its events, as the journal tells it. */
export function derive(events: readonly Frame[]): DerivedState | undefined {
  const first = events[0];
  if (first?.type !== 'created') return undefined;
  const s: DerivedState = {
    status: 'new',
    department: first.department as string,
    agentId: undefined,
    visitorId: first.visitorId as string,
    lastSeq: 0,
    transferred: 0,
  };
  for (const e of events) {
    s.lastSeq = e.seq as number;
    if (typeof e.department === 'string') s.department = e.department;
    switch (e.type) {
      case 'queued':
        s.status = 'queued';
        break;
      case 'assigned':
        s.status = 'assigned';
        s.agentId = (e.agent as { id: string }).id;
        break;
      case 'transferred':
        s.transferred++;
        s.status = 'new';
        s.agentId = undefined;
        break;
      case 'unassigned':
      case 'reopened':
        s.status = 'new';
        s.agentId = undefined;
        break;
      case 'resolved':
        s.status = 'resolved';
        break;
    }
  }
  return s;
}

/** XFER-6 after a restart: the chain is numbered 0..k-1, one record per `transferred` event, and holds every acked transfer. */
export function checkTransferChain(
  facts: ConversationFacts,
  chain: readonly Frame[],
  transferredEvents: number,
): string[] {
  const failures: string[] = [];
  const id = facts.id;
  chain.forEach((t, i) => {
    if (t.n !== i) failures.push(`${id}: transfer ${i} of the chain is numbered ${String(t.n)}`);
  });
  if (chain.length !== transferredEvents)
    failures.push(`${id}: ${chain.length} transfer records for ${transferredEvents} transferred events`);
  for (const [n, target] of facts.transfers) {
    const to = chain[n]?.to as { kind: string; id?: string; department: string } | undefined;
    const ok =
      to !== undefined &&
      ('agentId' in target
        ? to.kind === 'agent' && to.id === target.agentId
        : to.kind === 'department' && to.department === target.department);
    if (!ok)
      failures.push(`${id}: acked transfer ${n} to ${digest(target)}, the chain has ${to ? digest(to) : 'nothing'}`);
  }
  return failures;
}

/** QUEUE-1 after a restart: conversations waiting before the kill and still waiting keep their order. */
export function checkQueueOrder(department: string, before: readonly string[], after: readonly string[]): string[] {
  const still = new Set(after);
  const kept = before.filter((c) => still.has(c));
  const was = new Set(before);
  const now = after.filter((c) => was.has(c));
  return digest(kept) === digest(now)
    ? []
    : [`${department}: queue order before the kill ${kept.join(',')}, after the restart ${now.join(',')}`];
}
