/**
 * What a simulated run measured (SIM-1), as JSON and as a table; two runs
 * side by side for a what-if (SIM-2). Definitions, also in
 * docs/simulation.md:
 *
 *  - measured customers: those arriving after the warm-up. "Live" ones waited
 *    in line; those told to leave a message (queue full, nobody online,
 *    closed: QUEUE-4/6) are counted apart, as are starts the server refused.
 *  - wait: arrival to first assignment, over live customers who were served.
 *  - service level: live customers assigned within X s ÷ live customers
 *    (served + abandoned + still waiting at the end). Abandoned ones count as
 *    missed, whenever they left.
 *  - abandonment: live customers who left before an agent took them ÷ live.
 *  - occupancy: conversation slots in use ÷ slots available, both integrated
 *    over the time agents were online or busy.
 *  - fairness: assignments per agent: min, max, mean and coefficient of
 *    variation (standard deviation ÷ mean) over all agents.
 */
import type { RunResult } from './outcomes.js';
import { erlangC, serviceLevel, type ErlangC } from './erlang-c.js';
import { meanSec } from './random.js';
import type { Scenario } from './scenario.js';
import { REPORT_ROWS, reportsPart, type ReportsPart } from './report-reports.js';

export interface Report {
  label: string;
  name?: string;
  simulatedHours: number;
  customers: number;
  served: number;
  abandoned: number;
  leftMessage: number;
  refused: number;
  unfinished: number;
  serviceLevel: { withinSec: number; percent: number };
  waitSec: { mean: number; p50: number; p90: number; p99: number; max: number };
  abandonmentPercent: number;
  occupancyPercent: number;
  fairness: { agents: number; min: number; max: number; mean: number; cv: number };
  agents: { id: string; assignments: number; occupancyPercent: number }[];
  departments?: {
    id: string;
    customers: number;
    serviceLevelPercent: number;
    meanWaitSec: number;
    abandonmentPercent: number;
  }[];
  /** The textbook case only: what Erlang C says for the same load. */
  erlangC?: { agents: number; utilisation: number; probWait: number; meanWaitSec: number; serviceLevelPercent: number };
  /** MON-2: what the live reports compute for the run (docs/reports.md), from the run's rollups. */
  reports: ReportsPart;
  perf: { wallMs: number; conversationsPerSec: number; timersFired: number };
}

const round = (x: number, digits = 2): number => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * The Erlang C figures when the scenario is the textbook case: one
 * department on round robin handing out at once, c agents of capacity 1 on
 * duty all the time, one Poisson stream at a constant rate, exponential
 * handle times, nobody abandoning, and nothing else in the way.
 */
export function textbookCase(s: Scenario): ErlangC | undefined {
  const d = s.departments[0];
  const stream = s.arrivals?.[0];
  if (s.departments.length !== 1 || !d || !stream || s.arrivals!.length !== 1 || s.replay !== undefined)
    return undefined;
  if ((d.policy ?? 'round_robin') !== 'round_robin' || (d.offerMode ?? 'auto') !== 'auto') return undefined;
  const extras: (keyof typeof d)[] = [
    'responseTimeoutSec',
    'sticky',
    'widening',
    'fairnessCap',
    'maxQueueLength',
    'hours',
  ];
  if (extras.some((k) => d[k] !== undefined)) return undefined;
  if (s.workspace?.autoAssign === false || s.workspace?.keywordRules?.length) return undefined;
  const handle = stream.handleTime ?? s.handleTime;
  if (
    handle.dist !== 'exponential' ||
    (stream.patience ?? s.patience) !== undefined ||
    stream.ratePerHour === undefined ||
    stream.needs !== undefined
  )
    return undefined;
  let agents = 0;
  for (const a of s.agents) {
    if (
      a.shifts !== undefined ||
      (a.maxConcurrent ?? d.defaultMaxConcurrent ?? 5) !== 1 ||
      a.skills?.length ||
      (a.tier ?? 1) !== 1
    )
      return undefined;
    agents += a.count ?? 1;
  }
  if (agents === 0 || stream.ratePerHour <= 0) return undefined;
  try {
    return erlangC(agents, stream.ratePerHour / 3600, 1 / meanSec(handle));
  } catch {
    return undefined;
  }
}

export function report(run: RunResult, label: string): Report {
  const s = run.scenario;
  const withinSec = s.serviceLevelSec ?? 20;
  const measured = run.customers.filter((c) => c.arrivedAt >= run.measureFrom);
  // From the instant the conversation started (its `created`), as the reports' wait: not the drawn arrival
  // time, which the clock reaches only to within float rounding.
  const waitOf = (c: (typeof measured)[number]): number =>
    (c.assignedAt! - (c.startedAt ?? run.start + c.arrivedAt)) / 1000;
  const figures = (group: typeof measured) => {
    const live = group.filter((c) => c.leftMessage === undefined && c.refused === undefined);
    const served = live.filter((c) => c.assignedAt !== undefined);
    const waits = served.map(waitOf).sort((a, b) => a - b);
    const abandoned = live.filter(
      (c) => c.assignedAt === undefined && (c.end === 'abandoned' || c.end === 'left'),
    ).length;
    const within = waits.filter((w) => w <= withinSec).length;
    return {
      live,
      served,
      waits,
      abandoned,
      mean: waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : 0,
      slPercent: live.length ? (100 * within) / live.length : 100,
      abandonPercent: live.length ? (100 * abandoned) / live.length : 0,
    };
  };
  const all = figures(measured);
  const counts = run.agents.map((a) => a.assignments);
  const mean = counts.length ? counts.reduce((a, b) => a + b, 0) / counts.length : 0;
  const sd = counts.length ? Math.sqrt(counts.reduce((a, b) => a + (b - mean) ** 2, 0) / counts.length) : 0;
  const used = run.agents.reduce((a, b) => a + b.usedMs, 0);
  const available = run.agents.reduce((a, b) => a + b.availableMs, 0);
  const ec = textbookCase(s);
  const firstDepartment = s.departments[0]!.id;
  const departments =
    s.departments.length > 1
      ? s.departments.map((d) => {
          const f = figures(measured.filter((c) => (c.department ?? firstDepartment) === d.id));
          return {
            id: d.id,
            customers: f.live.length,
            serviceLevelPercent: round(f.slPercent),
            meanWaitSec: round(f.mean),
            abandonmentPercent: round(f.abandonPercent),
          };
        })
      : undefined;
  return {
    label,
    ...(s.name !== undefined ? { name: s.name } : {}),
    simulatedHours: round((run.end - run.start) / 3_600_000),
    customers: measured.length,
    served: all.served.length,
    abandoned: all.abandoned,
    leftMessage: measured.filter((c) => c.leftMessage !== undefined).length,
    refused: measured.filter((c) => c.refused !== undefined).length,
    unfinished: all.live.length - all.served.length - all.abandoned,
    serviceLevel: { withinSec, percent: round(all.slPercent) },
    waitSec: {
      mean: round(all.mean),
      p50: round(quantile(all.waits, 0.5)),
      p90: round(quantile(all.waits, 0.9)),
      p99: round(quantile(all.waits, 0.99)),
      max: round(all.waits[all.waits.length - 1] ?? 0),
    },
    abandonmentPercent: round(all.abandonPercent),
    occupancyPercent: round(available ? (100 * used) / available : 0),
    fairness: {
      agents: counts.length,
      min: counts.length ? Math.min(...counts) : 0,
      max: counts.length ? Math.max(...counts) : 0,
      mean: round(mean),
      cv: round(mean ? sd / mean : 0, 4),
    },
    agents: run.agents.map((a) => ({
      id: a.id,
      assignments: a.assignments,
      occupancyPercent: round(a.availableMs ? (100 * a.usedMs) / a.availableMs : 0),
    })),
    ...(departments ? { departments } : {}),
    ...(ec
      ? {
          erlangC: {
            agents: ec.agents,
            utilisation: round(ec.utilisation, 4),
            probWait: round(ec.probWait, 4),
            meanWaitSec: round(ec.meanWaitSec),
            serviceLevelPercent: round(100 * serviceLevel(ec, withinSec)),
          },
        }
      : {}),
    reports: reportsPart(run.reports),
    perf: {
      wallMs: Math.round(run.wallMs),
      conversationsPerSec: Math.round(run.customers.length / (run.wallMs / 1000)),
      timersFired: run.timersFired,
    },
  };
}

/** Reports side by side: one column per run. */
export function formatTable(reports: readonly Report[]): string {
  const rows: [string, ...string[]][] = [];
  const row = (name: string, f: (r: Report) => string | number | undefined): void => {
    const cells = reports.map((r) => f(r));
    if (cells.every((c) => c === undefined)) return;
    rows.push([name, ...cells.map((c) => (c === undefined ? '' : String(c)))]);
  };
  row('', (r) => r.label);
  row('scenario', (r) => r.name);
  row('simulated hours', (r) => r.simulatedHours);
  row('customers', (r) => r.customers);
  row('served', (r) => r.served);
  row('abandoned', (r) => r.abandoned);
  row('left a message', (r) => r.leftMessage);
  row('refused', (r) => (r.refused ? r.refused : undefined));
  row('still waiting at end', (r) => r.unfinished);
  row('service level', (r) => `${r.serviceLevel.percent}% within ${r.serviceLevel.withinSec}s`);
  row('  Erlang C', (r) => (r.erlangC ? `${r.erlangC.serviceLevelPercent}%` : undefined));
  row('wait mean (s)', (r) => r.waitSec.mean);
  row('  Erlang C', (r) => r.erlangC?.meanWaitSec);
  row('wait p50 / p90 / p99 (s)', (r) => `${r.waitSec.p50} / ${r.waitSec.p90} / ${r.waitSec.p99}`);
  row('wait max (s)', (r) => r.waitSec.max);
  row('abandonment', (r) => `${r.abandonmentPercent}%`);
  row('occupancy', (r) => `${r.occupancyPercent}%`);
  row('agents', (r) => r.fairness.agents);
  row('assignments min / max', (r) => `${r.fairness.min} / ${r.fairness.max}`);
  row('assignments mean / CV', (r) => `${r.fairness.mean} / ${r.fairness.cv}`);
  const departmentIds = [...new Set(reports.flatMap((r) => (r.departments ?? []).map((d) => d.id)))];
  for (const id of departmentIds) {
    row(`[${id}] SL / wait mean / abandoned`, (r) => {
      const d = r.departments?.find((x) => x.id === id);
      return d ? `${d.serviceLevelPercent}% / ${d.meanWaitSec}s / ${d.abandonmentPercent}%` : undefined;
    });
  }
  rows.push(['reports (MON-2)', ...reports.map(() => '')]);
  for (const [name, cell] of REPORT_ROWS) row(`  ${name}`, (r) => cell(r.reports.total, r.reports.serviceLevelSec));
  row('wall time (ms)', (r) => r.perf.wallMs);
  row('conversations / s', (r) => r.perf.conversationsPerSec);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}
