/**
 * Runs Debian's nginx for a test (WEB-1, the reverse-proxy configuration of
 * docs/tls.md): in the foreground, one process, on an unprivileged port,
 * with its own prefix holding its configuration, logs, pid and temporary
 * files; no system service is touched. Stopped with its test.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const nginxPath = '/usr/sbin/nginx';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A port free at this moment on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts nginx with `site` (a configuration for inside its `http` block) and waits until `port` accepts. */
export async function startNginx(t: Teardown, site: string, port: number): Promise<{ prefix: string }> {
  if (!existsSync(nginxPath))
    throw new Error(`${nginxPath} is missing: npm test installs it (as root), or apt-get install nginx`);
  const prefix = mkdtempSync(join(tmpdir(), 'switchboard-nginx-'));
  writeFileSync(join(prefix, 'switchboard.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((k) => `    ${k}_temp_path ${join(prefix, k)};`)
    .join('\n');
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log stderr notice;
events { worker_connections 256; }
http {
    access_log ${join(prefix, 'access.log')};
${temp}
    include ${join(prefix, 'switchboard.conf')};
}
`,
  );
  // -e: the log nginx writes before it has read the configuration goes to stderr, not to /var/log.
  const proc = spawn(nginxPath, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  t.teardown(async () => {
    proc.kill('SIGTERM');
    await exited;
    rmSync(prefix, { recursive: true, force: true });
  });
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}): ${stderr}`);
    if (await accepting(port)) return { prefix };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}: ${stderr}`);
}

/** The access log nginx wrote, for a test to see what went through it. */
export const accessLog = (prefix: string): string => readFileSync(join(prefix, 'access.log'), 'utf8');
