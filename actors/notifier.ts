/**
 * The port through which actors reach clients without knowing sockets. The
 * gateway implements it: a principal (a visitor id, a staff id) maps to all
 * of that principal's live connections; a connection id to exactly one.
 */
import type { ServerFrame } from '../protocol/frames.js';
import type { StaffRole } from '../protocol/vocabulary.js';

export type Recipient =
  | { readonly kind: 'visitor'; readonly id: string }
  | { readonly kind: 'staff'; readonly id: string }
  | { readonly kind: 'connection'; readonly id: number };

export interface Notifier {
  /** Delivers a frame; false when no live connection matched (a subscriber that is gone). */
  send(to: Recipient, frame: ServerFrame): boolean;
  /** The live connections of a principal. */
  connectionsOf(principal: { kind: 'visitor' | 'staff'; id: string }): number[];
}

/** Who issues a command to an actor: the principal and the connection it came from. */
export interface Caller {
  readonly role: 'visitor' | StaffRole;
  readonly id: string;
  /** Staff only: the display name, for events and records others read. */
  readonly name?: string;
  readonly connectionId: number;
  /** Staff only: the departments the caller belongs to. */
  readonly departments?: readonly string[];
}
