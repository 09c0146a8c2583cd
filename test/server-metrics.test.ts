/** OPS-4: the load harness's reading of the server's /metrics (load/harness/server-metrics.ts). */
import t from 'tap';
import { histogramQuantile, parseMetrics, serverMetrics } from '../load/harness/server-metrics.js';

const C = 'switchboard_store_commit_seconds';
const scrape = (buckets: [string, number][], writes: number, loopP99: number) =>
  parseMetrics(
    [
      '# HELP ignored',
      ...buckets.map(([le, n]) => `${C}_bucket{le="${le}"} ${n}`),
      `${C}_count ${buckets.at(-1)?.[1] ?? 0}`,
      `switchboard_store_writes_total ${writes}`,
      `switchboard_event_loop_delay_seconds{quantile="0.99"} ${loopP99}`,
      `switchboard_event_loop_delay_seconds{quantile="1"} 0.02`,
      '',
    ].join('\n'),
  );

t.test('OPS-4: the window is the difference of two scrapes; quantiles interpolate within buckets', async (t) => {
  const from = scrape(
    [
      ['0.001', 10],
      ['0.002', 10],
      ['+Inf', 10],
    ],
    30,
    0.5,
  );
  // In the window: 100 commits, 90 of them ≤ 1 ms, 10 in (1 ms, 2 ms]; 250 writes.
  const to = scrape(
    [
      ['0.001', 100],
      ['0.002', 110],
      ['+Inf', 110],
    ],
    280,
    0.004,
  );
  t.equal(histogramQuantile(C, from, to, 0.5), 0.001 * (50 / 90));
  t.equal(histogramQuantile(C, from, to, 0.95), 0.0015, 'halfway into the second bucket');
  t.same(serverMetrics(from, to), {
    commits: 100,
    writesPerCommit: 2.5,
    commitP50Ms: 0.556,
    commitP99Ms: 1.9,
    loopDelayP99Ms: 4,
    loopDelayMaxMs: 20,
  });
  t.equal(histogramQuantile(C, from, from, 0.5), undefined, 'no commits in the window: no quantile');
  t.equal(serverMetrics(undefined, to), undefined, 'a failed scrape: nothing');
});

t.test('OPS-4: past the last finite bucket, the last bound is given (a lower bound)', async (t) => {
  const none = parseMetrics('');
  const to = scrape(
    [
      ['0.001', 1],
      ['+Inf', 100],
    ],
    0,
    0,
  );
  t.equal(histogramQuantile(C, none, to, 0.99), 0.001);
});
