/**
 * Runs the real server as a child process (dist/src/cli.js), so tests can
 * kill it with SIGKILL or SIGTERM and start it again on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli.js');

export interface Credential {
  role: string;
  email: string;
  password: string;
  token: string;
}

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  /** Demo credentials by account id, printed at first start only. */
  credentials: Map<string, Credential>;
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startServerProcess(
  dataDir: string,
  extraArgs: string[] = [],
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  const proc = spawn(
    process.execPath,
    [cli, 'start', '--data', dataDir, '--port', '0', '--log-level', 'info', ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const credentials = new Map<string, Credential>();
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${stderr}`));
    });
    let listening: Record<string, unknown> | undefined;
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      const cred = /^\s+(\w+)\s+(\S+@\S+)\s+password: (\S+)\s+token: (\S+)/.exec(line);
      if (cred)
        credentials.set(cred[2]!.split('@')[0]!, {
          role: cred[1]!,
          email: cred[2]!,
          password: cred[3]!,
          token: cred[4]!,
        });
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'switchboard listening') listening = entry;
    });
    // A first start prints its demo credentials right after the listening line: wait for every one of them,
    // however late a loaded machine delivers them, rather than for a guessed moment.
    const ready = (): void => {
      if (!listening || credentials.size < ((listening.demoAccounts as number | undefined) ?? 0)) return;
      clearTimeout(timer);
      resolve({ proc, port: listening.port as number, credentials, logs, exited });
    };
    lines.on('line', ready);
  });
}

/** Runs one CLI command to its end (backup, restore, a start that must fail) and collects its output. */
export function runCli(
  args: string[],
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`switchboard ${args.join(' ')} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
