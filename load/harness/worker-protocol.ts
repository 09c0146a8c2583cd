/**
 * What the load harness (the coordinator, load/harness/harness.ts) and its client
 * worker processes (load/harness/load-worker.ts) say to each other over the IPC
 * channel of `child_process.fork`. Every request carries a `reqId` and is
 * answered once, with the same `reqId`.
 *
 * Times in a schedule are absolute: milliseconds since the Unix epoch with a
 * fractional part (`performance.timeOrigin + performance.now()`), so that
 * every process measures the same window, and a latency from a send in one
 * worker to a receipt in another can be taken from the timestamp the sender
 * puts into the message's `clientMsgId`.
 */

export interface AgentAccount {
  id: string;
  token: string;
}

/** When to start sending, the measurement window, and how long to wait for stragglers after it. */
export interface Schedule {
  startAt: number;
  measureFrom: number;
  measureTo: number;
  drainMs: number;
}

/** The behaviour of the day-peak mix (`mixed` scenario), per worker. */
export interface MixedTraffic {
  kind: 'mixed';
  url: string;
  department: string;
  /** New visitors per second arriving at this worker (Poisson). */
  arrivalsPerSec: number;
  /** Visitors of this worker connected at once at most; an arrival beyond it is counted as `arrivalsRefused`. */
  maxVisitors: number;
  /** Mean time between a visitor's messages (exponential), ms. */
  visitorThinkMs: number;
  /** Mean time an agent takes to reply to a visitor's message (exponential), ms. */
  agentThinkMs: number;
  /** Visitor messages an agent answers before it resolves or transfers the conversation. */
  messagesPerConversation: number;
  /** Share of conversations the first agent transfers to the department instead of resolving. */
  transferShare: number;
}

export type Traffic =
  /** Each echo connection keeps `window` frames in flight. */
  | { kind: 'echo'; window: number }
  /** Each visitor keeps `window` sends in flight, refilled on the ack. */
  | { kind: 'relay'; window: number }
  /** Sends at a fixed rate (per second, this worker), open loop, round robin over the visitors. */
  | { kind: 'relay-paced'; rate: number }
  /** New conversations at a fixed rate (per second, this worker), open loop; agents resolve on `assigned`. */
  | { kind: 'assign'; rate: number; department: string }
  | MixedTraffic;

export type WorkerCommand =
  /** Replies with this worker's clock, to estimate skew between processes. */
  | { op: 'clock' }
  /** Staff sockets: sign in with the token, go online. */
  | { op: 'connectAgents'; url: string; agents: AgentAccount[] }
  /** Visitor sockets that say `hello`; with `converse`, each starts a conversation and waits until it is assigned. */
  | { op: 'connectVisitors'; url: string; count: number; department: string; converse: boolean }
  /** Visitor sockets that only connect (and say `hello` if asked): idle widgets. */
  | { op: 'connectIdle'; url: string; count: number; hello: boolean }
  /** Sockets to the bare echo server. */
  | { op: 'connectEcho'; url: string; count: number }
  | { op: 'run'; traffic: Traffic; schedule: Schedule }
  /** Closes every socket of this worker. */
  | { op: 'reset' };

export interface WorkerRequest {
  reqId: number;
  command: WorkerCommand;
}

export interface ConnectResult {
  connected: number;
  /** Staff: free conversation slots reported by the `status` acks. */
  slots: number;
  /** Visitors with `converse`: conversations assigned, and those queued instead. */
  assigned: number;
  queued: number;
  /** Sockets this worker holds in all. */
  sockets: number;
  now: number;
}

/** What one worker observed during a run. */
export interface TrafficReport {
  /** Events counted during the measurement window. */
  counters: Record<string, number>;
  /** Events counted over the whole run. */
  totals: Record<string, number>;
  /** Error frames received, by code; plus `lost` for sends that got no answer by the end of the drain. */
  errors: Record<string, number>;
  /** Latency histograms (µs), hdr-histogram-js compressed base64. */
  histograms: Record<string, string>;
  /** This worker's CPU seconds during the measurement window. */
  cpuSeconds: number;
  /** This worker's event-loop delay p99 during the run, ms. */
  loopDelayP99Ms: number;
}

export type WorkerResult = ConnectResult | TrafficReport | { now: number } | Record<string, never>;

export type WorkerReply =
  | { reqId: number; ok: true; result: WorkerResult }
  | { reqId: number; ok: false; error: string };

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();
