/**
 * CONV-3 canned replies: workspace-wide snippets (shared by all staff,
 * written by supervisors and admins) and personal ones (seen and written by
 * their owner only). This actor is their one writer, so that count limits and
 * shortcut uniqueness hold under concurrent saves; listing reads committed
 * records straight from the store (listCannedReplies), since an ack comes
 * only after the commit.
 *
 * Text is stored as written. Placeholders such as {customer.name} and
 * {agent.name} are a console convention, filled in before the agent sends:
 * the agent sees and may edit the final text, and the conversation stores
 * exactly what the customer was shown.
 */
import { randomBytes } from 'node:crypto';
import { ProtocolError } from '../protocol/errors.js';
import { Limits } from '../protocol/limits.js';
import type { CannedChangedEvent, CannedSaveFrame } from '../protocol/frames.js';
import type { CannedScope } from '../protocol/vocabulary.js';
import type { Behavior, Ref, Reply } from './runtime.js';
import type { Deps } from './deps.js';
import type { Journal } from './journal.js';
import type { Caller } from './notifier.js';
import { Keys } from './keyspace.js';
import type { StaffRecord } from './agent/records.js';

/** CONV-3: a canned reply. Text is stored as written: placeholders such as {customer.name} are filled in by the console. */
export interface CannedReplyRecord {
  /** Issued by the server; sorts in creation order. */
  id: string;
  scope: CannedScope;
  /** Personal snippets: the staff member who owns them (the only one who sees them). */
  owner?: string;
  title: string;
  text: string;
  shortcut?: string;
  tags?: string[];
  updatedAt: number;
  /** The staff member who saved it last. */
  updatedBy: string;
}

export type CannedDraft = Omit<CannedSaveFrame, 'type' | 'id'>;

export type CannedRepliesMsg =
  | { type: 'save'; caller: Caller; draft: CannedDraft; reply: Reply<CannedReplyRecord> }
  | { type: 'delete'; caller: Caller; cannedId: string; reply: Reply<{ cannedId: string; deleted: true }> };

export interface CannedPage {
  replies: CannedReplyRecord[];
  /** Present when more remain: pass it as `after` for the next page. */
  next?: string;
}

interface State {
  /** Every snippet by id, as stored or being stored: counts and shortcuts are checked against this. */
  byId: Map<string, CannedReplyRecord>;
  /** The time part of the last id issued. */
  lastIdTime: number;
}

const ID_TIME_CHARS = 9;

/**
 * Who may write a snippet of this scope. The one place this is decided
 * until ROLE-4's permission table takes it over.
 */
export function mayWriteCanned(caller: Caller, scope: CannedReplyRecord['scope']): boolean {
  return scope === 'personal' || caller.role === 'supervisor' || caller.role === 'admin';
}

/** Whom a snippet is visible to: everyone on staff for workspace ones, the owner for personal ones. */
const visibleTo = (r: CannedReplyRecord, caller: Caller): boolean => r.scope === 'workspace' || r.owner === caller.id;

/** Case- and width-insensitive matching: full-width "ＲＥＦ" finds "ref". */
const fold = (text: string): string => text.normalize('NFKC').toLowerCase();

/** The workspace's snippets and the caller's personal ones, in creation order, a page at a time. */
export function listCannedReplies(
  journal: Journal,
  caller: Caller,
  opts: { query?: string; after?: string; limit?: number },
): CannedPage {
  const query = opts.query === undefined ? undefined : fold(opts.query.trim());
  const all = [
    ...journal.records<CannedReplyRecord>(Keys.cannedWorkspace),
    ...journal.records<CannedReplyRecord>(Keys.cannedPersonal(caller.id)),
  ]
    .map((r) => r.value)
    .filter(
      (r) =>
        !query || fold(r.title).startsWith(query) || (r.shortcut !== undefined && fold(r.shortcut).startsWith(query)),
    )
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const from = opts.after === undefined ? all : all.filter((r) => r.id > opts.after!);
  const limit = opts.limit ?? Limits.cannedPageSize;
  const replies = from.slice(0, limit);
  return from.length > limit ? { replies, next: replies[replies.length - 1]!.id } : { replies };
}

/** What the actor needs: it writes only its own records, so the store, the clock and the log and the sockets of the staff it tells. */
export type CannedRepliesPorts = Pick<Deps, 'journal' | 'clock' | 'log' | 'notifier'>;

export function cannedRepliesBehavior(deps: CannedRepliesPorts): Behavior<State, CannedRepliesMsg> {
  const { journal, clock, log, notifier } = deps;

  /** Tells everyone who sees the snippet that it changed, once the change is stored. */
  const announce = (record: CannedReplyRecord, deleted: boolean): void => {
    const frame: CannedChangedEvent = {
      type: 'canned_changed',
      cannedId: record.id,
      scope: record.scope,
      deleted,
      ...(deleted ? {} : { reply: record }),
    };
    if (record.scope === 'personal') {
      notifier.send({ kind: 'staff', id: record.owner ?? '' }, frame);
      return;
    }
    for (const { value: staff } of journal.records<StaffRecord>(Keys.allStaff))
      notifier.send({ kind: 'staff', id: staff.id }, frame);
  };

  /**
   * Time first (fixed width, base 36, strictly increasing even within one
   * millisecond), so ids sort in creation order and pages stay stable as
   * snippets come and go.
   */
  const newId = (s: State): string => {
    s.lastIdTime = Math.max(clock.now(), s.lastIdTime + 1);
    return `cr-${s.lastIdTime.toString(36).padStart(ID_TIME_CHARS, '0')}${randomBytes(4).toString('hex')}`;
  };

  const invalid = (
    s: State,
    caller: Caller,
    draft: CannedDraft,
    previous: CannedReplyRecord | undefined,
  ): ProtocolError | undefined => {
    if (draft.title.trim() === '') return new ProtocolError('invalid_field', 'title is blank', 'title');
    if (draft.text.trim() === '') return new ProtocolError('invalid_field', 'text is blank', 'text');
    if (draft.tags?.some((t) => t.trim() === '')) return new ProtocolError('invalid_field', 'a tag is blank', 'tags');
    const mine = (r: CannedReplyRecord): boolean =>
      r.scope === draft.scope && (draft.scope === 'workspace' || r.owner === caller.id);
    const shortcut = draft.shortcut === undefined ? undefined : fold(draft.shortcut);
    for (const r of s.byId.values()) {
      if (
        shortcut !== undefined &&
        r.id !== previous?.id &&
        mine(r) &&
        r.shortcut !== undefined &&
        fold(r.shortcut) === shortcut
      ) {
        return new ProtocolError('conflict', `shortcut "${draft.shortcut}" is taken by "${r.title}"`, 'shortcut');
      }
    }
    if (!previous) {
      const max = draft.scope === 'workspace' ? Limits.maxCannedWorkspace : Limits.maxCannedPersonal;
      let count = 0;
      for (const r of s.byId.values()) if (mine(r)) count++;
      if (count >= max)
        return new ProtocolError('limit_exceeded', `at most ${max} ${draft.scope} canned replies`, 'scope');
    }
    return undefined;
  };

  /** The snippet `id` as the caller may see it; another's personal snippet is as unknown as a missing one. */
  const find = (s: State, caller: Caller, id: string): CannedReplyRecord | undefined => {
    const r = s.byId.get(id);
    return r && visibleTo(r, caller) ? r : undefined;
  };

  const notFound = (): ProtocolError => new ProtocolError('not_found', 'no such canned reply', 'cannedId');
  const forbidden = (): ProtocolError =>
    new ProtocolError('forbidden', 'only supervisors and admins write workspace canned replies', 'scope');

  return {
    init: () => {
      const byId = new Map(
        [...journal.records<CannedReplyRecord>(Keys.allCanned)].map(({ value }) => [value.id, value]),
      );
      const times = [...byId.keys()].map((id) => parseInt(id.slice(3, 3 + ID_TIME_CHARS), 36));
      return { byId, lastIdTime: Math.max(0, ...times) };
    },
    receive(s, msg) {
      const { caller } = msg;
      switch (msg.type) {
        case 'save': {
          const { draft } = msg;
          const previous = draft.cannedId === undefined ? undefined : find(s, caller, draft.cannedId);
          if (draft.cannedId !== undefined && !previous) return msg.reply(notFound());
          if (previous && previous.scope !== draft.scope)
            return msg.reply(
              new ProtocolError('invalid_field', 'a canned reply keeps its scope; save a new one instead', 'scope'),
            );
          if (!mayWriteCanned(caller, draft.scope)) return msg.reply(forbidden());
          const problem = invalid(s, caller, draft, previous);
          if (problem) return msg.reply(problem);
          const record: CannedReplyRecord = {
            id: previous?.id ?? newId(s),
            scope: draft.scope,
            ...(draft.scope === 'personal' ? { owner: caller.id } : {}),
            title: draft.title,
            text: draft.text,
            ...(draft.shortcut !== undefined ? { shortcut: draft.shortcut } : {}),
            ...(draft.tags?.length ? { tags: [...new Set(draft.tags)] } : {}),
            updatedAt: clock.now(),
            updatedBy: caller.id,
          };
          undoable(s, record.id, record, previous, msg.reply, record);
          return;
        }
        case 'delete': {
          const previous = find(s, caller, msg.cannedId);
          if (!previous) return msg.reply(notFound());
          if (!mayWriteCanned(caller, previous.scope)) return msg.reply(forbidden());
          undoable(s, previous.id, undefined, previous, msg.reply, { cannedId: previous.id, deleted: true as const });
          return;
        }
      }
    },
  };

  /** Applies a change in memory ahead of its write, and puts back what was there if the store refuses it. */
  function undoable<R>(
    s: State,
    id: string,
    next: CannedReplyRecord | undefined,
    previous: CannedReplyRecord | undefined,
    reply: Reply<R>,
    answer: R,
  ): void {
    if (next) s.byId.set(id, next);
    else s.byId.delete(id);
    const key = Keys.canned(next ?? previous!);
    journal.writeRecords([{ key, value: next }]).then(
      () => {
        announce(next ?? previous!, next === undefined);
        reply(answer);
      },
      (err: unknown) => {
        log.error({ err, cannedId: id }, 'canned reply not stored');
        // Only if nothing was saved over it meanwhile.
        if (s.byId.get(id) === next) {
          if (previous) s.byId.set(id, previous);
          else s.byId.delete(id);
        }
        reply(new ProtocolError('storage_failed', 'canned reply not stored; retry'));
      },
    );
  }
}

export type CannedRepliesRef = Ref<CannedRepliesMsg>;
