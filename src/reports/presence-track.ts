/**
 * MON-2 occupancy: what the reports keep of one agent's presence, and what
 * each presence change adds to the hourly rollups. The interval from one
 * change to the next is cut at hour edges; each piece adds to the rollup of
 * its hour, for every department the agent served meanwhile: the ms online,
 * the slot-ms offered (capacity × ms) and held (conversations × ms, or the
 * event's `heldMs` when the load changed within the interval).
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

/**
 * The pieces of `track`'s interval from its start to `until` (nothing when it is not online). `heldMs`: the
 * slot-ms the agent held over the whole interval, when its load changed within it (the agent journals such
 * an interval within one hour; one spanning hours is split in proportion to time); without it the track's
 * `active` held throughout.
 */
export function presenceParts(
  track: PresenceTrack,
  until: number,
  from = track.since,
  heldMs?: number,
): Contribution[] {
  const out: Contribution[] = [];
  if (!track.online) return out;
  const total = until - track.since;
  for (let at = Math.max(track.since, from); at < until; at = hourOf(at) + HOUR_MS) {
    const ms = Math.min(until, hourOf(at) + HOUR_MS) - at;
    const used = heldMs === undefined ? ms * track.active : ms === total ? heldMs : (heldMs * ms) / total;
    for (const department of track.departments) {
      const sums = emptySums();
      sums.onlineMs = ms;
      sums.slotMs = ms * track.max;
      sums.usedSlotMs = used;
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
  return { track, contributions: before ? presenceParts(before, e.at, before.since, e.heldMs) : [] };
}
