/**
 * MON-2: one row per conversation created in a range, for other tools. A
 * generator read an hour of the creation index at a time, so the export is
 * streamed as the client takes it and never held in memory whole.
 */
import type { Journal } from '../../actors/journal.js';
import { Keys } from '../../actors/keyspace.js';
import { customerIdOf } from '../../actors/customer-view.js';
import type { CustomerRecord } from '../../actors/customer-records.js';
import { BOM, csvLine } from './csv.js';
import type { ConversationTrack } from './conversation-track.js';
import { HOUR_MS } from './hours.js';
import type { ReportRange } from './report-range.js';

export const CONVERSATION_COLUMNS = [
  'conversation_id',
  'created_at',
  'department',
  'agent',
  'customer_id',
  'customer_name',
  'status',
  'queued',
  'abandoned',
  'assigned_at',
  'first_agent_message_at',
  'resolved_at',
  'wait_ms',
  'first_response_ms',
  'handle_ms',
  'transfers',
  'tags',
  'rating',
  'rating_comment',
  'summary',
] as const;

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** Rows of conversations created in `range` whose department (the last one) is in `departments`. */
export function* conversationsCsv(
  journal: Journal,
  range: ReportRange,
  departments: readonly string[],
): Generator<string> {
  const wanted = new Set(departments);
  yield BOM + csvLine(CONVERSATION_COLUMNS);
  for (let hour = range.from; hour < range.to; hour += HOUR_MS) {
    for (const { value: id } of journal.records<string>(Keys.reportCreatedHour(hour))) {
      const t = journal.getRecord<ConversationTrack>(Keys.reportConversation(id));
      if (!t || !wanted.has(t.department)) continue;
      const customerId = customerIdOf(journal, t.visitorId);
      const customer = journal.getRecord<CustomerRecord>(Keys.customer(customerId));
      yield csvLine([
        t.id,
        iso(t.createdAt),
        t.department,
        t.agentId,
        customerId,
        customer?.name,
        t.status,
        t.queued,
        t.abandoned,
        iso(t.assignedAt),
        iso(t.firstAgentMessageAt),
        iso(t.resolvedAt),
        t.waitMs,
        t.firstResponseMs,
        t.handleMs,
        t.transfers,
        t.tags.join(' '),
        t.rating,
        t.ratingComment,
        t.summary,
      ]);
    }
  }
}
