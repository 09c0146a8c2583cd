/**
 * MON-2: what the reports keep of one conversation as its events commit,
 * and what each event adds to the hourly rollups. One function per event
 * kind, pure: given the track so far and the event (with the records that
 * commit with it), it returns the next track and the contributions, each
 * for the hour, department and agent of the event that completes it.
 * docs/reports.md states the same rules in prose.
 */
import type { ConversationEvent } from '../../protocol/frames.js';
import type { RatingRecord, TransferRecord } from '../../actors/conversation/records.js';
import type { RecordWrite } from '../../actors/journal.js';
import { Prefix } from '../../actors/keyspace.js';
import { emptySums, waitBucket, type RollupSums } from './rollup-sums.js';

export interface ConversationTrack {
  id: string;
  visitorId: string;
  createdAt: number;
  department: string;
  agentId?: string;
  agentName?: string;
  status: 'open' | 'queued' | 'assigned' | 'resolved';
  queued: boolean;
  abandoned: boolean;
  assignedAt?: number;
  firstAgentMessageAt?: number;
  resolvedAt?: number;
  waitMs?: number;
  firstResponseMs?: number;
  handleMs?: number;
  transfers: number;
  tags: string[];
  rating?: number;
  ratingAt?: number;
  ratingAgent?: string;
  ratingDepartment?: string;
  ratingComment?: string;
  summary?: string;
  /** The current cycle: from `created`, or from a `reopened`, to its `resolved`. */
  cycleStart: number;
  cycleAssignedAt?: number;
  cycleReplied: boolean;
  cycleQueued: boolean;
  /** The oldest customer message no agent message has answered yet. */
  pendingCustomerAt?: number;
}

/** Adds to the rollup of the hour of `at`, `department` and `agent` ('' for none). */
export interface Contribution {
  at: number;
  department: string;
  agent: string;
  sums: RollupSums;
}

export interface Step {
  track: ConversationTrack | undefined;
  contributions: Contribution[];
}

const GOOD_RATING = 4;

const part = (at: number, department: string, agent: string, fill: (s: RollupSums) => void): Contribution => {
  const sums = emptySums();
  fill(sums);
  return { at, department, agent, sums };
};

const timing = (ms: number) => ({ sum: ms, count: 1 });

type ConversationMessage = Extract<ConversationEvent, { type: 'message' }>;

/**
 * Whether a message changes the track: only a customer message while none
 * waits for an answer (it starts the response time), and an agent message
 * that answers one or is the cycle's first reply. Every other message (the
 * customer writing again, an agent's later replies, system notes) changes no
 * field and no figure, so stepEvent returns the same track and the reports
 * journal writes nothing for it.
 */
function changesTrack(t: ConversationTrack, e: ConversationMessage): boolean {
  if (e.from.role === 'visitor') return t.pendingCustomerAt === undefined;
  if (e.from.role === 'agent') return t.pendingCustomerAt !== undefined || !t.cycleReplied;
  return false;
}

/**
 * The track and contributions after one committed conversation event. An
 * event that changes nothing returns `before` itself (same object).
 */
export function stepEvent(
  before: ConversationTrack | undefined,
  e: ConversationEvent,
  records: readonly RecordWrite[],
): Step {
  if (e.type === 'created') {
    const track: ConversationTrack = {
      id: e.conversationId,
      visitorId: e.visitorId,
      createdAt: e.at,
      department: e.department,
      status: 'open',
      queued: false,
      abandoned: false,
      transfers: 0,
      tags: [],
      cycleStart: e.at,
      cycleReplied: false,
      cycleQueued: false,
    };
    return { track, contributions: [part(e.at, e.department, '', (s) => (s.received = 1))] };
  }
  // An event of a conversation created before the reports existed and not rebuilt: nothing to attribute it to.
  if (!before) return { track: undefined, contributions: [] };
  if (e.type === 'message' && !changesTrack(before, e)) return { track: before, contributions: [] };
  const t: ConversationTrack = { ...before, tags: [...before.tags] };
  const out: Contribution[] = [];
  switch (e.type) {
    case 'message': {
      if (e.from.role === 'visitor') {
        t.pendingCustomerAt ??= e.at;
        break;
      }
      if (e.from.role !== 'agent') break;
      const agent = e.from.id;
      if (t.pendingCustomerAt !== undefined) {
        const ms = e.at - t.pendingCustomerAt;
        out.push(part(e.at, t.department, agent, (s) => (s.responseMs = timing(ms))));
        t.pendingCustomerAt = undefined;
      }
      if (!t.cycleReplied) {
        t.cycleReplied = true;
        t.firstAgentMessageAt ??= e.at;
        const assignedAt = t.cycleAssignedAt;
        const fromCreated = e.at - t.cycleStart;
        out.push(
          part(e.at, t.department, agent, (s) => {
            s.firstResponseFromCreatedMs = timing(fromCreated);
            if (assignedAt !== undefined) s.firstResponseMs = timing(e.at - assignedAt);
          }),
        );
        if (assignedAt !== undefined) t.firstResponseMs ??= e.at - assignedAt;
      }
      break;
    }
    case 'queued':
      t.status = 'queued';
      t.department = e.department;
      if (!t.cycleQueued) {
        t.cycleQueued = true;
        t.queued = true;
        out.push(part(e.at, e.department, '', (s) => (s.queued = 1)));
      }
      break;
    case 'assigned':
      t.status = 'assigned';
      t.department = e.department;
      t.agentId = e.agent.id;
      t.agentName = e.agent.name;
      if (t.cycleAssignedAt === undefined) {
        t.cycleAssignedAt = e.at;
        const wait = e.at - t.cycleStart;
        t.assignedAt ??= e.at;
        t.waitMs ??= wait;
        out.push(
          part(e.at, e.department, e.agent.id, (s) => {
            s.assigned = 1;
            s.waitMs = timing(wait);
            s.waitSec = { [waitBucket(wait)]: 1 };
          }),
        );
      }
      break;
    case 'unassigned':
      t.status = 'queued';
      delete t.agentId;
      delete t.agentName;
      break;
    case 'transferred': {
      const record = records.find((r) => r.key[0] === Prefix.transfer)?.value as TransferRecord | undefined;
      const tags = record?.tags ?? [];
      const fromDepartment = record?.fromDepartment ?? t.department;
      out.push(
        part(e.at, fromDepartment, e.from?.id ?? '', (s) => {
          s.transfersOut = 1;
          for (const tag of tags) s.transfersByTag[tag] = (s.transfersByTag[tag] ?? 0) + 1;
        }),
        part(e.at, e.department, e.toAgent?.id ?? '', (s) => (s.transfersIn = 1)),
      );
      t.transfers++;
      for (const tag of tags) if (!t.tags.includes(tag)) t.tags.push(tag);
      t.department = e.department;
      break;
    }
    case 'resolved': {
      t.status = 'resolved';
      t.resolvedAt = e.at;
      if (e.summary !== undefined) t.summary = e.summary;
      if (e.reason === 'abandoned') {
        if (t.cycleQueued) {
          t.abandoned = true;
          out.push(part(e.at, t.department, '', (s) => (s.abandoned = 1)));
        }
        break;
      }
      const assignedAt = t.cycleAssignedAt;
      if (assignedAt !== undefined) t.handleMs = e.at - assignedAt;
      out.push(
        part(e.at, t.department, t.agentId ?? '', (s) => {
          s.resolved = 1;
          if (assignedAt !== undefined) s.handleMs = timing(e.at - assignedAt);
        }),
      );
      break;
    }
    case 'reopened':
      t.status = 'open';
      t.cycleStart = e.at;
      delete t.cycleAssignedAt;
      t.cycleReplied = false;
      t.cycleQueued = false;
      break;
    default:
      break;
  }
  return { track: t, contributions: out };
}

/** The track and contributions after a rating is stored (MON-3); a changed rating replaces the earlier one. */
export function stepRating(before: ConversationTrack | undefined, r: RatingRecord): Step {
  if (!before) return { track: undefined, contributions: [] };
  const t: ConversationTrack = { ...before };
  const out: Contribution[] = [];
  const add = (score: number, sign: number) => (s: RollupSums) => {
    s.ratings = sign;
    s.ratingsGood = score >= GOOD_RATING ? sign : 0;
    s.ratingSum = sign * score;
  };
  if (t.rating !== undefined && t.ratingAt !== undefined)
    out.push(part(t.ratingAt, t.ratingDepartment ?? t.department, t.ratingAgent ?? '', add(t.rating, -1)));
  t.rating = r.score;
  t.ratingAt = r.at;
  t.ratingAgent = r.agentId ?? '';
  t.ratingDepartment = t.department;
  if (r.comment !== undefined) t.ratingComment = r.comment;
  else delete t.ratingComment;
  out.push(part(r.at, t.department, t.ratingAgent, add(r.score, 1)));
  return { track: t, contributions: out };
}
