/**
 * The actor runtime: a typed layer over nact 7.6.2 (DESIGN.md). Actors see
 * typed refs and messages (actors/runtime/types.ts); nact runs them, one
 * batch of messages per dispatch (actors/runtime/batch.ts). The layer adds
 * what nact keeps silent or slow: a message to a stopped actor is refused
 * and logged (tell answers false), an ask that is never answered times out
 * (one sweep, actors/runtime/asks.ts), a handler error drops only its
 * message, and shutdown stops every actor (nact's system stop does not).
 *
 * An actor handles one message at a time, in the order told; a handler that
 * returns a promise holds the next message until it settles. Handling is
 * never re-entrant: a tell only queues, and nact runs the batch from a
 * setImmediate. Actors are kept by key (`<group>/<name>`) in one flat map.
 */
import { ProtocolError } from '../protocol/errors.js';
import { type Clock, RealClock } from './clock.js';
import type { Log } from './log.js';
import { AskSweep } from './runtime/asks.js';
import { batchRunner, type Entry, enqueue, newEntry } from './runtime/batch.js';
import { NactHost, type NactRef } from './runtime/nact-host.js';
import type { ActorContext, Answer, Behavior, Ref, Reply, SpawnOptions } from './runtime/types.js';

export type { ActorContext, Answer, Behavior, Ref, Reply, SpawnOptions } from './runtime/types.js';

export class Runtime {
  private readonly actors = new Map<string, Entry>();
  /** How each entry's nact actor is (re)started: kept for passivated actors woken by a message. */
  private readonly starters = new WeakMap<Entry, () => boolean>();
  private readonly host = new NactHost();
  private readonly asks: AskSweep;
  private stopped = false;

  constructor(
    private readonly log: Log,
    readonly askTimeoutMs = 10_000,
    clock: Clock = new RealClock(),
  ) {
    this.asks = new AskSweep(clock);
  }

  /** Spawns actor `name` in `group`; throws if one of that key is alive. */
  spawn<S, M>(group: string, name: string, behavior: Behavior<S, M>, options: SpawnOptions = {}): Ref<M> {
    if (this.stopped) throw new ProtocolError('unavailable', 'actor system stopped');
    const key = `${group}/${name}`;
    if (this.actors.get(key)?.alive) throw new Error(`actor ${key} already running`);
    const self: Ref<M> = { key };
    const ctx: ActorContext<M> = { self, name };
    const entry = newEntry(key, options.passivateAfterMs);
    this.actors.set(key, entry);
    const run = batchRunner(entry, behavior, ctx, this.log, this.handled);
    const start = (): boolean => {
      let failure: { err: unknown } | undefined;
      entry.starting = true;
      const ref = this.host.spawn<S | undefined, unknown[]>({
        group,
        name,
        run: run as (state: S | undefined, batch: unknown[]) => S | Promise<S>,
        init: () => {
          try {
            return behavior.init(ctx);
          } catch (err) {
            failure = { err };
            return undefined;
          }
        },
        ...(options.passivateAfterMs !== undefined ? { passivateAfterMs: options.passivateAfterMs } : {}),
        afterStop: (stoppedRef) => this.nactStopped(entry, stoppedRef),
        onCrash: (err) => this.log.error({ err, actor: key }, 'actor crashed; stopped'),
      });
      entry.starting = false;
      if (failure) {
        // An actor that cannot build its state does not run: messages to it are refused (tell answers false).
        this.log.error({ err: failure.err, actor: key }, 'actor failed to start');
        this.host.stop(ref);
        this.remove(entry);
        return false;
      }
      entry.nact = ref;
      // Messages told while init ran (to itself, say) waited for the nact actor to exist.
      for (const batch of entry.backlog) this.host.dispatch(ref, batch);
      return true;
    };
    this.starters.set(entry, start);
    start();
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

  /** True while the actor behind `ref` is running (or asleep, woken by the next message). */
  isAlive(ref: { readonly key: string }): boolean {
    return this.actors.get(ref.key)?.alive === true;
  }

  /** Sends a message. Returns false (and logs) when the actor is not running, instead of dropping silently. */
  tell<M>(ref: Ref<M>, msg: M): boolean {
    const entry = this.actors.get(ref.key);
    if (!entry?.alive || !this.awake(entry)) {
      this.log.warn({ actor: ref.key }, 'message to a stopped actor dropped');
      return false;
    }
    const batch = enqueue(entry, msg);
    if (batch !== undefined && entry.nact !== undefined) this.host.dispatch(entry.nact, batch);
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
      const settle = this.asks.add(timeoutMs, () =>
        reject(new ProtocolError('timeout', `no answer from ${ref.key} within ${timeoutMs} ms`)),
      );
      const reply: Reply<R> = (result) => {
        if (!settle()) return; // answered twice, or already expired
        if (result instanceof ProtocolError) reject(result);
        else resolve(result);
      };
      if (!this.tell(ref, { ...msg, reply } as unknown as M))
        reply(new ProtocolError('unavailable', `${ref.key} is not running`));
    });
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

  /** Stops the actor now; messages still queued for it are dropped. */
  stopActor(ref: { readonly key: string }): void {
    const entry = this.actors.get(ref.key);
    if (!entry) return;
    this.remove(entry);
    if (entry.nact) this.host.stop(entry.nact);
  }

  /** Stops every actor, then nact's group parents and system. Messages already queued are dropped. */
  shutdown(): void {
    this.stopped = true;
    this.asks.stop();
    // nact's system stop would leave the actors (and their shutdownAfter timers) running: stop each one.
    for (const entry of this.actors.values()) {
      entry.alive = false;
      if (entry.nact) this.host.stop(entry.nact);
    }
    this.actors.clear();
    this.host.shutdown();
  }

  private readonly handled = (entry: Entry): void => {
    if (--entry.queued === 0 && entry.stopWhenIdle && entry.alive) this.stopActor(entry);
  };

  /** Wakes a passivated actor (init rebuilds its state); false if it could not start. */
  private awake(entry: Entry): boolean {
    if (entry.nact !== undefined || entry.starting) return true;
    return this.starters.get(entry)?.() ?? false;
  }

  private remove(entry: Entry): void {
    entry.alive = false;
    entry.open = undefined;
    entry.backlog = [];
    if (this.actors.get(entry.key) === entry) this.actors.delete(entry.key);
  }

  /**
   * nact stopped an actor the layer did not stop: it passivated an idle one
   * (shutdownAfter), or a fault got through. nact drops, without a word,
   * whatever was dispatched from the moment it stopped until now; those
   * messages sit in the backlog. A passivated actor is woken and gets them,
   * in order; otherwise they are reported as dropped.
   */
  private nactStopped(entry: Entry, ref: NactRef): void {
    if (!entry.alive || entry.nact !== ref) return; // stopped by the layer, or an earlier life
    entry.nact = undefined;
    const told = entry.backlog.flat();
    entry.open = undefined;
    entry.backlog = [];
    entry.queued = 0;
    if (entry.passivateAfterMs === undefined) {
      this.remove(entry);
      if (told.length > 0)
        this.log.warn({ actor: entry.key, dropped: told.length }, 'messages to a stopped actor dropped');
      return;
    }
    for (const msg of told) this.tell(entry as Ref<unknown>, msg);
  }
}
