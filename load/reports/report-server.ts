/**
 * MON-2 benchmark: the real server started as its own process on the year's
 * data directory (the directory is kept: it is the cached store), and an
 * admin session for the report routes. Each start is a cold server: the
 * first report reads its rollups from the store, not from memory.
 */
import {
  freePort,
  HOST,
  serverStartArgs,
  spawnNode,
  stopChild,
  waitForReadyz,
  type Child,
} from '../harness/processes.js';

export interface ReportServer {
  child: Child;
  pid: number;
  base: string;
  token: string;
  stop(): Promise<void>;
}

export async function startReportServer(dataDir: string, email: string, password: string): Promise<ReportServer> {
  const port = await freePort();
  const child = spawnNode('switchboard', serverStartArgs(port, dataDir));
  try {
    await waitForReadyz(child, port, 120_000);
    const base = `http://${HOST}:${port}/api/v1`;
    const res = await fetch(`${base}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const body = (await res.json()) as { token?: string };
    if (res.status !== 200 || !body.token) throw new Error(`sign-in answered ${res.status}`);
    const pid = child.proc.pid;
    if (pid === undefined) throw new Error('the server has no pid');
    return { child, pid, base, token: body.token, stop: () => stopChild(child) };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}
