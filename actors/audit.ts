/**
 * ROLE-5: the audit log. One actor writes it, so entry ids (which sort in
 * the order entries were written) are issued in one place; entries are
 * records (Keys.audit), read back from the store with `readAudit`, since an
 * entry is answered only once it is committed.
 *
 * Who writes entries: the HTTP API for every configuration change, the
 * staff WebSocket for sign-ins and supervisor actions (src/server/commands.ts),
 * and the lead's HTTP sign-in through the same `record` message.
 */
import { randomBytes } from 'node:crypto';
import { ProtocolError } from '../protocol/errors.js';
import type { Behavior, Ref, Reply } from './runtime.js';
import type { Deps } from './deps.js';
import type { Journal } from './journal.js';
import { Keys } from './keyspace.js';
import type { AuditOutcome, StaffRole } from '../protocol/vocabulary.js';

export type { AuditOutcome };

export interface AuditEntry {
  /** Issued by the audit actor: time first, so ids sort in writing order. */
  id: string;
  /** ms since the epoch. */
  at: number;
  /** Who did it; absent when nobody was identified (a refused sign-in). */
  actor?: { id: string; role: StaffRole };
  /** What was done, e.g. `department.configure`, `signin`, `supervise.takeover`. */
  action: string;
  /** What it was done to. */
  target?: { kind: string; id: string };
  /** Configuration changes: the settings before and after (secrets never appear). */
  before?: unknown;
  after?: unknown;
  outcome: AuditOutcome;
  /** The caller's remote address, where known. */
  remote?: string;
  /** Anything else worth keeping: a refused sign-in's email, a transfer's target. */
  detail?: Record<string, unknown>;
}

export type AuditDraft = Omit<AuditEntry, 'id' | 'at'>;

export type AuditMsg = { type: 'record'; entry: AuditDraft; reply: Reply<AuditEntry> };

export interface AuditFilter {
  /** ms, inclusive. */
  from?: number;
  /** ms, exclusive. */
  to?: number;
  /** Staff id of who did it. */
  actor?: string;
  action?: string;
  /** An entry id: the page starts after it. */
  after?: string;
  limit: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Present when more entries match: pass it as `after` for the next page. */
  next?: string;
}

const TIME_CHARS = 9;
const COUNT_CHARS = 6;

/** Matching entries, oldest first, one page at a time. */
export function readAudit(journal: Journal, f: AuditFilter): AuditPage {
  const entries: AuditEntry[] = [];
  for (const { value: e } of journal.records<AuditEntry>(Keys.allAudit)) {
    if (f.after !== undefined && e.id <= f.after) continue;
    if (f.from !== undefined && e.at < f.from) continue;
    if (f.to !== undefined && e.at >= f.to) continue;
    if (f.actor !== undefined && e.actor?.id !== f.actor) continue;
    if (f.action !== undefined && e.action !== f.action) continue;
    if (entries.length === f.limit) return { entries, next: entries[entries.length - 1]!.id };
    entries.push(e);
  }
  return { entries };
}

interface State {
  /** Entries issued by this process: orders those of one millisecond. */
  count: number;
}

/** What the actor needs: it writes only its own records, so the store, the clock and the log. */
export type AuditPorts = Pick<Deps, 'journal' | 'clock' | 'log'>;

export function auditBehavior(deps: AuditPorts): Behavior<State, AuditMsg> {
  const { journal, clock, log } = deps;
  return {
    init: () => ({ count: 0 }),
    receive(s, msg) {
      const at = clock.now();
      s.count = (s.count + 1) % 36 ** COUNT_CHARS;
      // The random tail keeps ids of two processes (before and after a restart, same ms and count) apart.
      const id = `a-${at.toString(36).padStart(TIME_CHARS, '0')}-${s.count.toString(36).padStart(COUNT_CHARS, '0')}${randomBytes(3).toString('hex')}`;
      const entry: AuditEntry = { id, at, ...msg.entry };
      journal.writeRecords([{ key: Keys.audit(id), value: entry }]).then(
        () => msg.reply(entry),
        (err: unknown) => {
          log.error({ err, action: entry.action }, 'audit entry not stored');
          msg.reply(new ProtocolError('storage_failed', 'audit entry not stored'));
        },
      );
    },
  };
}

export type AuditRef = Ref<AuditMsg>;
