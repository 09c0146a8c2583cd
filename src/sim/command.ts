/**
 * `switchboard simulate <scenario.json> [--replay <recording>] [--compare
 * <settings.json>] [--seed N] [--json]` (SIM-1, SIM-2): runs the scenario
 * (its arrivals, or a recording's), and with --compare a second run with the
 * settings changed, then prints both side by side (or as JSON).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applySettings, parseScenario, ScenarioError, type Scenario } from './scenario.js';
import { readRecording, RecordingError } from './recording.js';
import { replayedCustomers, syntheticCustomers, type SimCustomer } from './customers.js';
import { simulate, DEFAULT_START } from './simulator.js';
import { formatTable, report, type Report } from './report.js';

export const SIMULATE_USAGE =
  'usage: switchboard simulate <scenario.json> [--replay <recording.jsonl>] [--compare <settings.json>] [--seed N] [--json]';

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${what} ${path} is not JSON: ${(err as Error).message}`);
  }
}

/** The customers of a scenario: its recording's when it names one, else drawn from its arrival streams. */
export function customersOf(s: Scenario, baseDir: string): { customers: SimCustomer[]; scenario: Scenario } {
  if (s.replay === undefined)
    return {
      customers: syntheticCustomers(s, s.start !== undefined ? Date.parse(s.start) : DEFAULT_START),
      scenario: s,
    };
  const recording = readRecording(resolve(baseDir, s.replay));
  const hours = (recording.end - recording.start) / 3_600_000;
  // The replay runs over the recorded stretch, from the recorded start.
  const scenario: Scenario = {
    ...s,
    start: new Date(recording.start).toISOString(),
    durationHours: Math.max(s.durationHours, hours),
  };
  return { customers: replayedCustomers(scenario, recording.conversations), scenario };
}

export interface SimulateOutput {
  runs: Report[];
}

/** Runs the command; returns the process exit code. */
export async function simulateCommand(
  argv: string[],
  write: (text: string) => void,
  writeError: (text: string) => void,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        replay: { type: 'string' },
        compare: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    writeError(`${(err as Error).message}\n${SIMULATE_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    writeError(`${SIMULATE_USAGE}\n`);
    return 2;
  }
  try {
    const path = resolve(positionals[0]!);
    const raw = readJson(path, 'scenario') as Record<string, unknown>;
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed))
      throw new ScenarioError(`--seed must be a whole number, not "${values.seed}"`);
    const base = parseScenario({
      ...raw,
      ...(seed !== undefined ? { seed } : {}),
      ...(values.replay !== undefined ? { replay: resolve(values.replay) } : {}),
    });
    const runs: Report[] = [];
    const one = async (s: Scenario, label: string): Promise<void> => {
      const { customers, scenario } = customersOf(s, dirname(path));
      runs.push(report(await simulate(scenario, customers), label));
    };
    await one(base, values.compare === undefined ? 'run' : 'base');
    if (values.compare !== undefined) {
      const patch = readJson(resolve(values.compare), 'settings') as Record<string, unknown>;
      await one(applySettings(base, patch), 'compare');
    }
    write(values.json ? `${JSON.stringify({ runs } satisfies SimulateOutput, null, 2)}\n` : `${formatTable(runs)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ScenarioError || err instanceof RecordingError) {
      writeError(`${err.message}\n`);
      return 2;
    }
    // A setting the workspace refuses (e.g. an unknown policy) comes back as a protocol error naming the field.
    const e = err as { code?: string; field?: string; message: string };
    if (e.code !== undefined) {
      writeError(`scenario refused: ${e.message}${e.field ? ` (${e.field})` : ''} [${e.code}]\n`);
      return 2;
    }
    throw err;
  }
}
