/**
 * `npm run chaos -- [--cycles 100] [--visitors 50] [--seed 1] [--json] [--cluster]`:
 * kill -9 a loaded server again and again and check that nothing a client
 * holds an ack for is lost, duplicated or moved (load/chaos/chaos-run.ts); with
 * --cluster, kill the owner node of a three-node cluster (load/chaos/cluster-rig.ts). Exits 1
 * when any check failed. Loopback only; bounded by --time-limit (minutes).
 */
import { parseArgs } from 'node:util';
import { runChaos } from './chaos-run.js';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '100' },
    visitors: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    'time-limit': { type: 'string', default: '30' },
    json: { type: 'boolean', default: false },
    cluster: { type: 'boolean', default: false },
  },
});

const int = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} must be an integer >= ${min}\n`);
    process.exit(2);
  }
  return n;
};

const report = await runChaos({
  cycles: int('cycles', values.cycles, 1),
  visitors: int('visitors', values.visitors, 1),
  seed: int('seed', values.seed, 0),
  timeLimitMs: int('time-limit', values['time-limit'], 1) * 60_000,
  cluster: values.cluster === true,
  log: (line) => process.stdout.write(`${line}\n`),
});

if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  [
    '',
    `kills: ${report.kills}`,
    `acked messages checked after the kills: ${report.ackedMessagesChecked} (final audit of all ${report.conversations} conversations: ${report.finalAckedMessages})`,
    `transfers acked: ${report.transfersAcked}, resolves acked: ${report.resolvesAcked}`,
    `restart (spawn to /readyz 200): mean ${report.restartMeanMs} ms, max ${report.restartMaxMs} ms`,
    ...(report.takeoverMeanMs !== undefined
      ? [`takeover (kill to a live owner): mean ${report.takeoverMeanMs} ms, max ${report.takeoverMaxMs} ms`]
      : []),
    `failures: ${report.failures.length}`,
    ...report.failures.slice(0, 20).map((f) => `  ${f}`),
    '',
  ].join('\n'),
);
process.exitCode = report.failures.length ? 1 : 0;
