/**
 * The conversation a supervisor watches from the wall (SUP-1…3), as a pure
 * model: its journal events by seq (each seq once, however replayed pages
 * and live events cross), its internal notes by id, and what follows from
 * the events: its status, its agent and who joined. Tested on plain data.
 */
import { ConversationEventTypes } from '../../../../protocol/conversation-event-types.js';
import type { ConversationEvent, NoteEvent } from '../../../../protocol/frames.js';

export type WatchedNote = NoteEvent['note'];

export interface WatchState {
  conversationId: string;
  /** Sorted by seq, each seq once. */
  events: readonly ConversationEvent[];
  notes: readonly WatchedNote[];
  status: 'new' | 'queued' | 'assigned' | 'resolved';
  department: string | undefined;
  agent: { id: string; name: string } | undefined;
  /** Staff who joined and have not parted, by id. */
  joined: readonly string[];
  /** Whether the replay has reached the last committed event (the watch is live). */
  live: boolean;
}

export const watching = (conversationId: string): WatchState => ({
  conversationId,
  events: [],
  notes: [],
  status: 'new',
  department: undefined,
  agent: undefined,
  joined: [],
  live: false,
});

const journalTypes: ReadonlySet<string> = new Set(ConversationEventTypes);

export function isConversationEvent(frame: { type: string; seq?: unknown }): frame is ConversationEvent {
  return journalTypes.has(frame.type) && typeof frame.seq === 'number';
}

/** Adds journal events (replayed or live); a seq already held is ignored. */
export function applyEvents(state: WatchState, events: readonly ConversationEvent[]): WatchState {
  const mine = events.filter((e) => e.conversationId === state.conversationId);
  if (mine.length === 0) return state;
  const bySeq = new Map(state.events.map((e) => [e.seq, e]));
  let changed = false;
  for (const e of mine)
    if (!bySeq.has(e.seq)) {
      bySeq.set(e.seq, e);
      changed = true;
    }
  if (!changed) return state;
  const sorted = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return derive({ ...state, events: sorted });
}

/** Adds notes (from `notes` or a live `note` event); a note id already held is ignored. */
export function applyNotes(state: WatchState, notes: readonly WatchedNote[]): WatchState {
  const held = new Set(state.notes.map((n) => n.id));
  const fresh = notes.filter((n) => n.conversationId === state.conversationId && !held.has(n.id));
  if (fresh.length === 0) return state;
  return { ...state, notes: [...state.notes, ...fresh].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)) };
}

export const markLive = (state: WatchState): WatchState => (state.live ? state : { ...state, live: true });

/** The highest seq held (to resume from after a reconnect). */
export const lastSeqOf = (state: WatchState): number => state.events.at(-1)?.seq ?? 0;

function derive(state: WatchState): WatchState {
  let status: WatchState['status'] = 'new';
  let department: string | undefined;
  let agent: WatchState['agent'];
  const joined = new Set<string>();
  for (const e of state.events) {
    switch (e.type) {
      case 'created':
        department = e.department;
        break;
      case 'queued':
        status = 'queued';
        department = e.department;
        break;
      case 'assigned':
        status = 'assigned';
        department = e.department;
        agent = e.agent;
        joined.delete(e.agent.id);
        break;
      case 'unassigned':
        agent = undefined;
        break;
      case 'transferred':
        agent = undefined;
        department = e.department;
        break;
      case 'resolved':
        status = 'resolved';
        break;
      case 'reopened':
        status = 'new';
        break;
      case 'joined':
        joined.add(e.staff.id);
        break;
      case 'parted':
        joined.delete(e.staff.id);
        break;
      default:
        break;
    }
  }
  return { ...state, status, department, agent, joined: [...joined] };
}
