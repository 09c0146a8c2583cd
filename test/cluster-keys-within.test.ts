/**
 * CLUSTER-2: a node's look at the cluster reads two bucket listings (the
 * live nodes and the workspace registry). A listing that never ends must
 * fail the look, not freeze the node's view: such a node kept every
 * workspace after others joined (the CLUSTER-4 harness run, under load).
 */
import t from 'tap';
import type { KV } from '@nats-io/kv';
import { keysWithin } from '../src/cluster/cluster-node.js';
import { ClusterError } from '../src/cluster/cluster-error.js';

/** A key listing that yields `keys`, then either ends or waits for ever (until stopped). */
function listing(keys: string[], ends: boolean): { kv: Pick<KV, 'keys'>; stopped: () => boolean } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const iterator = {
    stop(): void {
      stopped = true;
      wake?.();
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<string> {
      yield* keys;
      if (!ends) await new Promise<void>((done) => (wake = done));
    },
  };
  return { kv: { keys: async () => iterator } as unknown as Pick<KV, 'keys'>, stopped: () => stopped };
}

t.test('CLUSTER-2: a listing that ends gives its keys', async (t) => {
  const l = listing(['n1', 'n2'], true);
  t.same(await keysWithin(l.kv, 1000), ['n1', 'n2']);
  t.notOk(l.stopped(), 'a finished listing is not stopped');
});

t.test('CLUSTER-2: a listing that never ends fails as unavailable and is stopped', async (t) => {
  const l = listing(['n1'], false);
  const err = await keysWithin(l.kv, 30).catch((e: unknown) => e);
  t.ok(err instanceof ClusterError, 'a ClusterError');
  t.equal((err as ClusterError).code, 'unavailable');
  t.ok(l.stopped(), 'the listing (its consumer) is stopped');
});
