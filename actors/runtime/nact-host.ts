/**
 * The part of nact 7.6.2 the runtime uses, behind a narrow typed face: one
 * actor system, one quiet parent actor per group, leaf actors spawned with
 * an initial state function, dispatch with one shared sender, stop.
 *
 * Two things nact does are worked around here. A dispatch without a sender
 * allocates a `Nobody` each time, so one frozen sender object is passed
 * instead. nact's system stop does not stop the actors below it (it looks
 * the concrete actors up as if they were references and finds none), so
 * `shutdown` stops each group parent by its reference, after the caller has
 * stopped every leaf.
 */
import { createRequire } from 'node:module';

/** An opaque nact actor reference. */
export interface NactRef {
  readonly type: string;
}

type NactFn<S, B> = (state: S, msg: B, ctx: object) => S | Promise<S>;

interface NactProperties<S> {
  initialStateFunc?: (ctx: object) => S;
  shutdownAfter?: number;
  onCrash?: (msg: unknown, err: unknown, ctx: { stop: symbol }) => symbol;
  afterStop?: (state: S, ctx: { self: NactRef }) => void;
}

interface Nact {
  start(): NactRef;
  spawn<S, B>(parent: NactRef, f: NactFn<S, B>, name: string, properties?: NactProperties<S>): NactRef;
  dispatch(ref: NactRef, msg: unknown, sender: unknown): void;
  stop(ref: NactRef): void;
}

const nact = createRequire(import.meta.url)('nact') as Nact;

/** nact's `Nobody` sender, made once: nact's dispatch would allocate one per message. */
const SENDER = Object.freeze({ type: 'nobody', system: Object.freeze({ name: undefined }), path: { parts: [] } });

/** The names nact accepts (RFC 1738 characters), less `$`, which marks the names generated here. */
const VALID_NAME = /^[a-z0-9\-_.+!*'(),]+$/i;

const quiet = <S>(state: S): S => state;

export interface LeafSpec<S, B> {
  group: string;
  name: string;
  /** Handles one dispatched batch; never throws (errors are caught per message). */
  run: (state: S, batch: B) => S | Promise<S>;
  init: () => S;
  passivateAfterMs?: number;
  /** Called once nact has stopped this actor, whoever stopped it. */
  afterStop: (ref: NactRef) => void;
  /** A fault the batch function let through (a layer bug): nact stops the actor. */
  onCrash: (err: unknown) => void;
}

export class NactHost {
  private readonly system = nact.start();
  /** Group parents: they never handle a message, so nact never copies their child map. */
  private readonly groups = new Map<string, NactRef>();
  private unnamed = 0;

  spawn<S, B>(spec: LeafSpec<S, B>): NactRef {
    return nact.spawn<S, B>(this.group(spec.group), spec.run, this.nactName(spec.name), {
      initialStateFunc: spec.init,
      ...(spec.passivateAfterMs !== undefined ? { shutdownAfter: spec.passivateAfterMs } : {}),
      onCrash: (_msg, err, ctx) => {
        spec.onCrash(err);
        return ctx.stop;
      },
      afterStop: (_state, ctx) => spec.afterStop(ctx.self),
    });
  }

  dispatch(ref: NactRef, batch: unknown): void {
    nact.dispatch(ref, batch, SENDER);
  }

  stop(ref: NactRef): void {
    nact.stop(ref);
  }

  /** Stops the group parents; every leaf must have been stopped before (nact would not stop them). */
  shutdown(): void {
    for (const ref of this.groups.values()) nact.stop(ref);
    this.groups.clear();
    nact.stop(this.system);
  }

  private group(name: string): NactRef {
    let ref = this.groups.get(name);
    if (!ref) {
      ref = nact.spawn(this.system, quiet, this.nactName(name));
      this.groups.set(name, ref);
    }
    return ref;
  }

  /** The name nact gets: ours when nact accepts it, else a generated one (the layer keys actors itself). */
  private nactName(name: string): string {
    return VALID_NAME.test(name) ? name : `$${++this.unnamed}`;
  }
}
