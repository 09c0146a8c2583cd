/**
 * Command line of the load harness:
 *
 *   npm run load -- <relay|connections|assign|mixed> [flags]
 *   npm run load -- seed --data DIR [--agents N] [--out FILE]
 *
 * Every number has a bound, so that a run stays bounded in clients and time.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const SCENARIOS = ['relay', 'connections', 'assign', 'mixed', 'cluster'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface HarnessOptions {
  scenario: ScenarioName;
  workers: number;
  warmupS: number;
  durationS: number;
  /** Echo baseline: connections and frames in flight per connection (also the relay's visitors and window). */
  connections: number;
  window: number;
  /** Agent counts (assign runs once per count; the other scenarios use the first). */
  agents: number[] | undefined;
  maxConcurrent: number | undefined;
  /** assign: new conversations/s; connections: paced messages/s; relay: paced rate (default half the measured max). */
  rate: number | undefined;
  /** assign: visitor pool. */
  visitors: number;
  /** connections scenario. */
  total: number;
  conversations: number;
  /** mixed scenario. */
  arrivals: number;
  visitorThinkMs: number;
  agentThinkMs: number;
  messages: number;
  transferShare: number;
  maxVisitors: number;
  /** mixed: supervisor connections watching the department monitor (MON-1); 0: none. */
  monitors: number;
  /** cluster: workspaces spread over the nodes. */
  workspaces: number | undefined;
  json: boolean;
  profileDir: string | undefined;
  url: string | undefined;
  workspaceFile: string | undefined;
  serverPid: number | undefined;
}

export interface SeedOptions {
  dataDir: string;
  agents: number;
  maxConcurrent: number;
  out: string | undefined;
}

export class UsageError extends Error {}

export const USAGE = `usage: npm run load -- <${SCENARIOS.join('|')}> [flags]
  common:      --workers 2 --warmup 1 --duration 5 (mixed: 15 and 20) --connections 40 --window 8 --json --profile DIR
               --url ws://127.0.0.1:PORT --workspace FILE [--server-pid PID]   (drive a running server seeded by \`load seed\`)
  cluster:     --workspaces 6 --agents 4 --max-concurrent 50   (CLUSTER-4: one node, then three, then three forwarded; starts 3 nats-servers)
  relay:       --agents 20 --max-concurrent 50 [--rate R]   (paced run at R msgs/s; default half the measured maximum)
  connections: --total 15000 --conversations 5000 --agents 100 --max-concurrent 50 --rate 500
  assign:      --agents 10,100,1000 --rate 2000 --visitors 400 --max-concurrent 50
  mixed:       --agents 200 --max-concurrent 6 --arrivals 50 --visitor-think 3000 --agent-think 2000
               --messages 4 --transfer-share 0.2 --max-visitors 2000 [--monitors N]   (N supervisors watching MON-1)
       npm run load -- seed --data DIR [--agents 100] [--max-concurrent 50] [--out FILE]`;

function num(name: string, raw: string | undefined, min: number, max: number, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not "${raw}"`,
    );
  }
  return n;
}

const flags = {
  workers: { type: 'string' },
  warmup: { type: 'string' },
  duration: { type: 'string' },
  connections: { type: 'string' },
  window: { type: 'string' },
  agents: { type: 'string' },
  'max-concurrent': { type: 'string' },
  rate: { type: 'string' },
  visitors: { type: 'string' },
  total: { type: 'string' },
  conversations: { type: 'string' },
  arrivals: { type: 'string' },
  'visitor-think': { type: 'string' },
  'agent-think': { type: 'string' },
  messages: { type: 'string' },
  'transfer-share': { type: 'string' },
  'max-visitors': { type: 'string' },
  monitors: { type: 'string' },
  json: { type: 'boolean', default: false },
  profile: { type: 'string' },
  url: { type: 'string' },
  workspace: { type: 'string' },
  workspaces: { type: 'string' },
  'server-pid': { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseHarnessArgs(
  argv: string[],
): { kind: 'scenario'; opts: HarnessOptions } | { kind: 'seed'; opts: SeedOptions } | { kind: 'help' } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: flags, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { kind: 'help' };
  const [what, ...more] = positionals;
  if (more.length) throw new UsageError(`unexpected arguments: ${more.join(' ')}`);
  if (what === 'seed') {
    if (!v.data) throw new UsageError('seed needs --data DIR (a new or empty directory)');
    return {
      kind: 'seed',
      opts: {
        dataDir: resolve(v.data),
        agents: num('agents', v.agents, 1, 5000, true) ?? 100,
        maxConcurrent: num('max-concurrent', v['max-concurrent'], 1, 10_000, true) ?? 50,
        out: v.out === undefined ? undefined : resolve(v.out),
      },
    };
  }
  if (!SCENARIOS.includes(what as ScenarioName))
    throw new UsageError(what === undefined ? 'which scenario?' : `unknown scenario "${what}"`);
  if ((v.url === undefined) !== (v.workspace === undefined)) throw new UsageError('--url and --workspace go together');
  const agents = v.agents?.split(',').map((s) => num('agents', s.trim(), 1, 5000, true) ?? 0);
  if (agents && agents.length > 6) throw new UsageError('--agents takes at most 6 counts');
  return {
    kind: 'scenario',
    opts: {
      scenario: what as ScenarioName,
      workers: num('workers', v.workers, 1, 16, true) ?? 2,
      // The mix needs time to build up its open conversations (each lives for several think times).
      warmupS: num('warmup', v.warmup, 0, 120, false) ?? (what === 'mixed' ? 15 : 1),
      durationS: num('duration', v.duration, 0.1, 300, false) ?? (what === 'mixed' ? 20 : 5),
      connections: num('connections', v.connections, 1, 2000, true) ?? 40,
      window: num('window', v.window, 1, 1000, true) ?? 8,
      agents,
      maxConcurrent: num('max-concurrent', v['max-concurrent'], 1, 10_000, true),
      rate: num('rate', v.rate, 1, 100_000, false),
      visitors: num('visitors', v.visitors, 1, 5000, true) ?? 400,
      total: num('total', v.total, 1, 19_000, true) ?? 15_000,
      conversations: num('conversations', v.conversations, 0, 10_000, true) ?? 5000,
      arrivals: num('arrivals', v.arrivals, 0.1, 5000, false) ?? 50,
      visitorThinkMs: num('visitor-think', v['visitor-think'], 1, 600_000, false) ?? 3000,
      agentThinkMs: num('agent-think', v['agent-think'], 1, 600_000, false) ?? 2000,
      messages: num('messages', v.messages, 1, 100, true) ?? 4,
      transferShare: num('transfer-share', v['transfer-share'], 0, 1, false) ?? 0.2,
      maxVisitors: num('max-visitors', v['max-visitors'], 1, 10_000, true) ?? 2000,
      monitors: num('monitors', v.monitors, 0, 50, true) ?? 0,
      workspaces: num('workspaces', v.workspaces, 1, 100, true),
      json: v.json,
      profileDir: v.profile === undefined ? undefined : resolve(v.profile),
      url: v.url,
      workspaceFile: v.workspace === undefined ? undefined : resolve(v.workspace),
      serverPid: num('server-pid', v['server-pid'], 1, 2 ** 22, true),
    },
  };
}
