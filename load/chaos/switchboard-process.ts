/**
 * One real Switchboard server process (dist/src/cli.js) on a fixed loopback
 * port and data directory, for harnesses that kill it and start it again on
 * the same data: start, time until `/readyz` answers 200, SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
export const LOOPBACK = '127.0.0.1';

export interface SwitchboardProcess {
  proc: ChildProcess;
  port: number;
  /** Milliseconds from spawning the process until /readyz first answered 200. */
  readyMs: number;
  exited: Promise<void>;
  /** The last lines of stderr, for error messages. */
  stderrTail(): string;
}

const alive = (p: ChildProcess): boolean => p.exitCode === null && p.signalCode === null;
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts the server and resolves once /readyz answers 200 (polled every `pollMs`). */
export async function startSwitchboard(opts: {
  dataDir: string;
  port: number;
  args?: string[];
  timeoutMs?: number;
  pollMs?: number;
}): Promise<SwitchboardProcess> {
  const started = performance.now();
  const proc = spawn(
    process.execPath,
    [
      CLI,
      'start',
      '--data',
      opts.dataDir,
      '--host',
      LOOPBACK,
      '--port',
      String(opts.port),
      '--log-level',
      'warn',
      '--no-demo',
      ...(opts.args ?? []),
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stderrTail = (): string => stderr.trimEnd().split('\n').slice(-10).join('\n');
  const deadline = started + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (!alive(proc))
      throw new Error(
        `server exited (${String(proc.exitCode ?? proc.signalCode)}) before it was ready:\n${stderrTail()}`,
      );
    if (performance.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server not ready within ${opts.timeoutMs ?? 30_000} ms:\n${stderrTail()}`);
    }
    if (await readyz(opts.port)) break;
    await pause(opts.pollMs ?? 10);
  }
  return { proc, port: opts.port, readyMs: performance.now() - started, exited, stderrTail };
}

/** True when /readyz answers 200; false while nothing listens or it answers 503. */
export async function readyz(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://${LOOPBACK}:${port}/readyz`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** kill -9, resolved once the process is gone. */
export async function killSwitchboard(p: SwitchboardProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (alive(p.proc)) p.proc.kill(signal);
  await p.exited;
}

/** Resident set size of a process in MiB (Linux /proc), undefined elsewhere. */
export function rssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
