/** What a scenario reports of its phases: rows of the throughput table and goals met or missed. */
import type { PhaseResult } from './phase.js';
import { ofEcho, serverUsEach, type Goal, type Throughput } from './report.js';
import type { ScenarioContext } from './scenario-context.js';

/** The baseline's row of the throughput table. */
export function echoThroughput(ctx: ScenarioContext, echo: PhaseResult): Throughput {
  return {
    name: 'echo msgs/s (baseline)',
    perSec: ctx.echoMsgsPerSec,
    ofEcho: 1,
    serverUsEach: serverUsEach(echo, ctx.echoMsgsPerSec),
  };
}

/** A row of the throughput table: `perSec` events of `phase`, as a ratio of the echo and in server CPU per event. */
export function throughput(ctx: ScenarioContext, name: string, phase: PhaseResult, perSec: number): Throughput {
  return { name, perSec, ofEcho: ofEcho(perSec, ctx.echoMsgsPerSec), serverUsEach: serverUsEach(phase, perSec) };
}

export function latencyGoal(name: string, phase: PhaseResult | undefined, key: string, maxMs: number): Goal {
  const l = phase?.latency[key];
  return {
    name,
    target: `p99 ≤ ${maxMs} ms`,
    value: l ? `p99 ${l.p99Ms.toFixed(2)} ms (n=${l.count})` : 'not measured',
    met: l !== undefined && l.count > 0 && l.p99Ms <= maxMs,
  };
}

export const errorCount = (p: PhaseResult | undefined): number =>
  p ? Object.values(p.errors).reduce((a, b) => a + b, 0) : 0;

export function noErrorsGoal(p: PhaseResult | undefined): Goal {
  const n = errorCount(p);
  return {
    name: `${p?.name ?? '?'}: no errors or lost commands`,
    target: '0',
    value: String(n),
    met: p !== undefined && n === 0,
  };
}
