/**
 * A thin typed layer over nact. The rest of the code sees `Ref<M>` and typed
 * messages; this file makes two nact behaviours visible that are silent in
 * nact itself: a message to a stopped actor (nact drops it) and an ask that
 * is never answered (nact's query needs a timeout).
 *
 * Every actor is spawned under a quiet group actor that never handles a
 * message, because nact copies an actor's child map for each message it
 * handles: a busy parent of thousands of conversations would pay for that on
 * every message.
 */
import nact from 'nact';
import { ProtocolError } from '../protocol/errors.js';
import type { Log } from './log.js';

type NactRef = nact.Ref<unknown>;

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

interface Entry {
  ref: NactRef;
  alive: boolean;
  /** Messages told and not yet handled (nact drops its mailbox on stop, so stops wait for zero). */
  queued: number;
  stopWhenIdle: boolean;
}

export class Runtime {
  private readonly system: NactRef;
  private readonly groups = new Map<string, NactRef>();
  private readonly actors = new Map<string, Entry>();
  private stopped = false;
  private readonly pendingAsks = new Set<PendingAsk>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly log: Log, readonly askTimeoutMs = 10_000) {
    this.system = nact.start();
  }

  /** Spawns actor `name` in `group`; throws if one of that key is alive. */
  spawn<S, M>(group: string, name: string, behavior: Behavior<S, M>): Ref<M> {
    if (this.stopped) throw new ProtocolError('unavailable', 'actor system stopped');
    const key = `${group}/${name}`;
    if (this.actors.get(key)?.alive) throw new Error(`actor ${key} already running`);
    const self: Ref<M> = { key };
    const ctx: ActorContext<M> = { self, name };
    const log = this.log;
    const entry: Entry = { ref: undefined as unknown as NactRef, alive: true, queued: 0, stopWhenIdle: false };
    entry.ref = nact.spawn(
      this.group(group),
      async (state: S, msg: M) => {
        try {
          await behavior.receive(state, msg, ctx);
          return state;
        } catch (err) {
          // A handler bug must not take the actor (and its in-memory state) down with it.
          log.error({ err, actor: key }, 'actor handler threw; message dropped, state kept');
          return state;
        } finally {
          if (--entry.queued === 0 && entry.stopWhenIdle) this.stopActor(self);
        }
      },
      name,
      {
        initialStateFunc: () => behavior.init(ctx),
        afterStop: () => {
          entry.alive = false;
          if (this.actors.get(key) === entry) this.actors.delete(key);
        },
      },
    ) as NactRef;
    this.actors.set(key, entry);
    return self;
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
    nact.dispatch(entry.ref, msg);
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
      if (!this.tell(ref, { ...msg, reply } as unknown as M)) reply(new ProtocolError('unavailable', `${ref.key} is not running`));
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
    entry.alive = false;
    this.actors.delete(ref.key);
    nact.stop(entry.ref);
  }

  /** Stops every actor. Messages already in mailboxes are dropped. */
  shutdown(): void {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const entry of this.actors.values()) entry.alive = false;
    this.actors.clear();
    nact.stop(this.system);
  }

  private group(name: string): NactRef {
    let ref = this.groups.get(name);
    if (!ref) {
      // A group actor exists only to be a parent; it is never sent a message.
      ref = nact.spawnStateless(this.system, () => undefined, `group-${name}`) as NactRef;
      this.groups.set(name, ref);
    }
    return ref;
  }
}
