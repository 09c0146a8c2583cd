/**
 * MON-2 benchmark (`npm run bench:reports`): the summary report of a year, a
 * month and a day (all departments and one; every answer has its
 * department and agent rows) and the conversations CSV of a month, timed
 * over HTTP against the real server on a store of a year of conversations
 * (year-store.ts, built once per seed and size). Each case starts a fresh
 * server, so its first call is cold (empty period cache; the OS page cache
 * is whatever the machine holds); then `--runs` calls more.
 *
 *   node dist/load/reports/reports-bench.js [--conversations 1000000] [--seed 7] [--runs 20] [--json]
 */
import { readFileSync } from 'node:fs';
import {
  freePort,
  processRss,
  serverStartArgs,
  spawnNode,
  stopAllChildren,
  stopChild,
  waitForReadyz,
  waitForStdout,
} from '../harness/processes.js';
import { startReportServer } from './report-server.js';
import { spreadOf, timedGet, type Spread } from './report-timing.js';
import { yearStore } from './year-store.js';

interface Options {
  conversations: number;
  seed: number;
  runs: number;
  json: boolean;
}

function options(argv: string[]): Options {
  const o: Options = { conversations: 1_000_000, seed: 7, runs: 20, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (flag === '--json') o.json = true;
    else if (flag === '--conversations' && value >= 1000 && value <= 5_000_000) (o.conversations = value), i++;
    else if (flag === '--seed' && Number.isInteger(value) && value >= 0) (o.seed = value), i++;
    else if (flag === '--runs' && value >= 1 && value <= 1000) (o.runs = value), i++;
    else {
      console.error(`bad flag ${flag}; usage: reports-bench [--conversations N] [--seed S] [--runs R] [--json]`);
      process.exit(2);
    }
  }
  return o;
}

const YEAR = 'from=2025-12-01&to=2026-11-30';
const MONTH = 'from=2026-11-01&to=2026-11-30';
const DAY = 'from=2026-11-16&to=2026-11-16';
const ONE = '&department=technical';
const SUMMARIES: [string, string][] = [
  ['day, all departments', DAY],
  ['day, one department', DAY + ONE],
  ['month, all departments', MONTH],
  ['month, one department', MONTH + ONE],
  ['year, all departments', YEAR],
  ['year, one department', YEAR + ONE],
];
const CSV_RUNS = 3;

interface SummaryCase {
  name: string;
  query: string;
  agentRows: number;
  answerBytes: number;
  coldMs: number;
  warm: Spread;
  serverRssMiB: number | undefined;
}

interface CsvCase {
  query: string;
  rows: number;
  bytes: number;
  firstByteMs: number[];
  totalMs: number[];
  mbPerSec: number[];
  serverPeakRssMiB: number | undefined;
  serverRssBeforeMiB: number | undefined;
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const log = (line: string): void => {
    if (!o.json) console.log(line);
  };
  log(`store: ${o.conversations} conversations, seed ${o.seed}`);
  const store = await yearStore(o.seed, o.conversations, log);
  log(`${store.reused ? 'reused' : 'built'} ${store.dataDir}: ${store.events} events, ${store.ratings} ratings,`);
  log(`  ${Math.round(store.dataFileBytes / 2 ** 20)} MiB, built in ${Math.round(store.buildMs / 1000)} s`);
  const warmUp = await warmUpPhase(store.dataDir);
  log(
    `warm-up after the first start: ${warmUp.summed} days and months summed in ${Math.round(warmUp.ms / 100) / 10} s (${warmUp.turns} turns); ${warmUp.kept} kept`,
  );
  const summaries: SummaryCase[] = [];
  for (const [name, query] of SUMMARIES) {
    const server = await startReportServer(store.dataDir, store.adminEmail, store.adminPassword);
    try {
      const path = `/reports/summary?${query}`;
      const cold = await timedGet(server, path);
      const warm: number[] = [];
      for (let i = 0; i < o.runs; i++) warm.push((await timedGet(server, path)).totalMs);
      const answer = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
      const body = (await answer.json()) as { agents: unknown[] };
      const c: SummaryCase = {
        name,
        query,
        agentRows: body.agents.length,
        answerBytes: cold.bytes,
        coldMs: Math.round(cold.totalMs * 10) / 10,
        warm: spreadOf(warm),
        serverRssMiB: processRss(server.pid)?.rssMiB,
      };
      summaries.push(c);
      log(
        `${name.padEnd(24)} cold ${c.coldMs} ms; ${o.runs} more: min ${c.warm.minMs}, median ${c.warm.medianMs}, p95 ${c.warm.p95Ms} ms (${c.agentRows} agents, ${c.answerBytes} bytes)`,
      );
    } finally {
      await server.stop();
    }
  }
  const server = await startReportServer(store.dataDir, store.adminEmail, store.adminPassword);
  let csv: CsvCase;
  try {
    const path = `/reports/conversations.csv?${MONTH}`;
    const before = processRss(server.pid)?.rssMiB;
    const runs = [];
    for (let i = 0; i < CSV_RUNS; i++) runs.push(await timedGet(server, path));
    const rows = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${server.token}` } })
      .then((r) => r.text())
      .then((text) => text.split('\r\n').length - 2);
    csv = {
      query: MONTH,
      rows,
      bytes: runs[0]!.bytes,
      firstByteMs: runs.map((r) => Math.round(r.firstByteMs * 10) / 10),
      totalMs: runs.map((r) => Math.round(r.totalMs)),
      mbPerSec: runs.map((r) => Math.round((r.bytes / 1e6 / (r.totalMs / 1000)) * 10) / 10),
      serverPeakRssMiB: processRss(server.pid)?.peakMiB,
      serverRssBeforeMiB: before,
    };
    log(
      `conversations.csv month: ${csv.rows} rows, ${Math.round(csv.bytes / 1e5) / 10} MB; first byte ${csv.firstByteMs.join(' / ')} ms; total ${csv.totalMs.join(' / ')} ms; ${csv.mbPerSec.join(' / ')} MB/s; server RSS ${csv.serverRssBeforeMiB} MiB before, peak ${csv.serverPeakRssMiB} MiB`,
    );
  } finally {
    await server.stop();
  }
  const { adminPassword: _secret, ...shown } = store;
  console.log(
    JSON.stringify({ store: shown, warmUp, summaries, csv, loadavg: readFileSync('/proc/loadavg', 'utf8').trim() }),
  );
}

/**
 * The server's background sum of past days and months (src/reports/period-warm-up.ts): a store just built
 * has none kept, so the first start sums them all; later starts find them kept and sum nothing.
 */
async function warmUpPhase(dataDir: string): Promise<{ ms: number; turns: number; summed: number; kept: number }> {
  const port = await freePort();
  const child = spawnNode('switchboard', [...serverStartArgs(port, dataDir), '--log-level', 'info']);
  try {
    await waitForReadyz(child, port, 120_000);
    const line = await waitForStdout(child, /^.*report days and months summed.*$/m, 3_600_000);
    const { ms, turns, summed, kept } = JSON.parse(line[0]) as {
      ms: number;
      turns: number;
      summed: number;
      kept: number;
    };
    return { ms, turns, summed, kept };
  } finally {
    await stopChild(child);
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => stopAllChildren());
