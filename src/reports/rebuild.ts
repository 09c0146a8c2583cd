/**
 * MON-2: the rollups rebuilt from the journal, when the store has none (a
 * store from before the reports, or one whose rollups were dropped). It
 * replays every conversation's journal through the same steps as live
 * events (conversation-track.ts), and every agent's presence stream
 * through presence-track.ts, so a rebuilt report equals a live one.
 * It runs at start, before any actor writes.
 */
import { recordKeyId, type Journal, type RecordKey, type RecordWrite } from '../../actors/journal.js';
import { Keys, Prefix } from '../../actors/keyspace.js';
import { conversationStream, type RatingRecord, type TransferRecord } from '../../actors/conversation/records.js';
import type { ConversationEvent } from '../../protocol/frames.js';
import { presenceStream, type PresenceEvent } from '../../actors/agent/presence.js';
import { stepEvent, stepRating, type Contribution, type ConversationTrack, type Step } from './conversation-track.js';
import { stepPresence, type PresenceTrack } from './presence-track.js';
import { addSums, emptySums, type RollupSums } from './rollup-sums.js';
import { hourOf } from './hours.js';

/** 2: with occupancy (onlineMs, slotMs, usedSlotMs); a store of format 1 is rebuilt at start. */
export const ROLLUP_FORMAT = 2;

export interface RollupMeta {
  format: number;
  rebuiltAt: number;
  conversations: number;
}

const WRITE_BATCH = 5000;

/** Whether the rollups are there; when not, `rebuildRollups` makes them. */
export const rollupsPresent = (journal: Journal): boolean =>
  journal.getRecord<RollupMeta>(Keys.reportMeta)?.format === ROLLUP_FORMAT;

export async function rebuildRollups(journal: Journal, now: number): Promise<RollupMeta> {
  const stale: RecordWrite[] = [];
  const agents = new Set<string>();
  for (const { value } of journal.records<PresenceTrack>(Keys.allReportPresence)) agents.add(value.agentId);
  for (const { value } of journal.records<{ id: string }>(Keys.allStaff)) agents.add(value.id);
  for (const prefix of [
    Keys.allReportHours,
    Keys.allReportConversations,
    Keys.allReportCreated,
    Keys.allReportPresence,
    Keys.allReportPeriods,
    Keys.allReportPeriodMarks,
  ])
    for (const { key } of journal.records(prefix)) stale.push({ key, value: undefined });
  await writeAll(journal, stale);

  const hours = new Map<string, { key: RecordKey; sums: RollupSums }>();
  const writes: RecordWrite[] = [];
  let conversations = 0;
  const add = (contributions: readonly Contribution[]): void => {
    for (const c of contributions) {
      const key = Keys.reportHour(hourOf(c.at), c.department, c.agent);
      const k = recordKeyId(key);
      let h = hours.get(k);
      if (!h) hours.set(k, (h = { key, sums: emptySums() }));
      addSums(h.sums, c.sums);
    }
  };
  const apply = (step: Step): ConversationTrack | undefined => {
    add(step.contributions);
    return step.track;
  };
  for (const { key } of journal.records([Prefix.routing])) {
    const id = String(key[1]);
    const transfers = new Map<number, TransferRecord>();
    for (const r of journal.records<TransferRecord>(Keys.transfers(id))) transfers.set(r.value.n, r.value);
    let track: ConversationTrack | undefined;
    for (const { event } of journal.read<ConversationEvent>(conversationStream(id), 1)) {
      const transfer = event.type === 'transferred' ? transfers.get(event.n) : undefined;
      const records = transfer ? [{ key: Keys.transfer(id, transfer.n), value: transfer }] : [];
      track = apply(stepEvent(track, event, records));
    }
    const rating = journal.getRecord<RatingRecord>(Keys.rating(id));
    if (rating) track = apply(stepRating(track, rating));
    if (!track) continue;
    conversations++;
    writes.push(
      { key: Keys.reportConversation(id), value: track },
      { key: Keys.reportCreated(hourOf(track.createdAt), track.createdAt, id), value: id },
    );
    if (writes.length >= WRITE_BATCH) await writeAll(journal, writes.splice(0));
  }
  for (const agentId of agents) {
    let presence: PresenceTrack | undefined;
    for (const { event } of journal.read<PresenceEvent>(presenceStream(agentId), 1)) {
      const step = stepPresence(presence, event);
      add(step.contributions);
      presence = step.track;
    }
    if (presence) writes.push({ key: Keys.reportPresence(agentId), value: presence });
  }
  for (const h of hours.values()) writes.push({ key: h.key, value: h.sums });
  await writeAll(journal, writes);
  const meta: RollupMeta = { format: ROLLUP_FORMAT, rebuiltAt: now, conversations };
  await journal.writeRecords([{ key: Keys.reportMeta, value: meta }]);
  return meta;
}

async function writeAll(journal: Journal, writes: RecordWrite[]): Promise<void> {
  for (let i = 0; i < writes.length; i += WRITE_BATCH) await journal.writeRecords(writes.slice(i, i + WRITE_BATCH));
}
