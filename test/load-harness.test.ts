/**
 * The load harness (load/harness/harness.ts, issue 7) keeps working: a tiny `relay`
 * run — the echo baseline, the maximum relay and the paced relay, with client
 * workers in child processes against a real server child — produces its JSON
 * report with traffic in every phase and no errors. The figures themselves
 * are not asserted (the machine is shared): only that they were measured.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const HARNESS = fileURLToPath(new URL('../load/harness/harness.js', import.meta.url));

function runHarness(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HARNESS, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Report {
  scenario: string;
  workers: number;
  echoMsgsPerSec: number;
  echo: { counters: Record<string, number>; errors: Record<string, number> };
  phases: {
    name: string;
    counters: Record<string, number>;
    errors: Record<string, number>;
    latency: Record<string, { count: number; p99Ms: number }>;
    serverCpuPct?: number;
    serverRssMiB?: number;
    server?: { commits: number; writesPerCommit?: number; commitP99Ms?: number; loopDelayP99Ms?: number };
  }[];
  throughputs: { name: string; perSec: number; ofEcho?: number }[];
  goals: { name: string; met: boolean }[];
}

t.test(
  'load harness: a tiny relay run reports echo and relay traffic, latencies, server CPU and RSS, goals, and no errors',
  async (t) => {
    const r = await runHarness(
      [
        'relay',
        '--duration',
        '0.3',
        '--warmup',
        '0.1',
        '--connections',
        '2',
        '--window',
        '2',
        '--agents',
        '2',
        '--workers',
        '2',
        '--json',
      ],
      // A harmless flag: the server must still start with it.
      { LOAD_SERVER_NODE_FLAGS: ' --max-semi-space-size=16 ' },
    );
    t.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    t.equal(lines.length, 1, '--json prints only the JSON line');
    const report = JSON.parse(lines[0] ?? '{}') as Report;
    t.equal(report.scenario, 'relay');
    t.equal(report.workers, 2);
    t.ok(report.echoMsgsPerSec > 0, 'the echo baseline echoed');
    t.same(report.echo.errors, {});
    t.same(
      report.phases.map((p) => p.name.replace(/\d+/g, 'N')),
      ['relay max', 'relay paced N/s'],
    );
    for (const p of report.phases) {
      t.ok((p.counters.relayed ?? 0) > 0, `${p.name}: messages reached the agents`);
      t.ok((p.counters.acked ?? 0) > 0, `${p.name}: sends were acked`);
      t.ok(
        (p.latency.relay?.count ?? 0) > 0 && (p.latency.ack?.count ?? 0) > 0,
        `${p.name}: relay and ack latencies measured`,
      );
      t.same(p.errors, {}, `${p.name}: no errors`);
      t.ok((p.serverCpuPct ?? 0) > 0 && (p.serverRssMiB ?? 0) > 0, `${p.name}: server CPU and RSS read`);
      const sm = p.server;
      t.ok(
        sm && sm.commits > 0 && (sm.writesPerCommit ?? 0) >= 1,
        `${p.name}: the server's commits read from /metrics`,
      );
      t.ok((sm?.commitP99Ms ?? -1) >= 0 && (sm?.loopDelayP99Ms ?? -1) >= 0, `${p.name}: commit p99 and loop delay`);
    }
    const relay = report.throughputs.find((x) => x.name.startsWith('relay max'));
    t.ok(relay && relay.perSec > 0 && (relay.ofEcho ?? 0) > 0, 'the relay throughput is given as a ratio of the echo');
    t.ok(report.goals.length >= 2, 'goals are reported (met or not)');
  },
);

t.test(
  'CLUSTER-4: a tiny cluster run relays on one node, on three and through a forwarding node, in one run',
  async (t) => {
    const r = await runHarness([
      'cluster',
      '--duration',
      '0.3',
      '--warmup',
      '0.1',
      '--workspaces',
      '2',
      '--agents',
      '1',
      '--connections',
      '4',
      '--window',
      '2',
      '--json',
    ]);
    t.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Report & {
      extra: { cluster: { scale: number; forwardedOfDirect: number; spread: Record<string, number> } };
    };
    t.equal(report.scenario, 'cluster');
    t.same(
      report.phases.map((p) => p.name),
      ['relay, one node', 'relay, three nodes, direct', 'relay, three nodes, forwarded'],
    );
    for (const p of report.phases) {
      t.ok((p.counters.relayed ?? 0) > 0, `${p.name}: messages reached the agents`);
      t.same(p.errors, {}, `${p.name}: no errors`);
    }
    const { scale, forwardedOfDirect, spread } = report.extra.cluster;
    t.ok(scale > 0 && forwardedOfDirect > 0, 'the three-node and the forwarded ratios are reported');
    t.equal(
      Object.values(spread).reduce((a, b) => a + b, 0),
      2,
      'both workspaces were placed on the three nodes',
    );
    t.ok(
      report.goals.some((g) => g.name.startsWith('three nodes ÷ one node')),
      'the scale-out goal is reported (met or not)',
    );
  },
);

t.test('load harness: a bad flag is a usage error (exit 2) and starts nothing', async (t) => {
  const r = await runHarness(['relay', '--workers', '0']);
  t.equal(r.code, 2);
  t.match(r.stderr, /--workers must be an integer from 1 to 16/);
  const unknown = await runHarness(['nosuch']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /unknown scenario "nosuch"/);
  const flags = await runHarness(['relay', '--duration', '0.3'], { LOAD_SERVER_NODE_FLAGS: '--trace-gc oops' });
  t.equal(flags.code, 1, 'a word that is no node flag fails the run');
  t.match(flags.stderr, /LOAD_SERVER_NODE_FLAGS holds "oops"/);
});
