/**
 * The servers a scenario drives, as child processes of the harness on
 * 127.0.0.1: the bare uWebSockets.js echo server (the baseline), and
 * Switchboard itself (`dist/src/cli.js start --no-demo`) on a fresh data
 * directory seeded with one department and N agent accounts
 * (load/harness/bench-seed.ts). Or an already running Switchboard given by URL, with
 * its agents' tokens from a file written by `npm run load -- seed`.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedBenchWorkspace } from './bench-seed.js';
import {
  freePort,
  HOST,
  registerDataDir,
  removeDataDir,
  serverStartArgs,
  spawnNode,
  stopChild,
  waitForReadyz,
  waitForStdout,
  type Child,
} from './processes.js';
import type { AgentAccount } from './worker-protocol.js';

const ECHO_SERVER = fileURLToPath(new URL('./echo-server.js', import.meta.url));

export interface EchoServer {
  child: Child;
  url: string;
  native: boolean;
}

export async function startEchoServer(): Promise<EchoServer> {
  const child = spawnNode('echo server', [ECHO_SERVER, '--host', HOST, '--port', '0']);
  try {
    const m = await waitForStdout(child, /^(\{"listening":true.*\})$/m, 10_000);
    const info = JSON.parse(m[1] ?? '{}') as { port?: unknown; native?: unknown };
    if (typeof info.port !== 'number') throw new Error(`echo server printed no port: ${m[1] ?? ''}`);
    await waitForReadyz(child, info.port, 10_000);
    return { child, url: `ws://${HOST}:${info.port}/v1/visitor`, native: info.native === true };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}

export interface Workspace {
  department: string;
  agents: AgentAccount[];
  /** A supervisor of the department (MON-1), when seeded with one. */
  supervisor?: AgentAccount;
}

export interface Switchboard {
  /** Undefined for a server given by URL. */
  child: Child | undefined;
  pid: number | undefined;
  base: string;
  /** GET /metrics (OPS-4), read at each window's edges. */
  metricsUrl: string;
  visitorUrl: string;
  staffUrl: string;
  workspace: Workspace;
  native: boolean;
  /** Stops the server (if the harness started it) and deletes its data directory. */
  stop(): Promise<void>;
}

export interface SwitchboardOptions {
  agents: number;
  maxConcurrent: number;
  department: string;
  /** Run the server under `node --cpu-prof`, profiles written here. */
  profileDir: string | undefined;
  /** Seed a supervisor of the department too. */
  supervisor?: boolean;
}

/**
 * `LOAD_SERVER_NODE_FLAGS`: node flags for the Switchboard process (say
 * `--max-semi-space-size=64` or `--trace-gc`), split on white space, so that
 * one can try the runtime's settings without touching the harness.
 */
export function serverNodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const flags = (env.LOAD_SERVER_NODE_FLAGS ?? '').split(/\s+/).filter((f) => f !== '');
  const bad = flags.find((f) => !f.startsWith('-'));
  if (bad !== undefined) throw new Error(`LOAD_SERVER_NODE_FLAGS holds "${bad}", which is not a node flag`);
  return flags;
}

export async function startSwitchboard(opts: SwitchboardOptions): Promise<Switchboard> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-load-'));
  registerDataDir(dataDir);
  let child: Child | undefined;
  try {
    const { agents, supervisor } = await seedBenchWorkspace({
      dataDir,
      department: opts.department,
      agents: opts.agents,
      maxConcurrent: opts.maxConcurrent,
      ...(opts.supervisor ? { supervisor: true } : {}),
    });
    const port = await freePort();
    if (opts.profileDir) mkdirSync(opts.profileDir, { recursive: true });
    const prof = opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profileDir] : [];
    const nodeFlags = serverNodeFlags();
    // A load client sends far more frames per connection than a person would: the per-connection frame rate limit (OPS-5) is off.
    child = spawnNode('switchboard', [...nodeFlags, ...prof, ...serverStartArgs(port, dataDir), '--frame-rate', '0']);
    await waitForReadyz(child, port, 30_000);
    const c = child;
    const base = `ws://${HOST}:${port}`;
    return {
      child: c,
      pid: c.proc.pid,
      base,
      metricsUrl: `http://${HOST}:${port}/metrics`,
      visitorUrl: `${base}/v1/visitor`,
      staffUrl: `${base}/v1/staff`,
      workspace: { department: opts.department, agents, ...(supervisor ? { supervisor } : {}) },
      native: !/NATIVE BINARY NOT LOADED/.test(c.stdout + c.stderr),
      async stop() {
        await stopChild(c);
        removeDataDir(dataDir);
      },
    };
  } catch (err) {
    if (child) await stopChild(child);
    removeDataDir(dataDir);
    throw err;
  }
}

/** A Switchboard already running at `url` (ws://host:port), its workspace read from a `load seed` file. */
export function externalSwitchboard(url: string, workspaceFile: string, pid: number | undefined): Switchboard {
  const parsed = new URL(url);
  if (parsed.hostname !== HOST && parsed.hostname !== 'localhost')
    throw new Error(`--url must be a loopback address (${HOST}), not ${parsed.hostname}`);
  const workspace = JSON.parse(readFileSync(workspaceFile, 'utf8')) as Workspace;
  if (typeof workspace.department !== 'string' || !Array.isArray(workspace.agents))
    throw new Error(`${workspaceFile} is not a workspace written by \`load seed\``);
  const base = `ws://${parsed.host}`;
  return {
    child: undefined,
    pid,
    base,
    metricsUrl: `http://${parsed.host}/metrics`,
    visitorUrl: `${base}/v1/visitor`,
    staffUrl: `${base}/v1/staff`,
    workspace,
    native: true,
    stop: () => Promise.resolve(),
  };
}
