/**
 * CONV-2: typing indicators and read receipts of one conversation. The
 * conversation actor owns an instance and calls it from its own turns; both
 * stay out of the conversation's journal: typing is never stored, and read
 * marks are records (one per side), so neither takes a seq nor comes back in
 * a replay.
 *
 * Typing is throttled and expires on the actor's clock: a writer's repeated
 * `typing: true` reaches the others at most every Limits.typingRebroadcastMs,
 * and one not refreshed within Limits.typingExpiresMs ends with a
 * `typing: false` sent by the server, so a client that vanished mid-word does
 * not leave the indicator on.
 */
import { ProtocolError } from '../../protocol/errors.js';
import { Limits } from '../../protocol/limits.js';
import type { Participant, ReadEvent, TypingEvent } from '../../protocol/frames.js';
import type { TimerHandle } from '../clock.js';
import type { ConversationPorts } from './ports.js';
import type { Caller } from '../notifier.js';
import type { Reply } from '../runtime.js';
import { Keys } from '../keyspace.js';
import type { ReadMarkRecord, ReadSide } from './records.js';

/** The conversation's own publish: sends to every follower the filter lets through (and forgets closed connections). */
export type Publish = (
  event: TypingEvent | ReadEvent,
  to: (who: { role: Caller['role']; id: string }) => boolean,
) => void;

export interface ReadResult {
  conversationId: string;
  /** The side's read mark after this command. */
  seq: number;
  /** False when the mark was already at or past the seq given. */
  moved: boolean;
}

/** How far each side has read; 0 = nothing yet. Given to a client that resumes. */
export type ReadMarks = Record<ReadSide, number>;

interface Typist {
  /** Tells the latest refresh from the ones its timer outlived. */
  token: number;
  expiry: TimerHandle;
  broadcastAt: number;
}

interface Mark {
  /** Committed. */
  stored: number;
  /** Highest written, committed or not. */
  wanted: number;
  /** The side's last write; writes commit in order, so when it settles every earlier one has. */
  last: Promise<void>;
}

const sideOf = (p: { role: string }): ReadSide => (p.role === 'visitor' ? 'visitor' : 'agent');

export class ConversationPresence {
  private readonly typists = new Map<string, Typist>();
  private readonly marks = new Map<ReadSide, Mark>();
  private tokens = 0;
  private pending = 0;

  constructor(
    private readonly conversationId: string,
    private readonly deps: Pick<ConversationPorts, 'journal' | 'notifier' | 'clock' | 'log'>,
    /** Asks the actor, in a later turn, to call expired(from, token). */
    private readonly onExpiry: (from: Participant, token: number) => void,
  ) {}

  /** A writer started (or refreshed) or stopped typing. */
  typing(publish: Publish, from: Participant, typing: boolean): void {
    const key = `${from.role}:${from.id}`;
    const current = this.typists.get(key);
    current?.expiry.cancel();
    if (!typing) {
      if (!current) return;
      this.typists.delete(key);
      this.toOthers(publish, from, { type: 'typing', conversationId: this.conversationId, from, typing: false });
      return;
    }
    const now = this.deps.clock.now();
    const token = ++this.tokens;
    const expiry = this.deps.clock.setTimer(Limits.typingExpiresMs, () => this.onExpiry(from, token));
    const broadcast = current === undefined || now - current.broadcastAt >= Limits.typingRebroadcastMs;
    this.typists.set(key, { token, expiry, broadcastAt: broadcast ? now : current.broadcastAt });
    if (broadcast)
      this.toOthers(publish, from, { type: 'typing', conversationId: this.conversationId, from, typing: true });
  }

  /** The timer of refresh `token` ran out; a later refresh or stop makes it stale. */
  expired(publish: Publish, from: Participant, token: number): void {
    const key = `${from.role}:${from.id}`;
    if (this.typists.get(key)?.token !== token) return;
    this.typists.delete(key);
    this.toOthers(publish, from, { type: 'typing', conversationId: this.conversationId, from, typing: false });
  }

  /** A message from this writer ends their typing; receivers clear it on the message itself, so nothing is sent. */
  messageSent(from: Participant): void {
    const key = `${from.role}:${from.id}`;
    this.typists.get(key)?.expiry.cancel();
    this.typists.delete(key);
  }

  /**
   * Moves the reader's side's mark forward to `seq` (at most `committedSeq`),
   * stores it, then tells the other side's followers and answers. A seq at or
   * below the mark changes nothing and is answered once the side's last write
   * has committed, so no answer reports a mark that is not on disk.
   */
  read(publish: Publish, by: Participant, seq: number, committedSeq: number, reply: Reply<ReadResult>): void {
    if (seq > committedSeq)
      return reply(
        new ProtocolError('invalid_field', `seq ${seq} is past the conversation's last event (${committedSeq})`, 'seq'),
      );
    const side = sideOf(by);
    const mark = this.mark(side);
    if (seq <= Math.max(mark.stored, mark.wanted)) {
      mark.last.then(
        () => reply({ conversationId: this.conversationId, seq: mark.stored, moved: false }),
        () => reply(new ProtocolError('storage_failed', 'read mark not stored; retry')),
      );
      return;
    }
    mark.wanted = seq;
    const record: ReadMarkRecord = { seq, by, at: this.deps.clock.now() };
    const write = this.deps.journal.writeRecords([{ key: Keys.readMark(this.conversationId, side), value: record }]);
    mark.last = write;
    this.pending++;
    write.then(
      () => {
        this.pending--;
        mark.stored = Math.max(mark.stored, seq);
        const event: ReadEvent = { type: 'read', conversationId: this.conversationId, by, seq };
        publish(event, (who) => sideOf(who) !== side);
        reply({ conversationId: this.conversationId, seq, moved: true });
      },
      (err: unknown) => {
        this.pending--;
        this.deps.log.error({ err, conversationId: this.conversationId, side }, 'read mark not stored');
        mark.wanted = mark.stored;
        // Later reads must not inherit this failure.
        if (mark.last === write) mark.last = Promise.resolve();
        reply(new ProtocolError('storage_failed', 'read mark not stored; retry'));
      },
    );
  }

  /** Committed read marks of both sides. */
  readMarks(): ReadMarks {
    return { visitor: this.mark('visitor').stored, agent: this.mark('agent').stored };
  }

  /** True while a read mark write is in flight: the actor must not stop before it commits. */
  get writing(): boolean {
    return this.pending > 0;
  }

  private mark(side: ReadSide): Mark {
    let mark = this.marks.get(side);
    if (!mark) {
      const stored = this.deps.journal.getRecord<ReadMarkRecord>(Keys.readMark(this.conversationId, side))?.seq ?? 0;
      mark = { stored, wanted: stored, last: Promise.resolve() };
      this.marks.set(side, mark);
    }
    return mark;
  }

  /** Every follower except the sender's own connections (a visitor's other tab need not see themself typing). */
  private toOthers(publish: Publish, from: Participant, event: TypingEvent): void {
    publish(event, (who) => !(sideOf(who) === sideOf(from) && who.id === from.id));
  }
}
