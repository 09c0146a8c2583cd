/**
 * The types every actor sees: a typed ref, the context an actor runs with,
 * its behaviour, and reply callbacks. They do not depend on nact: the layer
 * (actors/runtime.ts) maps them onto nact's refs and functions.
 */
import type { ProtocolError } from '../../protocol/errors.js';

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

export interface SpawnOptions {
  /**
   * Lets nact stop the actor after this many idle milliseconds (its
   * `shutdownAfter`). The ref stays valid: the next message starts the actor
   * again, and `init` rebuilds its state. Only for actors whose memory holds
   * nothing the store does not (no subscribers, timers or writes in flight).
   */
  passivateAfterMs?: number;
}
