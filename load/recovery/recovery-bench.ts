/**
 * `npm run bench:recovery -- [--conversations 100000] [--messages 10]
 * [--open 2000] [--runs 3]`: how long a real server process takes from
 * spawn until `/readyz` answers 200 on a data directory with a large
 * history (OPS-1 "fast"), against the same workspace with no history as the
 * baseline, measured in the same run; and its resident memory after boot.
 * The history is written by load/recovery/recovery-history.ts. After the first timed
 * start a spot check reads it back over the protocol. Loopback only.
 */
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { seedWorkspace } from '../chaos/workspace-seed.js';
import { writeHistory, type History } from './recovery-history.js';
import { freePort, killSwitchboard, LOOPBACK, rssMiB, startSwitchboard } from '../chaos/switchboard-process.js';
import { ProtocolSocket } from '../client/protocol-socket.js';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    messages: { type: 'string', default: '10' },
    open: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '3' },
  },
});
const conversations = Number(values.conversations);
const messages = Number(values.messages);
const open = Number(values.open);
const runs = Number(values.runs);
if (
  ![conversations, messages, open, runs].every((n) => Number.isInteger(n) && n >= 0) ||
  runs < 1 ||
  open > conversations
) {
  process.stderr.write('--conversations, --messages, --open, --runs: integers, runs >= 1, open <= conversations\n');
  process.exit(2);
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dirMiB = (dir: string): number =>
  Math.round(readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0) / 1048576);

interface Restart {
  readyMs: number;
  rssMiB: number | undefined;
}

async function restarts(dataDir: string, port: number, check?: () => Promise<void>): Promise<Restart[]> {
  const out: Restart[] = [];
  for (let r = 0; r < runs; r++) {
    const server = await startSwitchboard({ dataDir, port, timeoutMs: 120_000 });
    out.push({ readyMs: Math.round(server.readyMs), rssMiB: rssMiB(server.proc.pid) });
    if (r === 0 && check) await check();
    // A crash, as in OPS-1: recovery never relies on a clean stop.
    await killSwitchboard(server);
  }
  return out;
}

/** The history is the server's own format: it replays a resolved conversation, names a visitor's open one, lists the queue. */
async function spotCheck(port: number, token: string, departments: readonly string[], h: History): Promise<void> {
  const url = `ws://${LOOPBACK}:${port}`;
  const staff = await ProtocolSocket.connect(`${url}/v1/staff?token=${encodeURIComponent(token)}`, {
    binary: true,
    connectTimeoutMs: 5000,
  });
  let events = 0;
  staff.onFrame = (f) => void (typeof f.seq === 'number' && events++);
  await staff.resumeAll(h.sample.resolved, 0);
  if (events !== messages + 3)
    throw new Error(`spot check: resolved conversation replays ${events} events, expected ${messages + 3}`);
  let queued = 0;
  for (const department of departments)
    queued += ((await staff.ok({ type: 'queue', department })).waiting as unknown[]).length;
  if (queued !== h.sample.queued)
    throw new Error(`spot check: queues list ${queued}, history queued ${h.sample.queued}`);
  staff.terminate();
  if (h.sample.open) {
    const visitor = await ProtocolSocket.connect(`${url}/v1/visitor`, { binary: true, connectTimeoutMs: 5000 });
    const hello = await visitor.ok({ type: 'hello', visitorId: h.sample.openVisitor });
    if (hello.conversationId !== h.sample.open)
      throw new Error(`spot check: hello names ${String(hello.conversationId)}, expected ${h.sample.open}`);
    visitor.terminate();
  }
  say(
    `spot check passed: a resolved conversation replays its ${events} events, the queues list all ${queued} waiting, a visitor's hello finds its open conversation`,
  );
}

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-recovery-'));
try {
  const workspace = await seedWorkspace(dataDir, { agentsPerDepartment: [10, 10], maxConcurrent: 5 });
  const port = await freePort();
  const baseline = await restarts(dataDir, port);
  say(
    `baseline (same workspace, no history): ready in ${baseline.map((r) => r.readyMs).join(', ')} ms; RSS ${baseline.map((r) => r.rssMiB).join(', ')} MiB`,
  );

  const t0 = performance.now();
  const history = await writeHistory(dataDir, { conversations, messages, open, perAgent: 5, agents: workspace.agents });
  const writeS = Math.round((performance.now() - t0) / 100) / 10;
  say(
    `history: ${conversations} conversations (${open} open, ${history.sample.queued} of them queued), ${history.messages} messages, ${history.events} events written in ${writeS} s; data ${dirMiB(dataDir)} MiB`,
  );

  const big = await restarts(dataDir, port, () =>
    spotCheck(port, workspace.auditorToken, workspace.departments, history),
  );
  say(
    `with history: ready in ${big.map((r) => r.readyMs).join(', ')} ms; RSS ${big.map((r) => r.rssMiB).join(', ')} MiB`,
  );
  const b = median(baseline.map((r) => r.readyMs));
  const m = median(big.map((r) => r.readyMs));
  say('');
  say(
    `restart to /readyz (median of ${runs}): ${m} ms with history vs ${b} ms baseline = ${(m / b).toFixed(2)}x; goal <= 3000 ms: ${m <= 3000 ? 'met' : 'NOT met'}`,
  );
  say(
    `RSS after boot (median): ${median(big.map((r) => r.rssMiB ?? 0))} MiB with history vs ${median(baseline.map((r) => r.rssMiB ?? 0))} MiB baseline`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
