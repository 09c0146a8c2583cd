/**
 * MON-2 benchmark: one GET of a report route timed from the request to the
 * last byte of the answer (and to its first byte, for the streamed CSV),
 * and the spread of repeated calls.
 */
import type { ReportServer } from './report-server.js';

export interface Fetched {
  status: number;
  bytes: number;
  firstByteMs: number;
  totalMs: number;
}

export async function timedGet(server: ReportServer, path: string): Promise<Fetched> {
  const started = performance.now();
  const res = await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
  let firstByteMs = Number.NaN;
  let bytes = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    if (bytes === 0) firstByteMs = performance.now() - started;
    bytes += chunk.value.byteLength;
  }
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  return { status: res.status, bytes, firstByteMs, totalMs: performance.now() - started };
}

export interface Spread {
  runs: number;
  minMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export function spreadOf(ms: readonly number[]): Spread {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return {
    runs: s.length,
    minMs: round(s[0]!),
    medianMs: round(at(0.5)),
    p95Ms: round(at(0.95)),
    maxMs: round(s[s.length - 1]!),
  };
}
