/**
 * The actor runtime: typed refs and messages, one mailbox per actor, and two
 * behaviours made visible that a plain mailbox would keep silent: a message
 * to a stopped actor (dropped, logged, tell answers false) and an ask that is
 * never answered (it times out).
 *
 * An actor handles one message at a time, in the order told; a handler that
 * returns a promise holds the next message until it settles. Handling is
 * never re-entrant: a tell only queues, and the mailbox is drained from a
 * setImmediate. One drain handles every queued message (up to DRAIN_BATCH,
 * then yields to I/O): the runtime this replaces (nact) took one event-loop
 * turn per message, so a conversation with eight messages in flight needed
 * eight turns, each with its own store transaction and socket flush.
 */
import { ProtocolError } from '../protocol/errors.js';
import type { Log } from './log.js';

/** A typed address of an actor accepting messages of type M. */
export interface Ref<M> {
  readonly key: string;
  /** Phantom field: carries the message type; never set. */
  readonly __messages?: (m: M) => void;
}

export interface ActorContext<M> {
  readonly self: Ref<M>;
  readonly name: string;
}

export interface Behavior<S, M> {
  /** Builds the initial state, e.g. by recovering from the journal. Runs before the first message. */
  init(ctx: ActorContext<M>): S;
  /**
   * Handles one message by changing `state` in place. Whatever it returns is
   * ignored: handlers end with `return reply(...)`, and a reply callback
   * that happens to return a value must never become the actor's state.
   */
  receive(state: S, msg: M, ctx: ActorContext<M>): void | Promise<void>;
}

/** A reply callback carried inside a message; the actor calls it once. */
export type Reply<R> = (result: R | ProtocolError) => void;

/** The answer type of a message that carries a reply callback. */
export type Answer<M> = M extends { reply: Reply<infer R> } ? R : never;

interface PendingAsk {
  deadline: number;
  expire: () => void;
}

const SWEEP_MS = 100;

/** Messages one drain handles before it yields to I/O and timers (fairness between busy actors). */
const DRAIN_BATCH = 64;

interface Entry {
  alive: boolean;
  /** Messages told and not yet handled (a stop drops the mailbox, so stopWhenIdle waits for zero). */
  queued: number;
  stopWhenIdle: boolean;
  mailbox: unknown[];
  /** Index of the next message in mailbox (shifting an array per message costs more). */
  head: number;
  /** A drain is scheduled or running. */
  draining: boolean;
  handle: (msg: unknown) => void | Promise<void>;
}

export class Runtime {
  private readonly actors = new Map<string, Entry>();
  private stopped = false;
  private readonly pendingAsks = new Set<PendingAsk>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Log,
    readonly askTimeoutMs = 10_000,
  ) {}

  /** Spawns actor `name` in `group`; throws if one of that key is alive. */
  spawn<S, M>(group: string, name: string, behavior: Behavior<S, M>): Ref<M> {
    if (this.stopped) throw new ProtocolError('unavailable', 'actor system stopped');
    const key = `${group}/${name}`;
    if (this.actors.get(key)?.alive) throw new Error(`actor ${key} already running`);
    const self: Ref<M> = { key };
    const ctx: ActorContext<M> = { self, name };
    const entry: Entry = {
      alive: true,
      queued: 0,
      stopWhenIdle: false,
      mailbox: [],
      head: 0,
      draining: false,
      handle: () => undefined,
    };
    this.actors.set(key, entry);
    let state: S;
    try {
      state = behavior.init(ctx);
    } catch (err) {
      // An actor that cannot build its state does not run: messages to it are refused (tell answers false).
      this.log.error({ err, actor: key }, 'actor failed to start');
      this.stopActor(self);
      return self;
    }
    entry.handle = (msg) => behavior.receive(state, msg as M, ctx);
    return self;
  }

  /**
   * The running actor `name` of `group`, if any: the one way to reach an
   * actor by its name, so that no caller spells the runtime's key format.
   */
  find<M>(group: string, name: string): Ref<M> | undefined {
    const key = `${group}/${name}`;
    return this.actors.get(key)?.alive ? { key } : undefined;
  }

  /** True while the actor behind `ref` is running. */
  isAlive(ref: { readonly key: string }): boolean {
    return this.actors.get(ref.key)?.alive === true;
  }

  /** Sends a message. Returns false (and logs) when the actor is not running, instead of dropping silently. */
  tell<M>(ref: Ref<M>, msg: M): boolean {
    const entry = this.actors.get(ref.key);
    if (!entry?.alive) {
      this.log.warn({ actor: ref.key }, 'message to a stopped actor dropped');
      return false;
    }
    entry.queued++;
    entry.mailbox.push(msg);
    if (!entry.draining) {
      entry.draining = true;
      setImmediate(() => void this.drain(ref.key, entry));
    }
    return true;
  }

  /**
   * Sends the message `msg` plus a reply callback and waits for the answer.
   * Rejects with `timeout` if the actor does not answer in time, and with
   * `unavailable` if it is not running.
   */
  ask<M extends { type: string }, T extends M['type']>(
    ref: Ref<M>,
    msg: { type: T } & Omit<Extract<M, { type: T }>, 'reply' | 'type'>,
    timeoutMs = this.askTimeoutMs,
  ): Promise<Answer<Extract<M, { type: T }>>> {
    type R = Answer<Extract<M, { type: T }>>;
    return new Promise<R>((resolve, reject) => {
      const pending: PendingAsk = {
        deadline: Date.now() + timeoutMs,
        expire: () => reject(new ProtocolError('timeout', `no answer from ${ref.key} within ${timeoutMs} ms`)),
      };
      this.pendingAsks.add(pending);
      this.startSweeper();
      const reply: Reply<R> = (result) => {
        if (!this.pendingAsks.delete(pending)) return; // answered twice, or already expired
        if (result instanceof ProtocolError) reject(result);
        else resolve(result);
      };
      if (!this.tell(ref, { ...msg, reply } as unknown as M))
        reply(new ProtocolError('unavailable', `${ref.key} is not running`));
    });
  }

  /**
   * Expires overdue asks. One coarse interval instead of a timer per ask: an
   * ask is on the path of every chat message, and its timeout is only a
   * safety net, so it may fire up to SWEEP_MS late.
   */
  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const p of this.pendingAsks) {
        if (p.deadline <= now) {
          this.pendingAsks.delete(p);
          p.expire();
        }
      }
      if (this.pendingAsks.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
    }, SWEEP_MS);
    // Never keeps a stopping process alive.
    this.sweeper.unref();
  }

  /**
   * Stops the actor once every message already sent to it has been handled
   * (an idle actor stops at once). Used to let go of actors whose work is
   * done; a later message spawns them again from the store.
   */
  stopWhenIdle(ref: { readonly key: string }): void {
    const entry = this.actors.get(ref.key);
    if (!entry) return;
    if (entry.queued === 0) this.stopActor(ref);
    else entry.stopWhenIdle = true;
  }

  /** Takes back a stopWhenIdle that has not happened yet: the actor started something it must finish. */
  stayAwake(ref: { readonly key: string }): void {
    const entry = this.actors.get(ref.key);
    if (entry?.alive) entry.stopWhenIdle = false;
  }

  stopActor(ref: { readonly key: string }): void {
    const entry = this.actors.get(ref.key);
    if (!entry) return;
    this.halt(entry);
    this.actors.delete(ref.key);
  }

  /** Stops every actor. Messages already in mailboxes are dropped. */
  shutdown(): void {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const entry of this.actors.values()) this.halt(entry);
    this.actors.clear();
  }

  private halt(entry: Entry): void {
    entry.alive = false;
    entry.mailbox = [];
    entry.head = 0;
  }

  /** Handles queued messages one at a time, awaiting a handler's promise before the next message. */
  private async drain(key: string, entry: Entry): Promise<void> {
    for (let n = 0; n < DRAIN_BATCH && entry.alive && entry.head < entry.mailbox.length; n++) {
      const msg = entry.mailbox[entry.head];
      entry.mailbox[entry.head++] = undefined;
      try {
        const pending = entry.handle(msg);
        if (pending) await pending;
      } catch (err) {
        // A handler bug must not take the actor (and its in-memory state) down with it.
        this.log.error({ err, actor: key }, 'actor handler threw; message dropped, state kept');
      }
      if (--entry.queued === 0 && entry.stopWhenIdle && entry.alive) this.stopActor({ key });
    }
    if (entry.head === entry.mailbox.length) {
      entry.mailbox = [];
      entry.head = 0;
    } else if (entry.head > DRAIN_BATCH * 16 && entry.head * 2 > entry.mailbox.length) {
      // Never empty under a steady flood: drop the handled slots now and then.
      entry.mailbox = entry.mailbox.slice(entry.head);
      entry.head = 0;
    }
    if (entry.alive && entry.head < entry.mailbox.length) setImmediate(() => void this.drain(key, entry));
    else entry.draining = false;
  }
}
