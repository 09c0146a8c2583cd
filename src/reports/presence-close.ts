/**
 * MON-2 occupancy after a restart: an agent still online in the reports'
 * eyes was online when the server last stopped, and nobody journaled them
 * leaving (a crash, or a stop that closed their socket too late). Every
 * agent starts offline, so each such interval is closed before any actor
 * runs, at the last moment the store shows the server at work: the latest
 * event time the reports wrote (to the minute, Keys.reportAlive), never
 * before the interval began. Time the server was down is never online time.
 */
import type { Journal } from '../../actors/journal.js';
import { Keys } from '../../actors/keyspace.js';
import { presenceStream, type PresenceEvent } from '../../actors/agent/presence.js';
import type { PresenceTrack } from './presence-track.js';

/**
 * Closes the intervals left open; `journal` is the reports' journal, so the rollups take them in. Returns how many.
 * At a start no actor runs yet; at a graceful stop (`stoppedAt`) the actors are stopped and their writes settled
 * first, so no agent appends to its presence stream meanwhile.
 */
export async function closeOpenPresence(journal: Journal, stoppedAt?: number): Promise<number> {
  const alive = stoppedAt ?? journal.getRecord<number>(Keys.reportAlive) ?? 0;
  const open = [...journal.records<PresenceTrack>(Keys.allReportPresence)].filter((r) => r.value.online);
  await Promise.all(
    open.map(({ value: track }) => {
      const stream = presenceStream(track.agentId);
      const event: PresenceEvent = {
        type: 'presence',
        agentId: track.agentId,
        at: Math.max(track.since, alive),
        online: false,
        active: 0,
        max: track.max,
        departments: track.departments,
        closedBy: stoppedAt === undefined ? 'restart' : 'stop',
      };
      return journal.append(stream, journal.lastSeq(stream) + 1, event);
    }),
  );
  return open.length;
}
