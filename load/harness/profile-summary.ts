/**
 * Where the server's time went: self time per function in a V8 CPU profile
 * (`node --cpu-prof`), restricted to a measurement window when the profile
 * covers it. Profile timestamps are microseconds of the monotonic clock,
 * which `monotonicUs` reads in this process too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  selfPct: number;
  selfMs: number;
}

export interface ProfileSummary {
  file: string;
  /** True when only the measurement window was counted. */
  window: boolean;
  functions: HotFunction[];
}

/** Microseconds on the monotonic clock; V8's CPU profile timestamps use the same clock on Linux. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** The newest profile in `dir`, summarized; undefined when there is none. */
export function topSelfTime(dir: string, fromUs: number, toUs: number, count = 15): ProfileSummary | undefined {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  } catch {
    return undefined;
  }
  const file = files[0];
  if (!file) return undefined;
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
  const window = prof.startTime <= fromUs && toUs <= prof.endTime;
  const self = new Map<string, number>();
  let t = prof.startTime;
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i] ?? 0;
    const dt = prof.timeDeltas[i + 1] ?? 0;
    if (window && (t < fromUs || t >= toUs)) continue;
    const cf = frames.get(prof.samples[i] ?? -1);
    if (!cf) continue;
    const where = cf.url ? ` ${basename(cf.url)}:${cf.lineNumber + 1}` : '';
    const name = `${cf.functionName || '(anonymous)'}${where}`;
    self.set(name, (self.get(name) ?? 0) + dt);
    total += dt;
  }
  const functions = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({
      name,
      selfMs: Math.round(us / 1000),
      selfPct: total ? Math.round((us / total) * 1000) / 10 : 0,
    }));
  return { file, window, functions };
}
