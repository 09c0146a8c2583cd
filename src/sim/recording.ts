/**
 * SIM-2: the traffic recording format, written by the server's `--record`
 * option (src/sim/recorder.ts) and read back by `switchboard simulate
 * --replay`. One compact JSON object per line, in commit order, one line per
 * conversation event that matters to routing. No message text is kept: a
 * recording says when people wrote, not what.
 *
 *   {"e":"recording","v":1,"t":1767571200000}            header: format version, start
 *   {"t":…,"c":"c-…","e":"created","v":"v-…","d":"sales","n":{"skills":[],"tier":1,"vip":false,"priority":0}}
 *   {"t":…,"c":"c-…","e":"message","r":"visitor"}        r: visitor | agent (automatic messages are left out)
 *   {"t":…,"c":"c-…","e":"queued","d":"sales","why":"queue_full"}
 *   {"t":…,"c":"c-…","e":"assigned","a":"agent-1","d":"sales"}
 *   {"t":…,"c":"c-…","e":"unassigned","why":"response_timeout"}
 *   {"t":…,"c":"c-…","e":"transferred","d":"support"}
 *   {"t":…,"c":"c-…","e":"resolved","why":"abandoned"}
 *   {"t":…,"c":"c-…","e":"reopened"}
 */
import { readFileSync } from 'node:fs';
import type { ConversationNeeds } from '../../actors/routing/needs.js';

export const RECORDING_VERSION = 1;

export type RecordedLine =
  | { e: 'recording'; v: number; t: number }
  | { e: 'created'; t: number; c: string; v: string; d: string; n?: ConversationNeeds }
  | { e: 'message'; t: number; c: string; r: 'visitor' | 'agent' }
  | { e: 'queued'; t: number; c: string; d: string; why?: string }
  | { e: 'assigned'; t: number; c: string; a: string; d: string }
  | { e: 'unassigned'; t: number; c: string; why?: string }
  | { e: 'transferred'; t: number; c: string; d: string }
  | { e: 'resolved'; t: number; c: string; why?: string }
  | { e: 'reopened'; t: number; c: string };

/** One recorded conversation, as the simulator replays it. */
export interface RecordedConversation {
  conversationId: string;
  /** ms since the recording started. */
  at: number;
  visitor: string;
  department: string;
  needs: ConversationNeeds | undefined;
  /** ms from arrival to the customer leaving unserved; undefined if they were served or still waited at the end. */
  abandonedAfter: number | undefined;
  /** ms from first assignment to resolve (or to the end of the recording, if still open). */
  handle: number | undefined;
  /** ms from first assignment to the agent's first message. */
  firstReply: number | undefined;
  /** Recorded wait until first assignment, ms. */
  waited: number | undefined;
}

export class RecordingError extends Error {
  readonly code = 'recording_invalid';
  override readonly name = 'RecordingError';
}

/** Reads a recording into conversations in arrival order. Conversations created before the recording began are left out. */
export function readRecording(path: string): { start: number; end: number; conversations: RecordedConversation[] } {
  const lines: RecordedLine[] = [];
  for (const [i, raw] of readFileSync(path, 'utf8').split('\n').entries()) {
    if (raw.trim() === '') continue;
    try {
      lines.push(JSON.parse(raw) as RecordedLine);
    } catch {
      // A server killed mid-write leaves a torn last line; anything else torn is damage.
      throw new RecordingError(`${path}:${i + 1}: not a JSON line`);
    }
  }
  const header = lines.find((l) => l.e === 'recording');
  if (header && header.v !== RECORDING_VERSION)
    throw new RecordingError(`${path}: recording format ${header.v}, this simulator reads ${RECORDING_VERSION}`);
  const events = lines.filter((l): l is Exclude<RecordedLine, { e: 'recording' }> => l.e !== 'recording');
  if (events.length === 0) throw new RecordingError(`${path}: no recorded traffic`);
  const start = header?.t ?? events[0]!.t;
  const end = Math.max(start, ...events.map((l) => l.t));
  interface Building {
    created: Extract<RecordedLine, { e: 'created' }>;
    assignedAt?: number;
    firstReply?: number;
    endedAt?: number;
    abandoned?: boolean;
  }
  const byId = new Map<string, Building>();
  for (const l of events) {
    if (l.e === 'created') {
      byId.set(l.c, { created: l });
      continue;
    }
    const b = byId.get(l.c);
    if (!b) continue;
    if (l.e === 'assigned') b.assignedAt ??= l.t;
    else if (l.e === 'message' && l.r === 'agent' && b.assignedAt !== undefined) b.firstReply ??= l.t - b.assignedAt;
    else if (l.e === 'resolved' && b.endedAt === undefined) {
      b.endedAt = l.t;
      b.abandoned = l.why === 'abandoned';
    }
  }
  const conversations = [...byId.values()]
    .map(
      (b): RecordedConversation => ({
        conversationId: b.created.c,
        at: b.created.t - start,
        visitor: b.created.v,
        department: b.created.d,
        needs: b.created.n,
        abandonedAfter: b.abandoned ? b.endedAt! - b.created.t : undefined,
        handle: b.assignedAt === undefined ? undefined : (b.endedAt ?? end) - b.assignedAt,
        firstReply: b.firstReply,
        waited: b.assignedAt === undefined ? undefined : b.assignedAt - b.created.t,
      }),
    )
    .sort((a, b) => a.at - b.at);
  return { start, end, conversations };
}
