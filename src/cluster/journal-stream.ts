/**
 * CLUSTER-3: the journal of a workspace, replicated through JetStream.
 *
 * One stream (replicas 3) holds every workspace, one subject per workspace;
 * the owner appends each committed journal batch there and acknowledges its
 * clients only once JetStream has acknowledged the write, which it does after
 * a quorum of the replicas has it (durability `cluster`).
 *
 * Fencing: every append names the subject's last sequence it expects
 * (Nats-Expected-Last-Subject-Sequence), so of two nodes that both believe
 * they own a workspace only the one that wrote last can write again. A new
 * owner starts by appending a claim (its lease revision) at the sequence it
 * read; from then on a deposed owner's append fails with `fenced`, and its
 * in-flight batches either landed before the claim (and the new owner reads
 * them back) or are refused.
 */
import {
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Packr } from 'msgpackr';
import type { RecordWrite } from '../../actors/journal.js';
import { ClusterError, checkWorkspaceId, isWrongLastSequence } from './cluster-error.js';
import type { Lease } from './lease.js';

const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false });

/** One committed turn of a workspace's Journal port: the events it appended and the records it wrote. */
export interface JournalBatch {
  events: { stream: string; seq: number; event: unknown }[];
  records: RecordWrite[];
  /** Snapshots saved in the turn (absent when none). */
  snapshots?: { stream: string; seq: number; state: unknown }[];
}

/** What one message of a workspace's subject holds. */
export type JournalEntry =
  | { kind: 'claim'; holder: string; leaseRevision: number }
  | { kind: 'batch'; batch: JournalBatch };

export interface JournalStreamOptions {
  stream?: string;
  subjectPrefix?: string;
  replicas?: number;
  /** How long one publish waits for JetStream's acknowledgement. */
  publishTimeoutMs?: number;
  /** How long an append retries a publish that got no answer (a leader election) before it gives up. */
  retryForMs?: number;
}

/** The stream of journal batches, shared by every node. */
export class JournalStream {
  readonly stream: string;
  readonly publishTimeoutMs: number;
  readonly retryForMs: number;
  /** The largest message the servers take (their max_payload): a bigger batch is refused before it is sent. */
  readonly maxPayload: number;
  private readonly prefix: string;

  private constructor(
    readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    options: JournalStreamOptions,
    maxPayload: number,
  ) {
    this.maxPayload = maxPayload;
    this.stream = options.stream ?? 'SWITCHBOARD_JOURNAL';
    this.prefix = options.subjectPrefix ?? 'switchboard.journal';
    this.publishTimeoutMs = options.publishTimeoutMs ?? 2000;
    this.retryForMs = options.retryForMs ?? 15_000;
  }

  /** Opens the stream, creating it (file storage, replicas 3, nothing expires) if it does not exist. */
  static async open(nc: NatsConnection, options: JournalStreamOptions = {}): Promise<JournalStream> {
    const jsm = await jetstreamManager(nc);
    const journal = new JournalStream(jetstream(nc), jsm, options, nc.info?.max_payload ?? 1024 * 1024);
    try {
      await jsm.streams.info(journal.stream);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 10059) throw err;
      await jsm.streams.add({
        name: journal.stream,
        subjects: [`${journal.prefix}.*`],
        num_replicas: options.replicas ?? 3,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        max_msgs_per_subject: -1,
      });
    }
    return journal;
  }

  subject(workspace: string): string {
    checkWorkspaceId(workspace);
    return `${this.prefix}.${workspace}`;
  }

  /** The stream sequence of `workspace`'s last message, 0 when it has none. */
  async lastSeq(workspace: string): Promise<number> {
    return (await this.lastMessage(workspace))?.seq ?? 0;
  }

  /** The msg id of `workspace`'s last message and its sequence, to tell whether an unanswered publish landed. */
  lastMessage(workspace: string): Promise<{ seq: number; msgID: string | undefined } | undefined> {
    const subject = this.subject(workspace);
    return this.retryRead(async () => {
      const last = await this.jsm.streams.getMessage(this.stream, { last_by_subj: subject });
      return last ? { seq: last.seq, msgID: last.header?.get('Nats-Msg-Id') || undefined } : undefined;
    });
  }

  /**
   * Runs a read again while it fails, up to the retry bound: during a leader
   * election JetStream answers nothing or "temporarily unavailable", and a
   * read has no effect to repeat.
   */
  private async retryRead<T>(read: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryForMs;
    for (;;) {
      try {
        return await read();
      } catch (err) {
        if (Date.now() >= deadline)
          throw new ClusterError('unavailable', `${this.stream}: no answer within the retry bound`, { cause: err });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /**
   * Becomes `workspace`'s writer under `lease`: appends a claim at the
   * subject's current last sequence. Batches written before the claim belong
   * to the journal the new owner rebuilds from (read up to claimSeq).
   */
  async claim(lease: Lease, holder: string): Promise<JournalWriter> {
    const workspace = lease.workspace;
    const entry: JournalEntry = { kind: 'claim', holder, leaseRevision: lease.revision };
    const deadline = Date.now() + this.retryForMs;
    for (;;) {
      lease.assertValid();
      const last = await this.lastSeq(workspace);
      try {
        const seq = await this.publish(workspace, entry, last, `claim:${workspace}:${lease.revision}`, deadline);
        return new JournalWriter(this, lease, seq);
      } catch (err) {
        // A deposed owner's batch slipped in between the read and the claim: read again and claim after it.
        if (!(err instanceof ClusterError && err.code === 'fenced')) throw err;
      }
    }
  }

  /** `workspace`'s entries with stream sequence > afterSeq, in order, up to its last message now. */
  async read(workspace: string, afterSeq = 0): Promise<{ seq: number; entry: JournalEntry }[]> {
    const last = await this.lastSeq(workspace);
    const out: { seq: number; entry: JournalEntry }[] = [];
    // Each try goes on from the last entry read, so a leader election in the middle of a long read costs one fetch.
    await this.retryRead(async () => {
      while ((out.at(-1)?.seq ?? afterSeq) < last)
        await this.fetchInto(out, workspace, out.at(-1)?.seq ?? afterSeq, last);
    });
    return out;
  }

  /**
   * One bounded fetch of `workspace`'s entries after `from`, appended to
   * `out`. A fetch that brings nothing within its expiry is a failure to
   * retry: an ordered consumer made while the stream has no leader waits
   * for messages that never come, and a read must not hang on it.
   */
  private async fetchInto(
    out: { seq: number; entry: JournalEntry }[],
    workspace: string,
    from: number,
    last: number,
  ): Promise<void> {
    const consumer = await this.js.consumers.get(this.stream, {
      filter_subjects: this.subject(workspace),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from + 1,
    });
    const messages = await consumer.fetch({
      max_messages: Math.min(last - from, 1000),
      expires: Math.max(1000, this.publishTimeoutMs),
    });
    let got = 0;
    try {
      for await (const m of messages) {
        out.push({ seq: m.seq, entry: packr.unpack(m.data) as JournalEntry });
        got++;
        if (m.seq >= last) break;
      }
    } finally {
      await messages.close();
    }
    if (got === 0) throw new ClusterError('unavailable', `${this.subject(workspace)}: nothing read after ${from}`);
  }

  /** The batches of `workspace` after `afterSeq` (a snapshot's sequence), claims left out. */
  async batches(workspace: string, afterSeq = 0): Promise<{ seq: number; batch: JournalBatch }[]> {
    return (await this.read(workspace, afterSeq)).flatMap(({ seq, entry }) =>
      entry.kind === 'batch' ? [{ seq, batch: entry.batch }] : [],
    );
  }

  /**
   * One publish expecting `expected` as the subject's last sequence, retried
   * with the same msg id while JetStream does not answer (the stream's
   * duplicate window makes a retry of a write that did land a no-op).
   */
  async publish(
    workspace: string,
    entry: JournalEntry,
    expected: number,
    msgID: string,
    deadline: number,
  ): Promise<number> {
    const data = packr.pack(entry);
    // Headers and the subject ride along with the payload: keep a margin below the servers' limit.
    if (data.byteLength > this.maxPayload - 4096)
      throw new ClusterError(
        'too_large',
        `a journal batch of ${data.byteLength} bytes is over the NATS servers' max_payload (${this.maxPayload})`,
      );
    for (;;) {
      try {
        const ack = await this.js.publish(this.subject(workspace), data, {
          msgID,
          expect: { lastSubjectSequence: expected },
          timeout: this.publishTimeoutMs,
        });
        return ack.seq;
      } catch (err) {
        if (isWrongLastSequence(err)) {
          // The write may be ours from an attempt whose answer was lost.
          const last = await this.lastMessage(workspace);
          if (last?.msgID === msgID) return last.seq;
          throw new ClusterError('fenced', `${this.subject(workspace)} moved past ${expected}: another owner wrote`, {
            cause: err,
          });
        }
        if (Date.now() >= deadline)
          throw new ClusterError('unavailable', `no acknowledgement for ${msgID} within the retry bound`, {
            cause: err,
          });
      }
    }
  }
}

/** The owner's writer of one workspace's journal: appends in order, fenced by the subject's last sequence. */
export class JournalWriter {
  private last: number;
  private count = 0;
  private broken: ClusterError | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly journal: JournalStream,
    readonly lease: Lease,
    /** The stream sequence of this writer's claim: a rebuild reads up to here. */
    readonly claimSeq: number,
  ) {
    this.last = claimSeq;
  }

  /** The largest batch message the servers take. */
  get maxPayload(): number {
    return this.journal.maxPayload;
  }

  /** The stream sequence of this writer's last acknowledged write. */
  get lastSeq(): number {
    return this.last;
  }

  /**
   * Appends `batch` after every earlier append; resolves with its stream
   * sequence once JetStream acknowledged it (replicated to a quorum). After a
   * `fenced` or `unavailable` failure the writer refuses every later append:
   * its view of the subject is no longer known to be true.
   */
  append(batch: JournalBatch): Promise<number> {
    const next = this.chain.then(() => this.appendNow(batch));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async appendNow(batch: JournalBatch): Promise<number> {
    if (this.broken) throw this.broken;
    this.lease.assertValid();
    const msgID = `${this.lease.workspace}:${this.claimSeq}:${++this.count}`;
    try {
      const seq = await this.journal.publish(
        this.lease.workspace,
        { kind: 'batch', batch },
        this.last,
        msgID,
        Date.now() + this.journal.retryForMs,
      );
      this.last = seq;
      return seq;
    } catch (err) {
      // A batch refused for its size was never sent: the writer's view of the subject still holds.
      if (err instanceof ClusterError && err.code !== 'too_large') this.broken = err;
      throw err;
    }
  }
}
