/**
 * One actor's side of the layer over nact: the messages told to it and not
 * yet handled, gathered into batches, and the function nact runs per batch.
 *
 * nact handles each dispatch in its own `setImmediate` turn, with a promise
 * and a fresh context per message. So a tell does not dispatch each message:
 * it appends to the open batch, the one dispatched to nact and not yet
 * finished, and dispatches only a new batch. nact runs one batch per turn,
 * every message in it in order, including those told while it runs (as the
 * drain of the runtime this replaces did); a batch closes when its run ends
 * or when it holds BATCH_MAX messages, and the next tell opens a new one,
 * which nact queues behind the running one. So order is kept across
 * batches, and a busy actor yields to I/O and timers every BATCH_MAX
 * messages.
 */
import type { Log } from '../log.js';
import type { NactRef } from './nact-host.js';
import type { ActorContext, Behavior } from './types.js';

/** Messages one nact dispatch carries at most (fairness between busy actors). */
export const BATCH_MAX = 64;

export interface Entry {
  readonly key: string;
  /** False once the layer stopped the actor: tells are refused from then on. */
  alive: boolean;
  /** The nact actor; undefined while it is being spawned and while it sleeps (passivated). */
  nact: NactRef | undefined;
  /** init is running: tells wait in the backlog until the nact actor exists. */
  starting: boolean;
  /** The batch dispatched and not finished, still taking messages. */
  open: unknown[] | undefined;
  /** Batches dispatched and not started, oldest first: what a stop nact begins would lose. */
  backlog: unknown[][];
  /** Messages told and not yet handled (stopWhenIdle waits for zero). */
  queued: number;
  stopWhenIdle: boolean;
  readonly passivateAfterMs: number | undefined;
}

export function newEntry(key: string, passivateAfterMs: number | undefined): Entry {
  return {
    key,
    alive: true,
    nact: undefined,
    starting: false,
    open: undefined,
    backlog: [],
    queued: 0,
    stopWhenIdle: false,
    passivateAfterMs,
  };
}

/** Adds a message to the open batch; returns a new batch to dispatch, or undefined if the open one took it. */
export function enqueue(entry: Entry, msg: unknown): unknown[] | undefined {
  entry.queued++;
  const open = entry.open;
  if (open !== undefined) {
    if (open.push(msg) === BATCH_MAX) entry.open = undefined;
    return undefined;
  }
  const batch = [msg];
  entry.open = batch;
  entry.backlog.push(batch);
  return batch;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';

/**
 * The function nact runs for each batch. Synchronous handlers run without a
 * promise; the first handler that returns one holds the rest of the batch
 * (and nact the next batch) until it settles. A handler error is logged and
 * drops only its message; the state is kept. `handled` runs after each
 * message (it may stop the actor, which ends the batch).
 */
export function batchRunner<S, M>(
  entry: Entry,
  behavior: Behavior<S, M>,
  ctx: ActorContext<M>,
  log: Log,
  handled: (entry: Entry) => void,
): (state: S, batch: unknown[]) => S | Promise<S> {
  // The running batch stays open: what is told meanwhile (by the actor itself, say) joins it, up to BATCH_MAX.
  const close = (batch: unknown[]) => {
    if (entry.open === batch) entry.open = undefined;
  };
  const failed = (err: unknown) =>
    log.error({ err, actor: entry.key }, 'actor handler threw; message dropped, state kept');
  const rest = async (state: S, batch: unknown[], at: number, pending: PromiseLike<unknown>): Promise<S> => {
    try {
      await pending;
    } catch (err) {
      failed(err);
    }
    handled(entry);
    for (let i = at + 1; i < batch.length && entry.alive; i++) {
      try {
        const result = behavior.receive(state, batch[i] as M, ctx);
        if (isThenable(result)) await result;
      } catch (err) {
        failed(err);
      }
      handled(entry);
    }
    close(batch);
    return state;
  };
  return (state, batch) => {
    entry.backlog.shift();
    for (let i = 0; i < batch.length && entry.alive; i++) {
      let result: unknown;
      try {
        result = behavior.receive(state, batch[i] as M, ctx);
      } catch (err) {
        failed(err);
      }
      if (isThenable(result)) return rest(state, batch, i, result);
      handled(entry);
    }
    close(batch);
    return state;
  };
}
