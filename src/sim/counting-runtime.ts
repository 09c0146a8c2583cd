/**
 * The actor runtime with a count of messages told and not yet handled, so
 * that the simulator's clock knows when the actors have done everything a
 * moment asked of them before it moves time on (SIM-1). The actors and the
 * runtime are the real ones: this only wraps each behaviour's `receive`.
 */
import { Runtime, type Behavior, type Ref } from '../../actors/runtime.js';

export class CountingRuntime extends Runtime {
  /** Messages told to running actors and not yet handled to the end. */
  inFlight = 0;

  override spawn<S, M>(group: string, name: string, behavior: Behavior<S, M>): Ref<M> {
    const settled = (): void => void this.inFlight--;
    return super.spawn<S, M>(group, name, {
      init: (ctx) => behavior.init(ctx),
      receive: (state, msg, ctx) => {
        let result: void | Promise<void>;
        try {
          result = behavior.receive(state, msg, ctx);
        } catch (err) {
          settled();
          throw err;
        }
        if (result instanceof Promise) return result.finally(settled);
        settled();
      },
    });
  }

  override tell<M>(ref: Ref<M>, msg: M): boolean {
    // nact never runs a handler inside dispatch (it always defers to setImmediate), so counting after is safe.
    const told = super.tell(ref, msg);
    if (told) this.inFlight++;
    return told;
  }
}
