/**
 * The harness's report: one JSON object per scenario run (`--json` prints
 * only that), and the same figures as tables for people. Every throughput is
 * also given as a ratio against the bare echo server measured in the same
 * run, because absolute figures on a small shared machine move with the
 * neighbours' load and only same-run ratios compare across runs.
 */
import type { LatencySummary } from './measure.js';
import type { PhaseResult } from './phase.js';

export interface Goal {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface Throughput {
  name: string;
  perSec: number;
  /** perSec ÷ the echo baseline's msgs/s. */
  ofEcho: number | undefined;
  /** Server CPU per event, µs (its CPU in the window ÷ the events): the cost of one, less sensitive to neighbours than the rate. */
  serverUsEach?: number | undefined;
}

/** Server CPU µs per event of a phase that ran `perSec` events per second. */
export const serverUsEach = (
  p: { serverCpuPct: number | undefined } | undefined,
  perSec: number,
): number | undefined =>
  p?.serverCpuPct === undefined || perSec <= 0 ? undefined : Math.round(((p.serverCpuPct / 100) * 1e6) / perSec);

export interface ScenarioReport {
  scenario: string;
  at: string;
  command: string;
  node: string;
  cpus: number;
  workers: number;
  /** Largest clock difference estimated between the harness and a worker, ms: the error bound of cross-process latencies. */
  clockSkewMs: number;
  echo: PhaseResult | undefined;
  echoMsgsPerSec: number;
  phases: PhaseResult[];
  throughputs: Throughput[];
  goals: Goal[];
  notes: string[];
  /** Scenario-specific figures (connections, RSS per connection, profiles). */
  extra: Record<string, unknown>;
}

export const ofEcho = (perSec: number, echo: number): number | undefined =>
  echo > 0 ? Math.round((perSec / echo) * 1000) / 1000 : undefined;

export function table(rows: (string | number | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined ? '-' : String(c))));
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length))) ?? [];
  return cells
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

const f2 = (x: number): string => x.toFixed(2);
const pctOf = (x: number | undefined): string | undefined => (x === undefined ? undefined : `${(x * 100).toFixed(1)}%`);

function latencyRows(latency: Record<string, LatencySummary>): (string | number | undefined)[][] {
  return Object.entries(latency).map(([name, l]) => [
    name,
    l.count,
    f2(l.p50Ms),
    f2(l.p90Ms),
    f2(l.p99Ms),
    f2(l.p999Ms),
    f2(l.maxMs),
  ]);
}

function phaseText(p: PhaseResult, echo: number): string[] {
  const lines = [`${p.name} (${p.durationS} s window):`];
  const rates = Object.entries(p.perSec);
  if (rates.length)
    lines.push(
      table([['  per second', '/s', 'of echo'], ...rates.map(([k, v]) => [`  ${k}`, v, pctOf(ofEcho(v, echo))])]),
    );
  if (Object.keys(p.latency).length)
    lines.push(
      table([
        ['  latency ms', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max'],
        ...latencyRows(p.latency).map((r) => [`  ${String(r[0])}`, ...r.slice(1)]),
      ]),
    );
  const sm = p.server;
  if (sm)
    lines.push(
      `  server (its /metrics): ${sm.commits} store commits, ${sm.writesPerCommit ?? '-'} writes each, commit p50 ${sm.commitP50Ms ?? '-'} ms p99 ${sm.commitP99Ms ?? '-'} ms; event-loop delay p99 ${sm.loopDelayP99Ms ?? '-'} ms max ${sm.loopDelayMaxMs ?? '-'} ms`,
    );
  lines.push(
    `  server CPU ${p.serverCpuPct ?? '-'}%  RSS ${p.serverRssMiB ?? '-'} MiB (anon ${p.serverAnonMiB ?? '-'}, file ${p.serverFileMiB ?? '-'}; peak ${p.serverPeakRssMiB ?? '-'})  clients CPU ${p.clientCpuPct}% (loop p99 ${p.clientLoopDelayP99Ms} ms)  other processes ${p.otherCpuPct ?? '-'}%  (% of one core)`,
  );
  const threads = Object.entries(p.serverThreads).sort(
    (a, b) => b[1].userPct + b[1].systemPct - (a[1].userPct + a[1].systemPct),
  );
  if (threads.length)
    lines.push(
      `  server threads (user+system % of a core): ${threads.map(([k, t]) => `${k} ${t.userPct}+${t.systemPct}`).join(', ')}`,
    );
  const totals = Object.entries(p.totals);
  if (totals.length) lines.push(`  whole run: ${totals.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const errors = Object.entries(p.errors);
  lines.push(`  errors: ${errors.length ? errors.map(([k, v]) => `${k} ${v}`).join(', ') : 'none'}`);
  return lines;
}

export function reportText(r: ScenarioReport): string {
  const lines = [
    '',
    `Scenario ${r.scenario} — ${r.at}, node ${r.node}, ${r.cpus} CPUs, ${r.workers} client workers, clock skew ≤ ${r.clockSkewMs} ms`,
    `command: ${r.command}`,
    '',
  ];
  if (r.echo) lines.push(...phaseText(r.echo, r.echoMsgsPerSec).map((l, i) => (i === 0 ? `baseline: ${l}` : l)), '');
  for (const p of r.phases) lines.push(...phaseText(p, r.echoMsgsPerSec), '');
  if (r.throughputs.length) {
    lines.push(
      table([
        ['throughput', '/s', 'of echo', 'server CPU µs each'],
        ...r.throughputs.map((t) => [t.name, t.perSec, pctOf(t.ofEcho), t.serverUsEach]),
      ]),
      '',
    );
  }
  const extra = Object.entries(r.extra).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
  if (extra.length) lines.push(...extra.map(([k, v]) => `${k}: ${String(v)}`), '');
  if (r.goals.length)
    lines.push(
      table([
        ['goal', 'target', 'measured', ''],
        ...r.goals.map((g) => [g.name, g.target, g.value, g.met ? 'met' : 'NOT met']),
      ]),
      '',
    );
  for (const n of r.notes) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

/** Notes any reader needs about a phase: client saturation, neighbours, errors. */
export function phaseNotes(p: PhaseResult, cpus: number, workers: number): string[] {
  const notes: string[] = [];
  if (p.clientCpuPct > 90 * Math.min(workers, cpus))
    notes.push(
      `${p.name}: the client workers used ${p.clientCpuPct}% CPU, all they could get: the figures may be client-bound`,
    );
  if ((p.otherCpuPct ?? 0) > 20)
    notes.push(
      `${p.name}: other processes used ${p.otherCpuPct}% of a core during the window: the figures are disturbed`,
    );
  const errs = Object.values(p.errors).reduce((a, b) => a + b, 0);
  if (errs) notes.push(`${p.name}: ${errs} errors ${JSON.stringify(p.errors)}`);
  return notes;
}
