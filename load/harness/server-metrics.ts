/**
 * The server's own view of a measured window, from its /metrics (OPS-4):
 * scraped at the window's edges, the difference of the two scrapes gives the
 * window's store commits (count, writes per commit, p50 and p99 from the
 * `switchboard_store_commit_seconds` buckets) and its event-loop delay
 * (`switchboard_event_loop_delay_seconds` covers the time since the
 * previous scrape, so the second scrape is the window's). They stand beside
 * the client latencies: a client p99 far above both points elsewhere than
 * commits and stalls of the main thread.
 */

export interface ServerMetrics {
  commits: number;
  writesPerCommit: number | undefined;
  /** Interpolated within the histogram's buckets (load/harness/server-metrics.ts). */
  commitP50Ms: number | undefined;
  commitP99Ms: number | undefined;
  loopDelayP99Ms: number | undefined;
  loopDelayMaxMs: number | undefined;
}

/** One scrape: every sample by its name and labels as written (`name{a="b"}`). */
export type Scrape = Map<string, number>;

export function parseMetrics(text: string): Scrape {
  const samples: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    const value = Number(line.slice(at + 1));
    if (at > 0 && !Number.isNaN(value)) samples.set(line.slice(0, at), value);
  }
  return samples;
}

/** Scrapes `url`; undefined (never a failed run) when the server does not answer in time. */
export async function scrapeMetrics(url: string | undefined): Promise<Scrape | undefined> {
  if (url === undefined) return undefined;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return res.ok ? parseMetrics(await res.text()) : undefined;
  } catch {
    return undefined;
  }
}

const COMMIT = 'switchboard_store_commit_seconds';
const LOOP = 'switchboard_event_loop_delay_seconds';
const ms = (s: number | undefined): number | undefined => (s === undefined ? undefined : Math.round(s * 1e6) / 1000);

/** The `q` quantile (0–1) of the observations between two scrapes of a histogram, interpolated linearly within its bucket. */
export function histogramQuantile(name: string, from: Scrape, to: Scrape, q: number): number | undefined {
  const buckets: { le: number; count: number }[] = [];
  const prefix = `${name}_bucket{le="`;
  for (const [key, value] of to) {
    if (!key.startsWith(prefix)) continue;
    const le = key.slice(prefix.length, key.indexOf('"', prefix.length));
    buckets.push({ le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), count: value - (from.get(key) ?? 0) });
  }
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.count ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      // Past the last bound there is nothing to interpolate to: the last finite bound is a lower bound.
      if (!Number.isFinite(b.le)) return lower;
      const inside = b.count - below;
      return inside <= 0 ? b.le : lower + ((b.le - lower) * (rank - below)) / inside;
    }
    lower = b.le;
    below = b.count;
  }
  return lower;
}

export function serverMetrics(from: Scrape | undefined, to: Scrape | undefined): ServerMetrics | undefined {
  if (!from || !to) return undefined;
  const diff = (key: string): number => (to.get(key) ?? 0) - (from.get(key) ?? 0);
  const commits = diff(`${COMMIT}_count`);
  const writes = diff('switchboard_store_writes_total');
  return {
    commits,
    writesPerCommit: commits > 0 ? Math.round((writes / commits) * 10) / 10 : undefined,
    commitP50Ms: ms(histogramQuantile(COMMIT, from, to, 0.5)),
    commitP99Ms: ms(histogramQuantile(COMMIT, from, to, 0.99)),
    loopDelayP99Ms: ms(to.get(`${LOOP}{quantile="0.99"}`)),
    loopDelayMaxMs: ms(to.get(`${LOOP}{quantile="1"}`)),
  };
}
