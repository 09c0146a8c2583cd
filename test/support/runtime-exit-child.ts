/**
 * A child process for test/runtime-nact.test.ts: spawns actors that nact
 * keeps timers for (shutdownAfter), lets them handle messages, then either
 * shuts the runtime down or not (argv[2] === 'keep'). It never calls
 * process.exit: the parent watches whether it ends by itself.
 */
import { Runtime } from '../../actors/runtime.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const rt = new Runtime(quiet);
const refs = [];
for (let i = 0; i < 20; i++) {
  refs.push(
    rt.spawn<{ n: number }, number>(
      'child',
      `a${i}`,
      { init: () => ({ n: 0 }), receive: (s, m) => void (s.n += m) },
      {
        passivateAfterMs: 60_000,
      },
    ),
  );
}
for (const ref of refs) for (let i = 0; i < 100; i++) rt.tell(ref, 1);
setImmediate(() =>
  setImmediate(() => {
    if (process.argv[2] !== 'keep') rt.shutdown();
    process.stdout.write('handled\n');
  }),
);
