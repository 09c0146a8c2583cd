/**
 * Assignment-latency benchmark (`npm run bench:assign`): how long Switchboard
 * takes to hand a new conversation to an agent, at a fixed rate of new
 * conversations, and how that time grows with the number of agents in the
 * department. Goal: p99 ≤ 5 ms at 2,000 new conversations/s, and p99 at 1,000
 * agents at most 2× p99 at 10 agents (one department).
 *
 * For each agent count N (--agents, default 10,100,1000), in turn:
 *
 *  1. A fresh data directory is seeded with one department `bench` (round
 *     robin unless --policy, --max-concurrent slots per agent) and N agent
 *     accounts with known tokens: the actor system is booted in this process
 *     on that directory exactly as the server boots it, and the department and
 *     staff are created through the workspace actor (load/bench-seed.ts); the
 *     store is written only by the actors.
 *  2. The real server is started on it as a child process
 *     (`dist/src/cli.js start --no-demo`), the N agents connect, sign in with
 *     their token and go `online`, and a pool of --visitors visitor
 *     connections say `hello`.
 *  3. Open-loop load: new conversations are scheduled at exactly --rate per
 *     second for --warmup + --duration seconds. Each is a `start` (department
 *     `bench`, a short text) sent by a free visitor; a visitor has one open
 *     conversation at a time and is free again once it receives `resolved`.
 *     A start due while no visitor is free waits for the next one to free up
 *     (counted as "delayed"; its latency is still timed from when it was
 *     sent, and separately from when it was due). Agents `resolve` each
 *     conversation as soon as they receive its `assigned` event, so agent
 *     capacity never runs out; a `queued` event means routing found no agent.
 *  4. Measured, for the starts scheduled during the measurement period:
 *     start → `assigned` event at the visitor (the headline figure),
 *     start → ack, start → `assigned` at the agent, and due → `assigned`.
 *     Also the achieved rate, errors, queued and lost conversations, the
 *     server's CPU (from /proc) and RSS, this client's CPU and event-loop
 *     delay (one client process drives every socket: if it is saturated, the
 *     figures are the client's, not the server's), and the CPU everything
 *     else on the machine used meanwhile (a neighbour's test run on a small
 *     shared machine shows up there, and in the latencies).
 *  5. After the load, up to 10 s for every conversation to be assigned and
 *     resolved; then each agent's `status` ack tells how many slots are still
 *     taken (all should be free), and what is still open is reported.
 *
 * Everything runs on 127.0.0.1; the server is a child process, killed at the
 * end and on error or interrupt, and its data directory is deleted.
 *
 * Flags: --agents LIST (10,100,1000) --rate R (2000 per s) --duration S (5)
 *        --warmup S (1) --visitors V (400) --max-concurrent M (50)
 *        --policy round_robin|least_load|weighted_round_robin|smart
 *        --json (print only the JSON line)
 *        --profile DIR (run the server with --cpu-prof, profiles in DIR/agents-N,
 *        and print the top self-time functions of the measurement period)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Histogram } from 'hdr-histogram-js';
import type { PolicyName } from '../actors/routing/decision.js';
import { BenchSocket, cpuPercent, newHistogram, sampleCpu, sleep, summarize, type Frame, type LatencySummary } from './bench-client.js';
import { seedBenchWorkspace, type BenchAgent } from './bench-seed.js';

const HOST = '127.0.0.1';
const DEPARTMENT = 'bench';
const GOAL_P99_MS = 5;
const GOAL_RATIO = 2;
/** The customer's first message, sent with every `start`. */
const TEXT = 'Hi, I need help with my order, please.';
/** After the load, how long to wait for the conversations still in flight to be assigned and resolved. */
const DRAIN_MS = 10_000;
/** Sockets opened (and signed in) at a time during setup. */
const CONNECT_BATCH = 50;

const SWITCHBOARD_CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const POLICIES: readonly PolicyName[] = ['round_robin', 'least_load', 'weighted_round_robin', 'smart'];

interface Options {
  agents: number[];
  rate: number;
  durationS: number;
  warmupS: number;
  visitors: number;
  maxConcurrent: number;
  policy: PolicyName | undefined;
  json: boolean;
  profileDir: string | undefined;
}

const USAGE =
  'usage: assign-bench [--agents 10,100,1000] [--rate 2000] [--duration 5] [--warmup 1] [--visitors 400] [--max-concurrent 50] [--policy round_robin] [--json] [--profile DIR]';

class UsageError extends Error {}

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
      agents: { type: 'string', default: '10,100,1000' },
      rate: { type: 'string', default: '2000' },
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      visitors: { type: 'string', default: '400' },
      'max-concurrent': { type: 'string', default: '50' },
      policy: { type: 'string' },
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
    if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not "${raw}"`);
    }
    return n;
  };
  const agents = values.agents.split(',').map((s) => num('agents', s.trim(), 1, 5000, true));
  if (agents.length > 6) throw new UsageError('--agents takes at most 6 counts');
  const policy = values.policy;
  if (policy !== undefined && !POLICIES.includes(policy as PolicyName)) throw new UsageError(`--policy must be one of ${POLICIES.join(', ')}`);
  return {
    agents,
    rate: num('rate', values.rate, 1, 20_000, false),
    durationS: num('duration', values.duration, 0.5, 60, false),
    warmupS: num('warmup', values.warmup, 0, 30, false),
    visitors: num('visitors', values.visitors, 1, 5000, true),
    maxConcurrent: num('max-concurrent', values['max-concurrent'], 1, 10_000, true),
    policy: policy as PolicyName | undefined,
    json: values.json,
    profileDir: values.profile === undefined ? undefined : resolve(values.profile),
  };
}

// ---- the server child process ------------------------------------------------

interface Child {
  proc: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<void>;
}

const children = new Set<Child>();
/** Data directories not yet deleted. */
const dataDirs = new Set<string>();

function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dataDirs.delete(dir);
}

function spawnServer(args: string[]): Child {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  const child: Child = { proc, stdout: '', stderr: '', exited: new Promise((done) => proc.once('exit', () => done())) };
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    child.stdout += chunk;
    if (child.stdout.length > 1_000_000) child.stdout = child.stdout.slice(-500_000);
  });
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    child.stderr += chunk;
    if (child.stderr.length > 1_000_000) child.stderr = child.stderr.slice(-500_000);
  });
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

const running = (c: Child): boolean => c.proc.exitCode === null && c.proc.signalCode === null;

/** SIGTERM (a graceful stop, which also writes a --cpu-prof profile), then SIGKILL if it lingers. */
async function stopChild(c: Child, graceMs = 10_000): Promise<void> {
  if (!running(c)) return;
  c.proc.kill('SIGTERM');
  await Promise.race([c.exited, sleep(graceMs)]);
  if (running(c)) {
    c.proc.kill('SIGKILL');
    await Promise.race([c.exited, sleep(2000)]);
  }
}

// Last resort (uncaught error, process.exit): never leave a server or a data directory behind.
process.on('exit', () => {
  for (const c of children) if (running(c)) c.proc.kill('SIGKILL');
  for (const dir of dataDirs) {
    try {
      removeDataDir(dir);
    } catch {
      // best effort
    }
  }
});

const tail = (s: string, lines = 15): string => s.trimEnd().split('\n').slice(-lines).join('\n');

async function waitForReadyz(c: Child, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!running(c)) throw new Error(`switchboard exited (code ${String(c.proc.exitCode)}) before it was ready:\n${tail(c.stderr || c.stdout)}`);
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
  throw new Error(`switchboard: /readyz not 200 within ${timeoutMs} ms (${last})`);
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

/** Resident and peak resident set size of a process in MiB, from /proc; undefined where unavailable. */
function processRssMiB(pid: number | undefined): { rssMiB: number; peakMiB: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const rss = kib('VmRSS');
    const peak = kib('VmHWM');
    if (!Number.isFinite(rss)) return undefined;
    return { rssMiB: Math.round(rss / 1024), peakMiB: Math.round((Number.isFinite(peak) ? peak : rss) / 1024) };
  } catch {
    return undefined;
  }
}

/** CPU seconds (all cores) the whole machine spent busy so far, from /proc/stat; undefined where unavailable. */
function machineBusySeconds(): number | undefined {
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

/** Microseconds on the monotonic clock; V8's CPU profile timestamps use the same clock on Linux. */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

// ---- one run: seed, start, connect -------------------------------------------------

interface Agent {
  id: string;
  socket: BenchSocket;
}

interface Visitor {
  index: number;
  visitorId: string;
  socket: BenchSocket;
  /** Id of the `start` in flight; '' while free. */
  key: string;
  sentAt: number;
  dueAt: number;
  measured: boolean;
  conversationId: string;
  assigned: boolean;
  /** Its conversation got a `queued` event. */
  queued: boolean;
}

interface Server {
  child: Child;
  port: number;
  dataDir: string;
  profileDir: string | undefined;
}

async function startServerFor(agents: number, opts: Options, log: (s: string) => void): Promise<{ server: Server; accounts: BenchAgent[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-assign-bench-'));
  dataDirs.add(dataDir);
  try {
    const t0 = performance.now();
    const accounts = await seedBenchWorkspace({ dataDir, department: DEPARTMENT, agents, maxConcurrent: opts.maxConcurrent, ...(opts.policy ? { policy: opts.policy } : {}) });
    log(`seeded ${agents} agents in ${Math.round(performance.now() - t0)} ms`);
    const port = await freePort();
    const profileDir = opts.profileDir ? join(opts.profileDir, `agents-${agents}`) : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const prof = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    const child = spawnServer([...prof, SWITCHBOARD_CLI, 'start', '--host', HOST, '--port', String(port), '--data', dataDir, '--no-demo', '--log-level', 'warn']);
    const server: Server = { child, port, dataDir, profileDir };
    try {
      await waitForReadyz(child, port, 30_000);
    } catch (err) {
      await stopChild(child);
      throw err;
    }
    return { server, accounts };
  } catch (err) {
    removeDataDir(dataDir);
    throw err;
  }
}

async function inBatches<T, R>(items: readonly T[], batch: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let first = 0; first < items.length; first += batch) {
    out.push(...(await Promise.all(items.slice(first, first + batch).map((item, i) => fn(item, first + i)))));
  }
  return out;
}

/** Opens the sockets one batch at a time, closing those already open if one fails. */
async function connect(server: Server, accounts: readonly BenchAgent[], visitors: number, sockets: BenchSocket[]): Promise<{ agents: Agent[]; visitors: Visitor[]; slots: number }> {
  const base = `ws://${HOST}:${server.port}`;
  let slots = 0;
  // Staff sign in with a `signin` frame rather than the upgrade token (as relay-bench does under --cpu-prof).
  const agents = await inBatches(accounts, CONNECT_BATCH, async (a) => {
    const socket = await BenchSocket.open(`${base}/v1/staff`, `staff ${a.id}`, { timeoutMs: 10_000 });
    sockets.push(socket);
    await socket.ok({ type: 'signin', token: a.token }, 10_000);
    const r = await socket.ok({ type: 'status', status: 'online' }, 10_000);
    slots += (typeof r.max === 'number' ? r.max : 0) - (typeof r.active === 'number' ? r.active : 0);
    return { id: a.id, socket };
  });
  const pool = await inBatches(Array.from({ length: visitors }, (_, i) => i), CONNECT_BATCH, async (index) => {
    const socket = await BenchSocket.open(`${base}/v1/visitor`, `visitor ${index + 1}`, { timeoutMs: 10_000 });
    sockets.push(socket);
    const r = await socket.ok({ type: 'hello' }, 10_000);
    if (typeof r.visitorId !== 'string') throw new Error(`hello answered no visitorId: ${JSON.stringify(r)}`);
    const v: Visitor = { index, visitorId: r.visitorId, socket, key: '', sentAt: 0, dueAt: 0, measured: false, conversationId: '', assigned: false, queued: false };
    return v;
  });
  return { agents, visitors: pool, slots };
}

/**
 * Asks every agent for its load (`status: online` again changes nothing and
 * answers with `active` and `max`). Undefined if any agent does not answer.
 */
async function slotsHeld(agents: readonly Agent[]): Promise<{ active: number; full: number } | undefined> {
  try {
    const loads = await inBatches(agents, 100, (a) => a.socket.ok({ type: 'status', status: 'online' }, 10_000));
    let active = 0;
    let full = 0;
    for (const r of loads) {
      const n = typeof r.active === 'number' ? r.active : 0;
      active += n;
      if (typeof r.max === 'number' && n >= r.max) full++;
    }
    return { active, full };
  } catch {
    return undefined;
  }
}

// ---- open-loop load ----------------------------------------------------------------

interface LoadResult {
  /** Starts scheduled during the measurement period. */
  scheduled: number;
  /** Of those, sent (the rest were still waiting for a free visitor when the run ended). */
  sent: number;
  /** Throughput during the measurement period: starts sent, and `assigned` events received by visitors, per second. */
  startsPerSec: number;
  assignedPerSec: number;
  assigned: number;
  acked: number;
  /** `assigned` events of measured starts seen by the agents. */
  agentAssigned: number;
  /** Measured starts answered with an error frame, by code; `not_created` is an ack with created: false. */
  errors: Record<string, number>;
  /** Measured starts that got a `queued` event. */
  queued: number;
  /** Measured starts sent later than due because no visitor was free. */
  delayed: number;
  /** Measured starts sent without an `assigned` at the visitor by the end of the drain. */
  lost: number;
  /** Error frames answering an agent's `resolve` (whole run), by code. */
  resolveErrors: Record<string, number>;
  /** Conversations resolved by the agents (whole run). */
  resolved: number;
  /** Whole run (warm-up included): starts sent, and conversations still open at the end, by state. */
  startsAll: number;
  openAtEnd: { notAssigned: number; queued: number; assignedNotResolved: number };
  /** How many agents received at least one measured assignment, and the most any one received. */
  agentsUsed: number;
  maxPerAgent: number;
  assign: LatencySummary;
  ack: LatencySummary;
  agentSees: LatencySummary;
  fromDue: LatencySummary;
  clientCpuPct: number;
  serverCpuPct: number | undefined;
  /** CPU used by everything else on the machine (other processes, steal), % of one core: noise from neighbours. */
  otherCpuPct: number | undefined;
  clientLoopDelayP99Ms: number;
  clientLoopDelayMaxMs: number;
  serverRss: { rssMiB: number; peakMiB: number } | undefined;
  clientRssMiB: number;
  /** Monotonic µs of the measurement period's start and end (to cut a CPU profile). */
  measureFromUs: number;
  measureToUs: number;
}

const us = (ms: number): number => Math.max(1, Math.round(ms * 1000));

class AssignLoad {
  private readonly free: Visitor[] = [];
  /** Due times of starts waiting for a free visitor (a FIFO: `backlog[backlogHead]` is next). */
  private backlog: number[] = [];
  private backlogHead = 0;
  private readonly byVisitorId = new Map<string, Visitor>();
  private readonly h = { assign: newHistogram(), ack: newHistogram(), agentSees: newHistogram(), fromDue: newHistogram() };
  private readonly perAgent = new Map<string, number>();
  private t0 = 0;
  private measureFrom = 0;
  private measureTo = 0;
  private scheduledTotal = 0;
  private nextKey = 0;
  private resolveId = 0;
  private startsAll = 0;
  private readonly c = {
    scheduled: 0,
    sent: 0,
    acked: 0,
    assigned: 0,
    agentAssigned: 0,
    queued: 0,
    delayed: 0,
    resolved: 0,
    /** Starts sent, and `assigned` events received by visitors, during the measurement period (whatever their due time). */
    sentInWindow: 0,
    assignedInWindow: 0,
    /** Measured starts sent and not yet answered by `assigned` or an error. */
    outstanding: 0,
  };
  private readonly errors: Record<string, number> = {};
  private readonly resolveErrors: Record<string, number> = {};

  constructor(
    private readonly agents: readonly Agent[],
    private readonly visitors: readonly Visitor[],
    private readonly rate: number,
    private readonly warmupMs: number,
    private readonly durationMs: number,
  ) {
    for (const v of visitors) {
      this.byVisitorId.set(v.visitorId, v);
      this.free.push(v);
      v.socket.onFrame = (f) => this.onVisitorFrame(v, f);
    }
    for (const a of agents) a.socket.onFrame = (f) => this.onAgentFrame(a, f);
  }

  async run(serverPid: number | undefined): Promise<LoadResult> {
    const total = Math.round((this.rate * (this.warmupMs + this.durationMs)) / 1000);
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    this.t0 = performance.now();
    this.measureFrom = this.t0 + this.warmupMs;
    this.measureTo = this.measureFrom + this.durationMs;
    const timer = setInterval(() => this.tick(total), 1);
    this.tick(total);

    await sleep(Math.max(0, this.measureFrom - performance.now()));
    const cpuStart = sampleCpu(serverPid);
    const machineStart = machineBusySeconds();
    const measureFromUs = monotonicUs();
    loopDelay.enable();
    await sleep(Math.max(0, this.measureTo - performance.now()));
    while (this.scheduledTotal < total) await sleep(1);
    clearInterval(timer);
    const cpuEnd = sampleCpu(serverPid);
    const machineEnd = machineBusySeconds();
    const measureToUs = monotonicUs();
    loopDelay.disable();
    const serverRss = processRssMiB(serverPid);

    const drainUntil = performance.now() + DRAIN_MS;
    // Until every conversation (warm-up included) has been assigned and resolved, or the time is up.
    const busy = (): boolean => this.c.outstanding > 0 || this.backlogLength() > 0 || this.visitors.some((v) => v.key !== '');
    while (busy() && performance.now() < drainUntil) await sleep(10);

    const durationS = (this.measureTo - this.measureFrom) / 1000;
    const cpu = cpuPercent(cpuStart, cpuEnd);
    const wallS = (cpuEnd.at - cpuStart.at) / 1000;
    const otherCpuPct =
      machineStart === undefined || machineEnd === undefined || cpu.serverCpuPct === undefined
        ? undefined
        : Math.max(0, Math.round(((machineEnd - machineStart) / wallS) * 1000) / 10 - cpu.serverCpuPct - cpu.clientCpuPct);
    const counts = [...this.perAgent.values()];
    const open = this.visitors.filter((v) => v.key !== '');
    const openAtEnd = {
      notAssigned: open.filter((v) => !v.assigned).length,
      queued: open.filter((v) => !v.assigned && v.queued).length,
      assignedNotResolved: open.filter((v) => v.assigned).length,
    };
    const errorCount = Object.values(this.errors).reduce((n, x) => n + x, 0);
    return {
      scheduled: this.c.scheduled,
      sent: this.c.sent,
      startsPerSec: Math.round(this.c.sentInWindow / durationS),
      assignedPerSec: Math.round(this.c.assignedInWindow / durationS),
      assigned: this.c.assigned,
      acked: this.c.acked,
      agentAssigned: this.c.agentAssigned,
      errors: { ...this.errors },
      queued: this.c.queued,
      delayed: this.c.delayed,
      lost: Math.max(0, this.c.sent - this.c.assigned - errorCount),
      resolveErrors: { ...this.resolveErrors },
      resolved: this.c.resolved,
      startsAll: this.startsAll,
      openAtEnd,
      agentsUsed: counts.length,
      maxPerAgent: counts.length ? Math.max(...counts) : 0,
      assign: summarize(this.h.assign),
      ack: summarize(this.h.ack),
      agentSees: summarize(this.h.agentSees),
      fromDue: summarize(this.h.fromDue),
      ...cpu,
      otherCpuPct: otherCpuPct === undefined ? undefined : Math.round(otherCpuPct * 10) / 10,
      clientLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
      clientLoopDelayMaxMs: Math.round(loopDelay.max / 1e4) / 100,
      serverRss,
      clientRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      measureFromUs,
      measureToUs,
    };
  }

  /** Sends every start that has fallen due (open loop: due times never depend on answers). */
  private tick(total: number): void {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - this.t0) * this.rate) / 1000) + 1);
    while (this.scheduledTotal < due) {
      const dueAt = this.t0 + (this.scheduledTotal * 1000) / this.rate;
      this.scheduledTotal++;
      const measured = dueAt >= this.measureFrom && dueAt < this.measureTo;
      if (measured) this.c.scheduled++;
      const v = this.free.pop();
      if (v) this.send(v, dueAt, measured);
      else {
        this.backlog.push(dueAt);
        if (measured) this.c.delayed++;
      }
    }
  }

  private backlogLength(): number {
    return this.backlog.length - this.backlogHead;
  }

  private send(v: Visitor, dueAt: number, measured: boolean): void {
    v.key = `s${++this.nextKey}`;
    v.dueAt = dueAt;
    v.measured = measured;
    v.conversationId = '';
    v.assigned = false;
    v.queued = false;
    this.startsAll++;
    if (measured) {
      this.c.sent++;
      this.c.outstanding++;
    }
    v.sentAt = performance.now();
    if (v.sentAt >= this.measureFrom && v.sentAt < this.measureTo) this.c.sentInWindow++;
    v.socket.send({ type: 'start', id: v.key, department: DEPARTMENT, text: TEXT });
  }

  /** The visitor's conversation ended (or never began): it takes the next waiting start, if any. */
  private release(v: Visitor): void {
    v.key = '';
    if (this.backlogLength() > 0) {
      const dueAt = this.backlog[this.backlogHead++] ?? performance.now();
      if (this.backlogHead > 4096 && this.backlogHead * 2 > this.backlog.length) {
        this.backlog = this.backlog.slice(this.backlogHead);
        this.backlogHead = 0;
      }
      this.send(v, dueAt, dueAt >= this.measureFrom && dueAt < this.measureTo);
    } else this.free.push(v);
  }

  private countError(into: Record<string, number>, f: Frame): void {
    const code = typeof f.code === 'string' ? f.code : 'unknown';
    into[code] = (into[code] ?? 0) + 1;
  }

  private onVisitorFrame(v: Visitor, f: Frame): void {
    if (v.key === '') return;
    const now = performance.now();
    switch (f.type) {
      case 'created':
        if (v.conversationId === '' && typeof f.conversationId === 'string') v.conversationId = f.conversationId;
        return;
      case 'ack': {
        if (f.id !== v.key) return;
        const r = f.result as { conversationId?: unknown; created?: unknown } | undefined;
        if (v.conversationId === '' && typeof r?.conversationId === 'string') v.conversationId = r.conversationId;
        if (!v.measured) return;
        this.c.acked++;
        this.h.ack.recordValue(us(now - v.sentAt));
        if (r?.created !== true && !v.assigned) {
          // An old conversation came back: this start opened nothing, so it will never be assigned.
          this.errors.not_created = (this.errors.not_created ?? 0) + 1;
          this.c.outstanding--;
          v.measured = false;
        }
        return;
      }
      case 'error':
        if (f.id !== v.key) return;
        if (v.measured && !v.assigned) {
          this.countError(this.errors, f);
          this.c.outstanding--;
        }
        this.release(v);
        return;
      case 'queued':
        if (f.conversationId !== v.conversationId || v.queued) return;
        v.queued = true;
        if (v.measured) this.c.queued++;
        return;
      case 'assigned':
        if (f.conversationId !== v.conversationId || v.assigned) return;
        v.assigned = true;
        if (now >= this.measureFrom && now < this.measureTo) this.c.assignedInWindow++;
        if (!v.measured) return;
        this.c.assigned++;
        this.c.outstanding--;
        this.h.assign.recordValue(us(now - v.sentAt));
        this.h.fromDue.recordValue(us(now - v.dueAt));
        return;
      case 'resolved':
        if (f.conversationId === v.conversationId) this.release(v);
        return;
      default:
        return;
    }
  }

  private onAgentFrame(a: Agent, f: Frame): void {
    switch (f.type) {
      case 'assigned': {
        const conversationId = f.conversationId;
        if (typeof conversationId !== 'string') return;
        a.socket.send({ type: 'resolve', id: `r${++this.resolveId}`, conversationId });
        const v = typeof f.visitorId === 'string' ? this.byVisitorId.get(f.visitorId) : undefined;
        if (v && v.measured && v.key !== '' && (v.conversationId === '' || v.conversationId === conversationId)) {
          this.c.agentAssigned++;
          this.h.agentSees.recordValue(us(performance.now() - v.sentAt));
          this.perAgent.set(a.id, (this.perAgent.get(a.id) ?? 0) + 1);
        }
        return;
      }
      case 'ack':
        this.c.resolved++;
        return;
      case 'error':
        this.countError(this.resolveErrors, f);
        return;
      default:
        return;
    }
  }
}

// ---- CPU profile summary -------------------------------------------------------------

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

interface HotFunction {
  name: string;
  selfPct: number;
  selfMs: number;
}

/** Self time per function in the newest profile of `dir`, restricted to [fromUs, toUs) when the profile covers it. */
function topSelfTime(dir: string, fromUs: number, toUs: number, count = 12): { functions: HotFunction[]; file: string; window: boolean } | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
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
    .map(([name, t]) => ({ name, selfMs: Math.round(t / 1000), selfPct: total ? Math.round((t / total) * 1000) / 10 : 0 }));
  return { functions, file, window };
}

// ---- report ------------------------------------------------------------------------

function table(rows: (string | number | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined ? '-' : String(c))));
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length))) ?? [];
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')).join('\n');
}

const f2 = (x: number): string => x.toFixed(2);
const sumValues = (r: Record<string, number>): number => Object.values(r).reduce((n, x) => n + x, 0);

interface RunReport extends LoadResult {
  agents: number;
  visitors: number;
  slots: number;
  /** After the drain, from each agent's `status` ack: slots still taken (all should be free once every conversation is resolved), and full agents. */
  slotsHeldAtEnd: number | undefined;
  fullAgentsAtEnd: number | undefined;
  serverLogLines: number;
  serverLogTail: string;
  meetsP99: boolean;
  hot?: HotFunction[];
  hotWindow?: boolean;
  profile?: string;
}

// ---- main ----------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const log = (s: string): void => {
    process.stderr.write(`assign-bench: ${s}\n`);
  };
  const sockets: BenchSocket[] = [];
  let server: Server | undefined;
  const cleanUp = async (): Promise<void> => {
    await Promise.all(sockets.splice(0).map((s) => s.close(500)));
    if (server) {
      await stopChild(server.child);
      removeDataDir(server.dataDir);
      server = undefined;
    }
  };
  const interrupted = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping the server`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const reports: RunReport[] = [];
  try {
    for (const n of opts.agents) {
      log(`--- ${n} agents: seeding and starting the server`);
      const started = await startServerFor(n, opts, log);
      server = started.server;
      if (/NATIVE BINARY NOT LOADED/.test(server.child.stderr)) log('WARNING: Switchboard runs the pure-JS uWebSockets.js fallback, not the native binary');
      const t0 = performance.now();
      const { agents, visitors, slots } = await connect(server, started.accounts, opts.visitors, sockets);
      log(`${agents.length} agents online (${slots} slots), ${visitors.length} visitors connected in ${Math.round(performance.now() - t0)} ms`);
      await sleep(500);

      // pino logs to stdout; with --no-demo and --log-level warn nothing else is printed there.
      const stdoutBefore = server.child.stdout.length;
      const stderrBefore = server.child.stderr.length;
      log(`${opts.rate} starts/s, ${opts.warmupS} s warm-up + ${opts.durationS} s`);
      const load = new AssignLoad(agents, visitors, opts.rate, opts.warmupS * 1000, opts.durationS * 1000);
      const result = await load.run(server.child.proc.pid);
      const held = await slotsHeld(agents);
      const serverLog = server.child.stdout.slice(stdoutBefore) + server.child.stderr.slice(stderrBefore);
      const serverLogLines = serverLog.split('\n').filter((l) => l.trim() !== '').length;

      const profileDir = server.profileDir;
      await cleanUp();
      const report: RunReport = {
        agents: n,
        visitors: visitors.length,
        slots,
        slotsHeldAtEnd: held?.active,
        fullAgentsAtEnd: held?.full,
        ...result,
        serverLogLines,
        serverLogTail: tail(serverLog, 5)
          .split('\n')
          .map((l) => `    ${l.length > 400 ? `${l.slice(0, 400)}…` : l}`)
          .join('\n'),
        meetsP99:
          result.assign.count > 0 &&
          result.assign.p99Ms <= GOAL_P99_MS &&
          result.startsPerSec >= 0.95 * opts.rate &&
          result.lost === 0 &&
          sumValues(result.errors) === 0,
      };
      if (profileDir) {
        const hot = topSelfTime(profileDir, result.measureFromUs, result.measureToUs);
        if (hot) {
          report.hot = hot.functions;
          report.hotWindow = hot.window;
          report.profile = hot.file;
        } else log(`no CPU profile found in ${profileDir}`);
      }
      reports.push(report);
      log(
        `${n} agents: ${result.startsPerSec} starts/s, assign p50 ${f2(result.assign.p50Ms)} p99 ${f2(result.assign.p99Ms)} ms, server CPU ${result.serverCpuPct ?? '?'}%, client CPU ${result.clientCpuPct}%`,
      );
      await sleep(500);
    }
  } finally {
    await cleanUp();
  }

  const smallest = reports.reduce<RunReport | undefined>((a, r) => (a === undefined || r.agents < a.agents ? r : a), undefined);
  const largest = reports.reduce<RunReport | undefined>((a, r) => (a === undefined || r.agents > a.agents ? r : a), undefined);
  const ratio = smallest && largest && smallest !== largest && smallest.assign.p99Ms > 0 ? largest.assign.p99Ms / smallest.assign.p99Ms : undefined;
  const summary = {
    bench: 'assign',
    at: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    rate: opts.rate,
    warmupS: opts.warmupS,
    durationS: opts.durationS,
    visitors: opts.visitors,
    maxConcurrent: opts.maxConcurrent,
    policy: opts.policy ?? 'round_robin',
    runs: reports.map((r) => ({
      agents: r.agents,
      slots: r.slots,
      scheduled: r.scheduled,
      sent: r.sent,
      startsPerSec: r.startsPerSec,
      assignedPerSec: r.assignedPerSec,
      assign: r.assign,
      ack: r.ack,
      agentSees: r.agentSees,
      fromDue: r.fromDue,
      acked: r.acked,
      assigned: r.assigned,
      agentAssigned: r.agentAssigned,
      queued: r.queued,
      delayed: r.delayed,
      lost: r.lost,
      errors: r.errors,
      resolved: r.resolved,
      resolveErrors: r.resolveErrors,
      startsAll: r.startsAll,
      openAtEnd: r.openAtEnd,
      slotsHeldAtEnd: r.slotsHeldAtEnd,
      fullAgentsAtEnd: r.fullAgentsAtEnd,
      agentsUsed: r.agentsUsed,
      maxPerAgent: r.maxPerAgent,
      serverCpuPct: r.serverCpuPct,
      clientCpuPct: r.clientCpuPct,
      otherCpuPct: r.otherCpuPct,
      clientLoopDelayP99Ms: r.clientLoopDelayP99Ms,
      clientLoopDelayMaxMs: r.clientLoopDelayMaxMs,
      serverRssMiB: r.serverRss?.rssMiB,
      serverPeakRssMiB: r.serverRss?.peakMiB,
      clientRssMiB: r.clientRssMiB,
      serverLogLines: r.serverLogLines,
      meetsP99: r.meetsP99,
      ...(r.hot ? { hot: r.hot, hotInWindow: r.hotWindow } : {}),
    })),
    p99Ratio: ratio === undefined ? undefined : Math.round(ratio * 100) / 100,
    ratioOf: smallest && largest && smallest !== largest ? `${largest.agents}/${smallest.agents} agents` : undefined,
    goal: { p99Ms: GOAL_P99_MS, ratio: GOAL_RATIO },
    meetsP99Goal: reports.length > 0 && reports.every((r) => r.meetsP99),
    meetsRatioGoal: ratio === undefined ? undefined : ratio <= GOAL_RATIO,
  };

  if (!opts.json) {
    const lines = [
      '',
      `Assignment benchmark: ${opts.rate} new conversations/s open loop, ${opts.warmupS} s warm-up + ${opts.durationS} s, one department (${summary.policy}, ${opts.maxConcurrent} slots/agent), ${opts.visitors} visitor connections, ${HOST}, msgpack frames, ${summary.cpus} CPUs`,
      '',
      'Latency (ms) of the starts due in the measurement period; "assign" = start sent → `assigned` at the visitor:',
      table([
        ['agents', 'starts/s', 'assigned/s', 'assign p50', 'p90', 'p99', 'p99.9', 'max', 'ack p50', 'ack p99', 'agent p99', 'due→assign p99'],
        ...reports.map((r) => [
          r.agents,
          r.startsPerSec,
          r.assignedPerSec,
          f2(r.assign.p50Ms),
          f2(r.assign.p90Ms),
          f2(r.assign.p99Ms),
          f2(r.assign.p999Ms),
          f2(r.assign.maxMs),
          f2(r.ack.p50Ms),
          f2(r.ack.p99Ms),
          f2(r.agentSees.p99Ms),
          f2(r.fromDue.p99Ms),
        ]),
      ]),
      '',
      table([
        ['agents', 'sent', 'assigned', 'queued', 'delayed', 'errors', 'lost', 'agents used', 'max/agent', 'server CPU', 'server RSS', 'client CPU', 'client loop p99', 'other CPU'],
        ...reports.map((r) => [
          r.agents,
          r.sent,
          r.assigned,
          r.queued,
          r.delayed,
          sumValues(r.errors) + sumValues(r.resolveErrors),
          r.lost,
          r.agentsUsed,
          r.maxPerAgent,
          r.serverCpuPct === undefined ? undefined : `${r.serverCpuPct}%`,
          r.serverRss ? `${r.serverRss.rssMiB} MiB` : undefined,
          `${r.clientCpuPct}%`,
          `${f2(r.clientLoopDelayP99Ms)} ms`,
          r.otherCpuPct === undefined ? undefined : `${r.otherCpuPct}%`,
        ]),
      ]),
      '',
    ];
    for (const r of reports) lines.push(`p99 ≤ ${GOAL_P99_MS} ms at ${opts.rate}/s with ${r.agents} agents: ${r.meetsP99 ? 'met' : 'NOT met'}`);
    if (ratio !== undefined) lines.push(`p99(${summary.ratioOf}) = ${ratio.toFixed(2)}×   (goal ≤ ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? 'met' : 'NOT met'})`);
    const problems: string[] = [];
    for (const r of reports) {
      const at = `${r.agents} agents`;
      const o = r.openAtEnd;
      if (o.notAssigned + o.assignedNotResolved > 0) {
        problems.push(
          `${at}: at the end, ${o.notAssigned + o.assignedNotResolved} of ${r.startsAll} conversations (warm-up included) were still open: ${o.notAssigned} never assigned (${o.queued} of them queued), ${o.assignedNotResolved} assigned but their \`resolved\` never reached the visitor`,
        );
      }
      if (r.slotsHeldAtEnd === undefined) problems.push(`${at}: the agents' loads could not be read after the run`);
      else if (r.slotsHeldAtEnd > 0) {
        problems.push(
          `${at}: after the run the agents still held ${r.slotsHeldAtEnd} slots (${r.fullAgentsAtEnd ?? 0} agents full) for ${o.assignedNotResolved} conversations assigned and not resolved`,
        );
      }
      if (r.startsPerSec < 0.95 * opts.rate) problems.push(`${at}: only ${r.startsPerSec} starts/s were sent (target ${opts.rate})`);
      if (r.delayed) {
        const why = o.notAssigned + o.assignedNotResolved > 0 ? 'conversations that never finished held the visitors' : 'raise --visitors, or the server is slower than the rate';
        problems.push(`${at}: ${r.delayed} starts waited for a free visitor (${why}); "due→assign" includes that wait`);
      }
      if (r.queued) problems.push(`${at}: ${r.queued} conversations were queued (no agent with a free slot)`);
      if (r.lost) problems.push(`${at}: ${r.lost} starts got no \`assigned\` within ${DRAIN_MS} ms after the run`);
      if (sumValues(r.errors)) problems.push(`${at}: starts answered with errors ${JSON.stringify(r.errors)}`);
      if (sumValues(r.resolveErrors)) problems.push(`${at}: resolves answered with errors ${JSON.stringify(r.resolveErrors)}`);
      if (r.serverLogLines) problems.push(`${at}: the server logged ${r.serverLogLines} warning/error lines during the run:\n${r.serverLogTail}`);
      if ((r.otherCpuPct ?? 0) > 20) problems.push(`${at}: other processes used ${r.otherCpuPct}% of a core during the measurement (${summary.cpus} CPUs): the figures are disturbed`);
      if (r.clientCpuPct > 90) problems.push(`${at}: the client used ${r.clientCpuPct}% of a core; latencies may include client queueing`);
    }
    for (const p of problems) lines.push(`note: ${p}`);
    if (opts.profileDir) {
      lines.push('', `Server CPU profiles (node --cpu-prof; latencies above are under the profiler): ${opts.profileDir}/agents-N/`);
      for (const r of reports) {
        if (!r.hot) continue;
        lines.push('', `top self time, ${r.agents} agents (${r.hotWindow ? 'measurement period' : 'whole server run'}):`);
        lines.push(table([['function', 'self ms', 'self %'], ...r.hot.map((h) => [h.name, h.selfMs, `${h.selfPct}%`])]));
      }
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (reports.some((r) => r.assign.count === 0)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`assign-bench failed: ${err instanceof UsageError ? err.message : ((err as Error).stack ?? String(err))}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
  // The server is stopped by main's finally; the exit hook SIGKILLs it if anything is left.
});
