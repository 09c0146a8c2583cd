/**
 * Relay benchmark (`npm run bench:relay`): how many chat messages per second
 * Switchboard relays from visitors to agents, against a bare uWebSockets.js
 * echo server measured in the same run (shared machines are noisy, so the
 * baseline is never taken from another run).
 *
 *  1. echo: N connections to load/echo-server.js, each keeping W `send`
 *     frames in flight; a message is done when its echo comes back.
 *  2. relay: a real Switchboard (`dist/src/cli.js start`, fresh data dir,
 *     demo workspace); the four demo staff go online, N visitors open
 *     conversations (each assigned to an agent), then each visitor keeps W
 *     `send` frames in flight; a message is done when the assigned agent's
 *     connection receives its `message` event (stored and committed in LMDB
 *     before delivery). The visitor's acks are counted and timed too.
 *
 * Both are driven by the same client code (load/bench-client.ts) with the
 * same frames (msgpack binary, identical shape). Everything runs on
 * 127.0.0.1; both servers are child processes, killed at the end and on
 * error or interrupt.
 *
 * Flags: --duration S (5) --warmup S (1) --connections N (20) --window W (8)
 *        --json (print only the JSON line) --profile DIR (run Switchboard
 *        with --cpu-prof, profile written to DIR)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchSocket, PipelinedLoad, sleep, type Frame, type Lane, type LoadResult } from './bench-client.js';

const HOST = '127.0.0.1';
const GOAL_RATIO = 0.5;
/** A typical chat line (68 bytes); the same text in every frame of both measurements. */
const TEXT = 'Hi! Does the Pro plan include phone support, and can I switch later?';

const ECHO_SERVER = fileURLToPath(new URL('./echo-server.js', import.meta.url));
const SWITCHBOARD_CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

/** Departments of the demo staff (src/seed.ts); the server has no API to list them yet. */
const DEMO_DEPARTMENTS: Readonly<Record<string, readonly string[]>> = {
  alice: ['pre-sales'],
  bob: ['after-sales'],
  carol: ['pre-sales', 'after-sales'],
  admin: ['pre-sales', 'after-sales'],
};

interface Options {
  durationS: number;
  warmupS: number;
  connections: number;
  window: number;
  json: boolean;
  profileDir: string | undefined;
}

const USAGE = 'usage: relay-bench [--duration 5] [--warmup 1] [--connections 20] [--window 8] [--json] [--profile DIR]';

function parseOptions(argv: string[]): Options {
  try {
    return readOptions(argv);
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      connections: { type: 'string', default: '20' },
      window: { type: 'string', default: '8' },
      json: { type: 'boolean', default: false },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const num = (name: string, raw: string, min: number, max: number, integer: boolean): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not "${raw}"`);
    }
    return n;
  };
  return {
    durationS: num('duration', values.duration, 0.5, 60, false),
    warmupS: num('warmup', values.warmup, 0, 30, false),
    connections: num('connections', values.connections, 1, 200, true),
    window: num('window', values.window, 1, 1000, true),
    json: values.json,
    profileDir: values.profile === undefined ? undefined : resolve(values.profile),
  };
}

class UsageError extends Error {}

// ---- child processes -------------------------------------------------------

interface Child {
  name: string;
  proc: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<void>;
}

const children: Child[] = [];

function spawnChild(name: string, args: string[]): Child {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  const child: Child = {
    name,
    proc,
    stdout: '',
    stderr: '',
    exited: new Promise((done) => proc.once('exit', () => done())),
  };
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    child.stdout += chunk;
  });
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    child.stderr += chunk;
    if (child.stderr.length > 1_000_000) child.stderr = child.stderr.slice(-500_000);
  });
  children.push(child);
  return child;
}

const running = (c: Child): boolean => c.proc.exitCode === null && c.proc.signalCode === null;

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
async function stopChild(c: Child, graceMs = 5000): Promise<void> {
  if (!running(c)) return;
  c.proc.kill('SIGTERM');
  await Promise.race([c.exited, sleep(graceMs)]);
  if (running(c)) {
    c.proc.kill('SIGKILL');
    await Promise.race([c.exited, sleep(2000)]);
  }
}

// Last resort (uncaught error, process.exit): never leave a server behind.
process.on('exit', () => {
  for (const c of children) if (running(c)) c.proc.kill('SIGKILL');
});

/** Resolves with the first match of `pattern` in the child's stdout; rejects if it exits or times out first. */
async function waitForStdout(c: Child, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = c.stdout.match(pattern);
    if (m) return m;
    if (!running(c)) throw new Error(`${c.name} exited (code ${String(c.proc.exitCode)}) before it was ready:\n${tail(c.stderr || c.stdout)}`);
    if (Date.now() > deadline) throw new Error(`${c.name} not ready within ${timeoutMs} ms:\n${tail(c.stderr || c.stdout)}`);
    await sleep(25);
  }
}

async function waitForReadyz(c: Child, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!running(c)) throw new Error(`${c.name} exited while waiting for /readyz:\n${tail(c.stderr)}`);
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

function freePort(): Promise<number> {
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

const tail = (s: string, lines = 15): string => s.trimEnd().split('\n').slice(-lines).join('\n');

// ---- the two servers -------------------------------------------------------

interface EchoServer {
  child: Child;
  port: number;
  native: boolean;
}

async function startEchoServer(): Promise<EchoServer> {
  const child = spawnChild('echo server', [ECHO_SERVER, '--host', HOST, '--port', '0']);
  const m = await waitForStdout(child, /^(\{"listening":true.*\})$/m, 10_000);
  const info = JSON.parse(m[1] ?? '{}') as { port?: unknown; native?: unknown };
  if (typeof info.port !== 'number') throw new Error(`echo server printed no port: ${m[1] ?? ''}`);
  await waitForReadyz(child, info.port, 10_000);
  return { child, port: info.port, native: info.native === true };
}

interface Credential {
  role: string;
  id: string;
  email: string;
  token: string;
}

interface Switchboard {
  child: Child;
  port: number;
  dataDir: string;
  credentials: Credential[];
}

async function startSwitchboard(profileDir: string | undefined): Promise<Switchboard> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const port = await freePort();
  const prof = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  // Each bench connection sends far more than a person would: the per-connection frame rate limit (OPS-5) is off.
  const child = spawnChild('switchboard', [...prof, SWITCHBOARD_CLI, 'start', '--host', HOST, '--data', dataDir, '--port', String(port), '--log-level', 'warn', '--frame-rate', '0']);
  try {
    // The credentials are printed once the server listens, followed by the endpoints line.
    await waitForStdout(child, /^Visitors: ws:\/\//m, 30_000);
    const credentials: Credential[] = [];
    for (const m of child.stdout.matchAll(/^\s+(\S+)\s+(\S+@\S+)\s+password: (\S+)\s+token: (\S+)\s*$/gm)) {
      const [, role, email, , token] = m;
      if (role && email && token) credentials.push({ role, email, token, id: email.slice(0, email.indexOf('@')) });
    }
    if (credentials.length === 0) throw new Error(`switchboard printed no demo credentials:\n${tail(child.stdout)}`);
    await waitForReadyz(child, port, 10_000);
    return { child, port, dataDir, credentials };
  } catch (err) {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

// ---- setting up conversations ------------------------------------------------

interface Staff {
  id: string;
  socket: BenchSocket;
  departments: readonly string[];
  max: number;
  active: number;
}

interface Visitor {
  socket: BenchSocket;
  conversationId: string;
  agentId: string;
}

interface RelaySetup {
  staff: Staff[];
  visitors: Visitor[];
  capacity: number;
  queuedAttempts: number;
}

/**
 * How staff authenticate: with the token at the WebSocket upgrade (the usual
 * way), or with a `signin` frame after it. Under `node --cpu-prof`, a staff
 * socket upgraded asynchronously (after the token lookup) is closed with 1006
 * right after it opens, so --profile uses `signin`.
 */
type StaffAuth = 'upgrade' | 'signin';

async function setUpRelay(sb: Switchboard, wanted: number, auth: StaffAuth, log: (s: string) => void): Promise<RelaySetup> {
  const base = `ws://${HOST}:${sb.port}`;
  const staff: Staff[] = [];
  // One at a time: round robin orders agents by when they came online.
  for (const c of sb.credentials) {
    const departments = DEMO_DEPARTMENTS[c.id];
    if (!departments) continue;
    const url = auth === 'upgrade' ? `${base}/v1/staff?token=${encodeURIComponent(c.token)}` : `${base}/v1/staff`;
    const socket = await BenchSocket.open(url, `staff ${c.id}`);
    if (auth === 'signin') await socket.ok({ type: 'signin', token: c.token });
    const r = await socket.ok({ type: 'status', status: 'online' });
    staff.push({ id: c.id, socket, departments, max: typeof r.max === 'number' ? r.max : 0, active: typeof r.active === 'number' ? r.active : 0 });
  }
  const capacity = staff.reduce((n, s) => n + s.max - s.active, 0);
  const target = Math.min(wanted, capacity);
  if (target < wanted) log(`the demo workspace has ${capacity} agent slots: using ${target} visitor connections, not ${wanted}`);

  const full = new Set<string>();
  const free = (dept: string): number =>
    full.has(dept) ? 0 : staff.filter((s) => s.departments.includes(dept)).reduce((n, s) => n + Math.max(0, s.max - s.active), 0);
  const departments = [...new Set(staff.flatMap((s) => s.departments))];

  const visitors: Visitor[] = [];
  let queuedAttempts = 0;
  for (let attempt = 0; visitors.length < target && attempt < target + 4; attempt++) {
    // The department with most free agent slots (as far as this client has seen assignments).
    const dept = [...departments].sort((a, b) => free(b) - free(a))[0];
    if (dept === undefined || free(dept) === 0) break;
    const socket = await BenchSocket.open(`${base}/v1/visitor`, `visitor ${visitors.length + 1}`);
    await socket.ok({ type: 'hello' });
    const started = await socket.ok({ type: 'start', department: dept });
    const conversationId = started.conversationId;
    if (typeof conversationId !== 'string') throw new Error(`start answered no conversationId: ${JSON.stringify(started)}`);
    const outcome = await socket.waitFor(
      (f) => (f.type === 'assigned' || f.type === 'queued') && f.conversationId === conversationId,
      5000,
      `assigned/queued of ${conversationId}`,
    );
    if (outcome.type === 'queued') {
      // Our view of free slots was wrong; leave this conversation queued and stop using that department.
      queuedAttempts++;
      full.add(dept);
      await socket.close();
      continue;
    }
    const agent = outcome.agent as { id?: unknown } | undefined;
    const agentId = typeof agent?.id === 'string' ? agent.id : '';
    const s = staff.find((x) => x.id === agentId);
    if (!s) throw new Error(`conversation ${conversationId} assigned to unknown agent ${agentId}`);
    s.active++;
    visitors.push({ socket, conversationId, agentId });
  }
  if (visitors.length === 0) throw new Error('no conversation could be assigned to an agent');
  // Each agent must have heard of its conversations before messages flow.
  await Promise.all(
    visitors.map((v) => {
      const s = staff.find((x) => x.id === v.agentId);
      return s?.socket.waitFor((f) => f.type === 'assigned' && f.conversationId === v.conversationId, 5000, `assigned ${v.conversationId} at ${v.agentId}`);
    }),
  );
  return { staff, visitors, capacity, queuedAttempts };
}

// ---- measurements ----------------------------------------------------------

interface Run {
  warmupMs: number;
  durationMs: number;
  window: number;
}

/** A `send` frame as a visitor sends it; the echo measurement sends the very same shape. */
const sendFrame = (conversationId: string, key: string): Frame => ({ type: 'send', id: key, conversationId, clientMsgId: key, text: TEXT });

async function measureEcho(echo: EchoServer, connections: number, conversationIds: readonly string[], run: Run): Promise<LoadResult> {
  const sockets: BenchSocket[] = [];
  try {
    for (let i = 0; i < connections; i++) sockets.push(await BenchSocket.open(`ws://${HOST}:${echo.port}/v1/visitor`, `echo client ${i + 1}`));
    const lanes: Lane[] = sockets.map((socket, i) => {
      const conversationId = conversationIds[i] ?? `c-00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      return { socket, frame: (key) => sendFrame(conversationId, key) };
    });
    const load = new PipelinedLoad({ lanes, window: run.window, warmupMs: run.warmupMs, durationMs: run.durationMs, drainMs: 3000, serverPid: echo.child.proc.pid });
    for (const socket of sockets) {
      socket.onFrame = (f) => {
        if (typeof f.clientMsgId === 'string') load.complete(f.clientMsgId);
      };
    }
    return await load.run();
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
  }
}

interface RelayCounters {
  errors: Record<string, number>;
  agentMessages: number;
  visitorMessages: number;
}

async function measureRelay(sb: Switchboard, setup: RelaySetup, run: Run): Promise<LoadResult & RelayCounters> {
  const lanes: Lane[] = setup.visitors.map((v) => ({ socket: v.socket, frame: (key) => sendFrame(v.conversationId, key) }));
  const load = new PipelinedLoad({
    lanes,
    window: run.window,
    warmupMs: run.warmupMs,
    durationMs: run.durationMs,
    drainMs: 5000,
    stages: ['ack'],
    serverPid: sb.child.proc.pid,
  });
  const counters: RelayCounters = { errors: {}, agentMessages: 0, visitorMessages: 0 };
  for (const s of setup.staff) {
    s.socket.onFrame = (f) => {
      if (f.type !== 'message') return;
      counters.agentMessages++;
      const from = f.from as { role?: unknown } | undefined;
      if (from?.role === 'visitor' && typeof f.clientMsgId === 'string') load.complete(f.clientMsgId);
    };
  }
  for (const v of setup.visitors) {
    v.socket.onFrame = (f) => {
      if (f.type === 'ack') {
        if (typeof f.id === 'string') load.observe('ack', f.id);
      } else if (f.type === 'error') {
        const code = typeof f.code === 'string' ? f.code : 'unknown';
        counters.errors[code] = (counters.errors[code] ?? 0) + 1;
        if (typeof f.id === 'string') load.fail(f.id);
      } else if (f.type === 'message') {
        counters.visitorMessages++;
      }
    };
  }
  return { ...(await load.run()), ...counters };
}

// ---- report ----------------------------------------------------------------

function table(rows: (string | number | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined ? '-' : String(c))));
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length))) ?? [];
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')).join('\n');
}

const serverUsPerMsg = (r: LoadResult): number | undefined =>
  r.serverCpuPct === undefined || r.msgsPerSec === 0 ? undefined : Math.round(((r.serverCpuPct / 100) * 1e6) / r.msgsPerSec);

function row(name: string, perSecond: number, l: { p50Ms: number; p99Ms: number; p999Ms: number; maxMs: number }, r?: LoadResult): (string | number | undefined)[] {
  return [
    name,
    perSecond,
    l.p50Ms.toFixed(2),
    l.p99Ms.toFixed(2),
    l.p999Ms.toFixed(2),
    l.maxMs.toFixed(2),
    r ? `${r.clientCpuPct}%` : '',
    r ? (r.serverCpuPct === undefined ? undefined : `${r.serverCpuPct}%`) : '',
    r ? serverUsPerMsg(r) : '',
  ];
}

// ---- main ------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const log = (s: string): void => {
    process.stderr.write(`relay-bench: ${s}\n`);
  };
  const run: Run = { warmupMs: opts.warmupS * 1000, durationMs: opts.durationS * 1000, window: opts.window };
  let sb: Switchboard | undefined;
  let echo: EchoServer | undefined;
  let setup: RelaySetup | undefined;
  const stopAll = async (): Promise<void> => {
    const sockets = [...(setup?.visitors.map((v) => v.socket) ?? []), ...(setup?.staff.map((s) => s.socket) ?? [])];
    await Promise.all(sockets.map((s) => s.close(500)));
    await Promise.all(children.map((c) => stopChild(c)));
    if (sb) rmSync(sb.dataDir, { recursive: true, force: true });
  };
  const interrupted = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping the servers`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    log('starting the echo server and Switchboard');
    [echo, sb] = await Promise.all([startEchoServer(), startSwitchboard(opts.profileDir)]);
    if (!echo.native) log('WARNING: the echo server runs the pure-JS uWebSockets.js fallback, not the native binary');
    if (/NATIVE BINARY NOT LOADED/.test(sb.child.stderr)) log('WARNING: Switchboard runs the pure-JS uWebSockets.js fallback, not the native binary');

    setup = await setUpRelay(sb, opts.connections, opts.profileDir ? 'signin' : 'upgrade', log);
    const n = setup.visitors.length;
    const perAgent = setup.staff.map((s) => `${s.id} ${s.active}`).join(', ');
    log(`${n} conversations assigned (${perAgent})${setup.queuedAttempts ? `, ${setup.queuedAttempts} queued and unused` : ''}`);

    log(`echo: ${n} connections x window ${opts.window}, ${opts.warmupS} s warm-up + ${opts.durationS} s`);
    const echoResult = await measureEcho(echo, n, setup.visitors.map((v) => v.conversationId), run);
    await stopChild(echo.child);

    const stderrBefore = sb.child.stderr.length;
    log(`relay: ${n} visitors x window ${opts.window}, ${opts.warmupS} s warm-up + ${opts.durationS} s`);
    const relay = await measureRelay(sb, setup, run);
    const serverLogDuringRun = sb.child.stderr.slice(stderrBefore);
    const serverWarnings = serverLogDuringRun.split('\n').filter((l) => l.trim() !== '').length;

    const ratio = echoResult.msgsPerSec > 0 ? relay.msgsPerSec / echoResult.msgsPerSec : 0;
    const ack = relay.stages.ack;
    const summary = {
      bench: 'relay',
      at: new Date().toISOString(),
      node: process.version,
      cpus: availableParallelism(),
      connections: n,
      window: opts.window,
      warmupS: opts.warmupS,
      durationS: opts.durationS,
      textBytes: Buffer.byteLength(TEXT),
      echo: {
        msgsPerSec: echoResult.msgsPerSec,
        p50Ms: echoResult.latency.p50Ms,
        p99Ms: echoResult.latency.p99Ms,
        p999Ms: echoResult.latency.p999Ms,
        maxMs: echoResult.latency.maxMs,
        clientCpuPct: echoResult.clientCpuPct,
        serverCpuPct: echoResult.serverCpuPct,
        serverUsPerMsg: serverUsPerMsg(echoResult),
        lost: echoResult.lost,
      },
      relay: {
        msgsPerSec: relay.msgsPerSec,
        p50Ms: relay.latency.p50Ms,
        p99Ms: relay.latency.p99Ms,
        p999Ms: relay.latency.p999Ms,
        maxMs: relay.latency.maxMs,
        acksPerSec: ack?.perSecond ?? 0,
        ackP50Ms: ack?.p50Ms ?? 0,
        ackP99Ms: ack?.p99Ms ?? 0,
        clientCpuPct: relay.clientCpuPct,
        serverCpuPct: relay.serverCpuPct,
        serverUsPerMsg: serverUsPerMsg(relay),
        failed: relay.failed,
        errors: relay.errors,
        lost: relay.lost,
        acksMissing: ack?.missing ?? 0,
        serverLogLines: serverWarnings,
      },
      ratio: Math.round(ratio * 1000) / 1000,
      goal: GOAL_RATIO,
      meetsGoal: ratio >= GOAL_RATIO,
    };

    if (!opts.json) {
      const lines = [
        '',
        `Relay benchmark: ${n} connections x window ${opts.window}, ${opts.warmupS} s warm-up + ${opts.durationS} s each, ${HOST}, msgpack frames, ${summary.textBytes}-byte text, ${summary.cpus} CPUs`,
        '',
        table([
          ['', 'msgs/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'client CPU', 'server CPU', 'server µs/msg'],
          row('echo (bare uWS)', echoResult.msgsPerSec, echoResult.latency, echoResult),
          row('relay visitor→agent', relay.msgsPerSec, relay.latency, relay),
          ...(ack ? [row('  visitor ack', ack.perSecond, ack)] : []),
        ]),
        '',
        `relay / echo = ${(ratio * 100).toFixed(1)}%   (goal ≥ ${GOAL_RATIO * 100}%: ${summary.meetsGoal ? 'met' : 'NOT met'})`,
      ];
      const problems: string[] = [];
      if (echoResult.lost) problems.push(`echo: ${echoResult.lost} messages never came back`);
      if (relay.lost) problems.push(`relay: ${relay.lost} messages never reached their agent`);
      if (relay.failed) problems.push(`relay: ${relay.failed} sends answered with errors ${JSON.stringify(relay.errors)}`);
      if (ack?.missing) problems.push(`relay: ${ack.missing} sends never acked`);
      if (serverWarnings) problems.push(`switchboard logged ${serverWarnings} warning/error lines during the run:\n${tail(serverLogDuringRun, 5)}`);
      // The client is one Node process (one core): past ~90% it, not the server, sets the pace.
      if (echoResult.clientCpuPct > 90) problems.push(`echo: the client used ${echoResult.clientCpuPct}% of a core, so the echo figure is the client's ceiling (the echo server had spare CPU: ${echoResult.serverCpuPct ?? '?'}%)`);
      if (relay.clientCpuPct > 90) problems.push(`relay: the client used ${relay.clientCpuPct}% of a core; the relay figure may be client-bound`);
      for (const p of problems) lines.push(`note: ${p}`);
      if (opts.profileDir) lines.push(`CPU profile of the Switchboard process: ${opts.profileDir}/*.cpuprofile`);
      process.stdout.write(`${lines.join('\n')}\n\n`);
    }
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    if (relay.msgsPerSec === 0 || echoResult.msgsPerSec === 0) process.exitCode = 1;
  } finally {
    await stopAll();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`relay-bench failed: ${err instanceof UsageError ? err.message : ((err as Error).stack ?? String(err))}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
  // Children are stopped by main's finally; the exit hook SIGKILLs any left.
});
