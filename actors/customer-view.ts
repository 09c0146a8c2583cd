/**
 * What staff see of a customer (CUST-1, CUST-2, CUST-3): the profile, the
 * customer's earlier conversations with their internal notes and transfer
 * notes, and weak hints (other customers seen from the same address). A pure,
 * synchronous read of committed records: the `customer` command calls it, and
 * so does the transfer notification (XFER-4), without asking any actor.
 *
 * Bounded so that a long-standing customer's view stays small: the
 * HISTORY_LIMIT most recent conversations (`more` says older ones exist), the
 * last NOTES_LIMIT notes and TRANSFERS_LIMIT transfers of each, HINT_LIMIT
 * hints. Nothing here is ever sent to a visitor.
 */
import type { ConversationEvent } from '../protocol/frames.js';
import type { CustomerConversation, CustomerHint, CustomerProfile, CustomerView } from '../protocol/customer-view.js';
import type { Journal, RecordWrite } from './journal.js';
import { Keys } from './keyspace.js';
import type { StaffRecord } from './agent/records.js';
import type { CustomerConversationIndex, CustomerRecord, VisitorLinkRecord } from './customer-records.js';
import {
  conversationStream,
  type DecisionRecord,
  type NoteRecord,
  type OpenConversationRecord,
  type TransferRecord,
} from './conversation/records.js';

export type { CustomerConversation, CustomerHint, CustomerProfile, CustomerView };

/** Earlier conversations in a view, most recent first. */
export const HISTORY_LIMIT = 20;
/** The most recent notes and transfers of each conversation in a view. */
export const NOTES_LIMIT = 50;
export const TRANSFERS_LIMIT = 50;
/** Hints: at most this many, seen within HINT_WINDOW_MS of the visitor's own last hello, found among the HINT_SCAN latest visitors of the address. */
export const HINT_LIMIT = 5;
export const HINT_WINDOW_MS = 30 * 24 * 3600 * 1000;
const HINT_SCAN = 200;

/** The public part of a visitor id (`v-<random>`): names the visitor without being a credential. */
export const visitorHandle = (visitorId: string): string => visitorId.split('.')[0]!;

/** The customer an anonymous visitor is: derived from the visitor id's public part, so it needs no record until edited. */
export const anonymousCustomerId = (visitorId: string): string => `a-${visitorHandle(visitorId).replace(/^v-/, '')}`;

/** The customer a visitor belongs to now. */
export const customerIdOf = (journal: Journal, visitorId: string): string =>
  journal.getRecord<VisitorLinkRecord>(Keys.visitorLink(visitorId))?.customerId ?? anonymousCustomerId(visitorId);

/** ROUTE/CUST-1: the VIP flag of the visitor's customer, for the needs of a conversation being created. */
export const isVipVisitor = (journal: Journal, visitorId: string): boolean =>
  journal.getRecord<CustomerRecord>(Keys.customer(customerIdOf(journal, visitorId)))?.vip === true;

/** CUST-2: the index entry that makes a new conversation part of its customer's history; written with its `created` event. */
export function customerIndexWrite(
  journal: Journal,
  visitorId: string,
  conversationId: string,
  createdAt: number,
  department: string,
): RecordWrite {
  const value: CustomerConversationIndex = { conversationId, visitorId, createdAt, department };
  return { key: Keys.customerConversation(customerIdOf(journal, visitorId), createdAt, conversationId), value };
}

const profileOf = (id: string, record: CustomerRecord | undefined, visitorId: string): CustomerProfile => {
  if (!record) return { id, verified: false, attributes: {}, vip: false, visitors: [visitorHandle(visitorId)] };
  return {
    id,
    verified: record.externalId !== undefined,
    ...(record.externalId !== undefined ? { externalId: record.externalId } : {}),
    ...(record.name !== undefined ? { name: record.name } : {}),
    ...(record.email !== undefined ? { email: record.email } : {}),
    ...(record.phone !== undefined ? { phone: record.phone } : {}),
    attributes: { ...record.attributes },
    vip: record.vip,
    visitors: record.visitorIds.map(visitorHandle),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
};

/** The first `n` records under a prefix (keys in order). */
function firstRecords<V>(journal: Journal, prefix: readonly (string | number)[], n: number): V[] {
  const out: V[] = [];
  if (n <= 0) return out;
  for (const { value } of journal.records<V>(prefix)) {
    out.push(value);
    if (out.length >= n) break;
  }
  return out;
}

/** The last `n` records under a prefix, and how many came before them. */
function lastRecords<V>(
  journal: Journal,
  prefix: readonly (string | number)[],
  n: number,
): { kept: V[]; omitted: number } {
  const kept: V[] = [];
  let omitted = 0;
  for (const { value } of journal.records<V>(prefix)) {
    kept.push(value);
    if (kept.length > n) {
      kept.shift();
      omitted++;
    }
  }
  return { kept, omitted };
}

function conversationOf(
  journal: Journal,
  entry: CustomerConversationIndex,
  staffName: (id: string) => string,
): CustomerConversation | undefined {
  const id = entry.conversationId;
  const open = journal.getRecord<OpenConversationRecord>(Keys.open(id));
  const stream = conversationStream(id);
  const last = journal.lastSeq(stream);
  if (last === 0) return undefined;
  let resolved: CustomerConversation['resolved'];
  if (!open) {
    // The resolve is followed by at most a few automatic messages (CONV-4: resolved, survey).
    for (const { event } of journal.read<ConversationEvent>(stream, Math.max(1, last - 4), last)) {
      if (event.type === 'resolved') {
        resolved = {
          at: event.at,
          by: event.by,
          ...(event.summary ? { summary: event.summary } : {}),
          ...(event.reason ? { reason: event.reason } : {}),
        };
      }
    }
  }
  const decisions = [...journal.records<DecisionRecord>(Keys.decisions(id))].map((r) => r.value);
  const notes = lastRecords<NoteRecord>(journal, Keys.notes(id), NOTES_LIMIT);
  const transfers = lastRecords<TransferRecord>(journal, Keys.transfers(id), TRANSFERS_LIMIT);
  // Who served it: every assignment, by routing or claim (decisions) or by transfer to a named agent.
  const served: { at: number; id: string; name?: string }[] = [
    ...decisions
      .filter(
        (d) =>
          (d.outcome === 'assigned' || d.outcome === 'claimed' || d.outcome === 'taken_over') &&
          d.agentId !== undefined,
      )
      .map((d) => ({ at: d.at, id: d.agentId! })),
    ...transfers.kept.flatMap((t) => (t.to.kind === 'agent' ? [{ at: t.at, id: t.to.id, name: t.to.name }] : [])),
  ].sort((a, b) => a.at - b.at);
  const servedBy: CustomerConversation['servedBy'] = [];
  for (const s of served)
    if (!servedBy.some((x) => x.id === s.id)) servedBy.push({ id: s.id, name: s.name ?? staffName(s.id) });
  const omitted = {
    ...(notes.omitted ? { notes: notes.omitted } : {}),
    ...(transfers.omitted ? { transfers: transfers.omitted } : {}),
  };
  return {
    conversationId: id,
    createdAt: entry.createdAt,
    department: open?.department ?? decisions.at(-1)?.department ?? entry.department,
    status: open?.status ?? (resolved ? 'resolved' : 'new'),
    servedBy,
    ...(resolved ? { resolved } : {}),
    notes: notes.kept,
    transfers: transfers.kept,
    ...(Object.keys(omitted).length ? { omitted } : {}),
  };
}

function hintsFor(
  journal: Journal,
  visitorId: string,
  customerId: string,
  link: VisitorLinkRecord | undefined,
): CustomerHint[] {
  if (link?.ip === undefined || link.seenAt === undefined) return [];
  const hints: CustomerHint[] = [];
  const seen = new Set<string>([customerId]);
  let scanned = 0;
  for (const { key } of journal.records<number>(Keys.ipVisitors(link.ip))) {
    if (++scanned > HINT_SCAN || hints.length >= HINT_LIMIT) break;
    const seenAt = Number.MAX_SAFE_INTEGER - (key[2] as number);
    if (seenAt < link.seenAt - HINT_WINDOW_MS) break;
    const other = key[3] as string;
    if (other === visitorId) continue;
    const otherLink = journal.getRecord<VisitorLinkRecord>(Keys.visitorLink(other));
    // An entry the visitor has since moved on from (its removal may not have been stored).
    if (otherLink?.ip !== link.ip || otherLink.seenAt !== seenAt) continue;
    const otherCustomer = otherLink.customerId ?? anonymousCustomerId(other);
    if (seen.has(otherCustomer)) continue;
    seen.add(otherCustomer);
    const record = journal.getRecord<CustomerRecord>(Keys.customer(otherCustomer));
    const [latest] = firstRecords<CustomerConversationIndex>(journal, Keys.customerConversations(otherCustomer), 1);
    // A visitor with neither a profile nor a conversation (a page view) tells staff nothing.
    if (!record && !latest) continue;
    hints.push({
      strength: 'weak',
      reason: 'same_ip',
      customerId: otherCustomer,
      verified: record?.externalId !== undefined,
      ...(record?.name !== undefined ? { name: record.name } : {}),
      ...(record?.email !== undefined ? { email: record.email } : {}),
      seenAt,
      ...(latest ? { lastConversation: { conversationId: latest.conversationId, createdAt: latest.createdAt } } : {}),
    });
  }
  return hints;
}

/**
 * The view of the customer that `visitorId` belongs to now: profile, the
 * HISTORY_LIMIT most recent conversations (without `exclude`, usually the
 * conversation being served) with notes and transfers, and weak hints.
 */
export function customerView(journal: Journal, visitorId: string, opts: { exclude?: string } = {}): CustomerView {
  const link = journal.getRecord<VisitorLinkRecord>(Keys.visitorLink(visitorId));
  const customerId = link?.customerId ?? anonymousCustomerId(visitorId);
  const record = journal.getRecord<CustomerRecord>(Keys.customer(customerId));
  // The customer's own conversations and those of the anonymous visitors it absorbed, newest first.
  const sources = [customerId, ...(record?.merged ?? [])];
  const entries = sources
    .flatMap((c) => firstRecords<CustomerConversationIndex>(journal, Keys.customerConversations(c), HISTORY_LIMIT + 2))
    .filter((e) => e.conversationId !== opts.exclude)
    .sort((a, b) => b.createdAt - a.createdAt || (a.conversationId < b.conversationId ? -1 : 1));
  const names = new Map<string, string>();
  const staffName = (id: string): string => {
    let name = names.get(id);
    if (name === undefined) names.set(id, (name = journal.getRecord<StaffRecord>(Keys.staff(id))?.name ?? id));
    return name;
  };
  const conversations = entries
    .slice(0, HISTORY_LIMIT)
    .map((e) => conversationOf(journal, e, staffName))
    .filter((c): c is CustomerConversation => c !== undefined);
  return {
    customer: profileOf(customerId, record, visitorId),
    visitor: {
      handle: visitorHandle(visitorId),
      ...(link?.ip !== undefined ? { ip: link.ip } : {}),
      ...(link?.seenAt !== undefined ? { seenAt: link.seenAt } : {}),
    },
    conversations,
    more: entries.length > HISTORY_LIMIT,
    hints: hintsFor(journal, visitorId, customerId, link),
  };
}
