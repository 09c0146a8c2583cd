/**
 * Child processes of the load harness (servers and client workers) and what
 * /proc tells about them. Every child spawned here is SIGKILLed when the
 * harness exits for any reason, and every data directory registered here is
 * deleted, so an interrupted or failed run leaves nothing behind.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sleep } from './measure.js';

export const HOST = '127.0.0.1';

const SWITCHBOARD_CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

/** The arguments of a benchmark server: `switchboard start` on loopback, on `dataDir`, no demo, quiet logs. */
export const serverStartArgs = (port: number, dataDir: string): string[] => [
  SWITCHBOARD_CLI,
  'start',
  '--host',
  HOST,
  '--port',
  String(port),
  '--data',
  dataDir,
  '--no-demo',
  '--log-level',
  'warn',
];

export interface Child {
  name: string;
  proc: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<void>;
}

const children = new Set<Child>();
const dataDirs = new Set<string>();

/** Keeps at most ~1 MB of a child's output. */
const keepTail = (s: string): string => (s.length > 1_000_000 ? s.slice(-500_000) : s);

function track(name: string, proc: ChildProcess): Child {
  const child: Child = {
    name,
    proc,
    stdout: '',
    stderr: '',
    exited: new Promise((done) => proc.once('exit', () => done())),
  };
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    child.stdout = keepTail(child.stdout + chunk);
  });
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    child.stderr = keepTail(child.stderr + chunk);
  });
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

/** A Node script as a child process (a server), its output captured. */
export function spawnNode(name: string, args: string[]): Child {
  return track(name, spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } }));
}

/** A Node script as a child process with an IPC channel (a client worker). */
export function forkNode(name: string, script: string, args: string[] = []): Child {
  return track(
    name,
    fork(script, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env }, serialization: 'json' }),
  );
}

export const running = (c: Child): boolean => c.proc.exitCode === null && c.proc.signalCode === null;

/** SIGTERM (a graceful stop, which also writes a --cpu-prof profile), then SIGKILL if it lingers. */
export async function stopChild(c: Child, graceMs = 10_000): Promise<void> {
  if (!running(c)) return;
  c.proc.kill('SIGTERM');
  await exitedWithin(c, graceMs);
  if (running(c)) {
    c.proc.kill('SIGKILL');
    await exitedWithin(c, 2000);
  }
}

/** Waits for the child to exit, at most `ms` (the timer is cleared, so it never holds the harness open). */
async function exitedWithin(c: Child, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([c.exited, new Promise<void>((done) => (timer = setTimeout(done, ms)))]);
  clearTimeout(timer);
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c)));
}

export function registerDataDir(dir: string): void {
  dataDirs.add(dir);
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dataDirs.delete(dir);
}

// Last resort (uncaught error, process.exit): never leave a child or a data directory behind.
process.on('exit', () => {
  for (const c of children) if (running(c)) c.proc.kill('SIGKILL');
  for (const dir of dataDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
});

export const tail = (s: string, lines = 15): string => s.trimEnd().split('\n').slice(-lines).join('\n');

/** Resolves with the first match of `pattern` in the child's stdout; rejects if it exits or times out first. */
export async function waitForStdout(c: Child, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = c.stdout.match(pattern);
    if (m) return m;
    if (!running(c))
      throw new Error(
        `${c.name} exited (code ${String(c.proc.exitCode)}) before it was ready:\n${tail(c.stderr || c.stdout)}`,
      );
    if (Date.now() > deadline)
      throw new Error(`${c.name} not ready within ${timeoutMs} ms:\n${tail(c.stderr || c.stdout)}`);
    await sleep(25);
  }
}

export async function waitForReadyz(c: Child, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!running(c))
      throw new Error(
        `${c.name} exited (code ${String(c.proc.exitCode)}) before it was ready:\n${tail(c.stderr || c.stdout)}`,
      );
    try {
      const res = await fetch(`http://${HOST}:${port}/readyz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(50);
  }
  throw new Error(`${c.name}: /readyz not 200 within ${timeoutMs} ms (${last})`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}

export interface Rss {
  rssMiB: number;
  /** Peak resident set size since the process started (VmHWM). */
  peakMiB: number;
  rssKiB: number;
  /** Of the RSS: anonymous memory (heaps, buffers) and file-backed pages (LMDB's memory map, code), MiB. */
  anonMiB: number | undefined;
  fileMiB: number | undefined;
}

/** Resident and peak resident set size of a process, from /proc; undefined where unavailable. */
export function processRss(pid: number | undefined): Rss | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const rss = kib('VmRSS');
    const peak = kib('VmHWM');
    if (!Number.isFinite(rss)) return undefined;
    const mib = (k: number): number | undefined => (Number.isFinite(k) ? Math.round(k / 1024) : undefined);
    return {
      rssMiB: Math.round(rss / 1024),
      peakMiB: Math.round((Number.isFinite(peak) ? peak : rss) / 1024),
      rssKiB: rss,
      anonMiB: mib(kib('RssAnon')),
      fileMiB: mib(kib('RssFile')),
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds per thread of a process, by thread name (/proc/<pid>/task/<tid>/comm;
 * threads of one name summed): `main` is the JavaScript thread, `V8 Worker`s run GC
 * and compilation, `libuv-worker`s the thread pool, and threads started by native
 * addons (LMDB's writer) are named `node`. Split into user and system time; empty
 * where unavailable.
 */
export function threadCpuSeconds(pid: number | undefined): Map<string, { user: number; system: number }> {
  const out = new Map<string, { user: number; system: number }>();
  if (pid === undefined) return out;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Threads a native addon starts (LMDB's writer) inherit the name `node`: the main thread is told apart by its id.
      const name = tid === String(pid) ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const t = out.get(name) ?? { user: 0, system: 0 };
      t.user += Number(fields[11]) / 100;
      t.system += Number(fields[12]) / 100;
      out.set(name, t);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Open file descriptors of a process, from /proc; undefined where unavailable. */
export function openFds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/** The soft limit on open files of this process (children inherit it), from /proc. */
export function openFileLimit(): number | undefined {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const m = /^Max open files\s+(\d+)/m.exec(limits);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (all cores) the whole machine spent busy so far, from /proc/stat; undefined where unavailable. */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal …
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((a, x) => a + (x ?? 0), 0);
    return Number.isFinite(busy) ? busy / 100 : undefined;
  } catch {
    return undefined;
  }
}
