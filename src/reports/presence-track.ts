/**
 * MON-2 occupancy: what the reports keep of one agent's presence, and what
 * each presence change adds to the hourly rollups. The interval from one
 * change to the next is cut at hour edges; each piece adds to the rollup of
 * its hour, for every department the agent served meanwhile: the ms online,
 * the slot-ms offered (capacity × ms) and held (conversations × ms).
 * Occupancy is held ÷ offered (figures.ts; docs/reports.md). Pure.
 */
import type { PresenceEvent } from '../../actors/agent/presence.js';
import type { Contribution } from './conversation-track.js';
import { emptySums } from './rollup-sums.js';
import { HOUR_MS, hourOf } from './hours.js';

export interface PresenceTrack {
  agentId: string;
  /** When the presence below began. */
  since: number;
  online: boolean;
  active: number;
  max: number;
  departments: string[];
}

export interface PresenceStep {
  track: PresenceTrack;
  contributions: Contribution[];
}

/** The pieces of `track`'s interval from its start to `until` (nothing when it is not online). */
export function presenceParts(track: PresenceTrack, until: number, from = track.since): Contribution[] {
  const out: Contribution[] = [];
  if (!track.online) return out;
  for (let at = Math.max(track.since, from); at < until; at = hourOf(at) + HOUR_MS) {
    const ms = Math.min(until, hourOf(at) + HOUR_MS) - at;
    for (const department of track.departments) {
      const sums = emptySums();
      sums.onlineMs = ms;
      sums.slotMs = ms * track.max;
      sums.usedSlotMs = ms * track.active;
      out.push({ at, department, agent: track.agentId, sums });
    }
  }
  return out;
}

/** The track after one journaled presence change, and what the interval it ends adds. */
export function stepPresence(before: PresenceTrack | undefined, e: PresenceEvent): PresenceStep {
  const track: PresenceTrack = {
    agentId: e.agentId,
    since: e.at,
    online: e.online,
    active: e.active,
    max: e.max,
    departments: [...e.departments],
  };
  return { track, contributions: before ? presenceParts(before, e.at) : [] };
}
