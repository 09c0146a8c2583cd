/**
 * CLUSTER-2: a workspace has one owner node at a time, held by a lease in a
 * JetStream key-value bucket (one key per workspace).
 *
 * Every change is a compare-and-set on the key's revision, so of two
 * contenders exactly one wins, and the winning revision is the fencing token.
 * The holder renews by heartbeat (a CAS on its own last revision, which
 * yields a new one); a renewal refused because the revision moved means
 * someone else took the lease, and the holder stops at once.
 *
 * nats-server 2.9 has no per-message TTL, and node clocks need not agree, so
 * expiry uses no timestamp written by another node. Two bounds hold instead:
 * - revision check: a contender that sees the same revision unchanged for a
 *   full lease duration on its own clock takes over with a CAS on that
 *   revision. The holder counts its own validity from before it sent the
 *   write that made the revision, so its validity ends before the contender
 *   can act (clocks must run at the same rate, not show the same time).
 * - bucket max age: the bucket's streams drop a key not written for its max
 *   age (the server's clock), so a lease nobody watched still frees itself.
 * A holder that may have passed its bound without noticing (a paused process)
 * is stopped by the journal stream's fencing (journal-stream.ts), not here.
 */
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { Packr } from 'msgpackr';
import type { Clock, TimerHandle } from '../../actors/clock.js';
import { ClusterError, checkWorkspaceId, isWrongLastSequence } from './cluster-error.js';

const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false });

/** What a lease key holds. renewedAt is the holder's clock: for operators to read, never to decide expiry. */
export interface LeaseRecord {
  holder: string;
  renewedAt: number;
  ttlMs: number;
}

export interface LeaseBucketOptions {
  /** This node's id, unique per process run. */
  nodeId: string;
  clock: Clock;
  /** How long a lease lasts unrenewed: the failover bound of the revision check. */
  ttlMs: number;
  /** Heartbeat period; a third of ttlMs by default, so two renewals may fail before the lease lapses. */
  renewEveryMs?: number;
  /** The bucket's max age (server time); ttlMs by default, 0 for none. Fixed when the bucket is created. */
  maxAgeMs?: number;
  bucket?: string;
  replicas?: number;
}

/** Who holds a workspace's lease, as read from the bucket. */
export interface LeaseState {
  record: LeaseRecord;
  revision: number;
}

type LostListener = (err: ClusterError) => void;

/** A lease this node holds. `revision` is the fencing token: it changes at every renewal. */
export class Lease {
  private timer: TimerHandle | undefined;
  private lostWith: ClusterError | undefined;
  private readonly listeners: LostListener[] = [];
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly bucket: LeaseBucket,
    readonly workspace: string,
    private rev: number,
    /** The end of this lease on the holder's clock: the send time of the write that made `revision`, plus ttl. */
    private until: number,
  ) {
    this.schedule();
  }

  get revision(): number {
    return this.rev;
  }

  get validUntil(): number {
    return this.until;
  }

  /** Held, and within its bound on this node's clock. */
  valid(): boolean {
    return this.lostWith === undefined && this.bucket.clock.now() < this.until;
  }

  /** Throws lease_lost unless valid(); a writer calls it before every write. */
  assertValid(): void {
    if (this.valid()) return;
    throw (
      this.lostWith ??
      new ClusterError('lease_lost', `lease of ${this.workspace} passed its bound at ${this.until} unrenewed`)
    );
  }

  /** Calls `fn` once when the lease is lost (a refused renewal or a lapse), never after release(). */
  onLost(fn: LostListener): void {
    this.listeners.push(fn);
  }

  /** One renewal now (the heartbeat calls it); rejects with lease_lost if the lease is gone. */
  renew(): Promise<void> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  /** Stops the heartbeat and deletes the key if it is still ours, so another node need not wait for the bound. */
  async release(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.lostWith) return;
    this.lostWith = new ClusterError('lease_lost', `lease of ${this.workspace} was released`);
    await this.bucket.kv.delete(this.workspace, { previousSeq: this.rev }).catch((err: unknown) => {
      // Someone else already holds it: nothing of ours to delete.
      if (!isWrongLastSequence(err)) throw err;
    });
  }

  private schedule(): void {
    this.timer = this.bucket.clock.setTimer(this.bucket.renewEveryMs, () => {
      this.timer = undefined;
      this.renew().then(
        () => this.schedule(),
        () => undefined,
      );
    });
  }

  private async renewOnce(): Promise<void> {
    if (this.lostWith) throw this.lostWith;
    const sentAt = this.bucket.clock.now();
    try {
      this.rev = await this.bucket.kv.update(this.workspace, this.bucket.encode(sentAt), this.rev);
      this.until = sentAt + this.bucket.ttlMs;
    } catch (err) {
      if (isWrongLastSequence(err)) {
        this.lose(new ClusterError('lease_lost', `lease of ${this.workspace} was taken over`, { cause: err }));
      } else if (this.bucket.clock.now() >= this.until) {
        this.lose(new ClusterError('lease_lost', `lease of ${this.workspace} lapsed: renewals failed`, { cause: err }));
      } else {
        // A renewal that did not get through: the next heartbeat tries again while the bound allows.
        return;
      }
      throw this.lostWith;
    }
  }

  private lose(err: ClusterError): void {
    if (this.lostWith) return;
    this.lostWith = err;
    this.timer?.cancel();
    this.timer = undefined;
    for (const fn of this.listeners) fn(err);
  }
}

/** The lease bucket as one node sees it: acquires leases and remembers which revisions it has watched stand still. */
export class LeaseBucket {
  readonly clock: Clock;
  readonly ttlMs: number;
  readonly renewEveryMs: number;
  readonly nodeId: string;
  /** Per workspace: the last revision seen of another holder, and when (this node's clock) it was first seen. */
  private readonly watched = new Map<string, { revision: number; since: number }>();

  private constructor(
    readonly kv: KV,
    options: LeaseBucketOptions,
  ) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(options.ttlMs / 3));
    this.nodeId = options.nodeId;
  }

  /** Opens the bucket, creating it (replicas 3, history 1, max age) if it does not exist. */
  static async open(nc: NatsConnection, options: LeaseBucketOptions): Promise<LeaseBucket> {
    const maxAge = options.maxAgeMs ?? options.ttlMs;
    const kv = await new Kvm(nc).create(options.bucket ?? 'switchboard-leases', {
      replicas: options.replicas ?? 3,
      history: 1,
      // Direct gets may be answered by any replica, which can be behind the leader: a node would then see a
      // released lease as held or a renewed one as standing still. Reads go through the stream leader instead.
      allow_direct: false,
      ...(maxAge > 0 ? { ttl: maxAge } : {}),
    });
    return new LeaseBucket(kv, options);
  }

  encode(renewedAt: number): Uint8Array {
    const record: LeaseRecord = { holder: this.nodeId, renewedAt, ttlMs: this.ttlMs };
    return packr.pack(record);
  }

  /** The current holder of `workspace`'s lease, or undefined when nobody holds it. */
  async inspect(workspace: string): Promise<LeaseState | undefined> {
    checkWorkspaceId(workspace);
    const entry = await this.kv.get(workspace);
    return live(entry) ? { record: packr.unpack(entry.value) as LeaseRecord, revision: entry.revision } : undefined;
  }

  /**
   * Takes `workspace`'s lease if it is free, or if its holder has left the
   * same revision standing for a full ttl since this node first saw it.
   * Otherwise rejects with lease_held; a contender calls it again later
   * (each call is one look, so the caller owns the retry cadence).
   */
  async acquire(workspace: string): Promise<Lease> {
    checkWorkspaceId(workspace);
    const entry = await this.kv.get(workspace);
    const sentAt = this.clock.now();
    if (!live(entry)) {
      const revision = await this.cas(workspace, () => this.kv.create(workspace, this.encode(sentAt)));
      return this.won(workspace, revision, sentAt);
    }
    const record = packr.unpack(entry.value) as LeaseRecord;
    const seen = this.watched.get(workspace);
    if (!seen || seen.revision !== entry.revision) {
      this.watched.set(workspace, { revision: entry.revision, since: sentAt });
      throw held(workspace, record);
    }
    if (sentAt - seen.since < this.ttlMs) throw held(workspace, record);
    const revision = await this.cas(workspace, () => this.kv.update(workspace, this.encode(sentAt), entry.revision));
    return this.won(workspace, revision, sentAt);
  }

  private won(workspace: string, revision: number, sentAt: number): Lease {
    this.watched.delete(workspace);
    return new Lease(this, workspace, revision, sentAt + this.ttlMs);
  }

  /** Runs one compare-and-set; losing the race to another contender is lease_held. */
  private async cas(workspace: string, write: () => Promise<number>): Promise<number> {
    try {
      return await write();
    } catch (err) {
      if (isWrongLastSequence(err))
        throw new ClusterError('lease_held', `another node took the lease of ${workspace} first`, { cause: err });
      throw err;
    }
  }
}

function live(entry: KvEntry | null): entry is KvEntry {
  return entry !== null && entry.operation === 'PUT';
}

function held(workspace: string, record: LeaseRecord): ClusterError {
  return new ClusterError('lease_held', `${record.holder} holds the lease of ${workspace}`);
}
