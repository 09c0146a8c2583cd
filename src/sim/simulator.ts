/**
 * The routing simulator (SIM-1): runs a scenario through the real actors —
 * workspace, departments and their queues, agents, conversations, with the
 * real routing policies — in one process, on a virtual clock, with the
 * journal in memory and no sockets.
 *
 * Simulated people act only through the actors' own messages, as the
 * gateway would for real clients: a customer `start`s a conversation (a
 * needs token in the first message lets the real keyword rules settle its
 * needs) and `leave`s when their patience runs out; an agent connects and
 * goes online at the start of a shift, accepts offers, writes a first reply,
 * `resolve`s after the handle time, and at the end of a shift turns `busy`
 * until their last conversation ends. What they see arrives through the
 * notifier port, like frames to a socket: that is where the simulator learns
 * of assignments, and where it measures.
 */
import { Directory, DEFAULT_MAX_CONCURRENT } from '../../actors/directory.js';
import { silentLog } from '../../actors/log.js';
import type { Caller, Notifier, Recipient } from '../../actors/notifier.js';
import type { ServerFrame, AgentStatus } from '../../protocol/frames.js';
import { Keys } from '../../actors/keyspace.js';
import { conversationStream } from '../../actors/conversation/records.js';
import type { CustomerRecord } from '../../actors/customer-records.js';
import type { KeywordRule } from '../../actors/routing/keyword-rules.js';
import { anonymousCustomerId } from '../../actors/customer-view.js';
import type { DepartmentSettings } from '../../actors/workspace/messages.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { TimerHandle } from '../../actors/clock.js';
import { CountingRuntime } from './counting-runtime.js';
import { SimClock } from './sim-clock.js';
import { MemoryJournal } from './memory-journal.js';
import { Random, sampleMs } from './random.js';
import type { NeedsSpec, Scenario } from './scenario.js';
import type { SimCustomer } from './customers.js';

export const DEFAULT_START = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A simulated agent set `away` by the system (missed offers, response timeout) is back after this long. */
const AWAY_RETURN_MS = 60_000;
/** Conversations let go of in batches: checking the actor and dropping its records is cheap only in bulk. */
const FORGET_BATCH = 500;

export interface CustomerOutcome {
  index: number;
  arrivedAt: number;
  department: string | undefined;
  conversationId?: string;
  /** First assignment. */
  assignedAt?: number;
  endedAt?: number;
  /** How it ended: resolved by the agent, or the customer left (QUEUE-5), or it was auto-closed. */
  end?: 'resolved' | 'abandoned' | 'left' | 'inactive';
  /** QUEUE-4/6: told to leave a message instead of waiting in line, and why. */
  leftMessage?: string;
  /** The start was refused (e.g. a recorded department the scenario lacks). */
  refused?: string;
}

export interface AgentOutcome {
  id: string;
  departments: string[];
  max: number;
  assignments: number;
  /** Conversation slots × ms while online or busy. */
  availableMs: number;
  /** Slots in use × ms while online or busy. */
  usedMs: number;
}

export interface RunResult {
  scenario: Scenario;
  start: number;
  /** Simulated time the run stopped. */
  end: number;
  customers: CustomerOutcome[];
  agents: AgentOutcome[];
  /** Customers arriving before this (ms after start) are warm-up, not measured. */
  measureFrom: number;
  wallMs: number;
  timersFired: number;
}

interface Live {
  c: SimCustomer;
  o: CustomerOutcome;
  patience?: TimerHandle;
  resolve?: TimerHandle;
  reply?: TimerHandle;
  agentId?: string;
  /** When the current assignment began, and ms served before it (a re-assigned conversation goes on where it was). */
  since?: number;
  served: number;
  /** The visitor id the conversation was started with. */
  visitorId: string;
}

interface AgentState extends AgentOutcome {
  status: AgentStatus;
  active: number;
  lastChange: number;
  /** Shift over: busy until the last conversation ends, then offline. */
  leaving: boolean;
  onShift: boolean;
}

const caller = (role: Caller['role'], id: string, connectionId: number): Caller => ({
  role,
  id,
  name: id,
  connectionId,
});
const noop = (): void => undefined;

/** The keyword rules that carry each distinct need of the scenario's customers into the real keyword routing (ROUTE-7). */
function needsRules(customers: readonly SimCustomer[]): {
  rules: KeywordRule[];
  tokenOf: (n: NeedsSpec | undefined) => string | undefined;
} {
  const keyOf = (n: NeedsSpec): string | undefined => {
    const skills = [...(n.skills ?? [])].sort();
    if (skills.length === 0 && (n.tier ?? 1) === 1 && (n.priority ?? 0) === 0) return undefined;
    return JSON.stringify([skills, n.tier ?? 1, n.priority ?? 0]);
  };
  const tokens = new Map<string, string>();
  const rules: KeywordRule[] = [];
  for (const c of customers) {
    const key = c.needs ? keyOf(c.needs) : undefined;
    if (key === undefined || tokens.has(key)) continue;
    const token = `zzsimneeds${tokens.size}zz`;
    tokens.set(key, token);
    const n = c.needs!;
    rules.push({
      id: `sim-needs-${tokens.size}`,
      keywords: [token],
      ...(n.skills?.length ? { skills: n.skills } : {}),
      ...(n.tier === 2 ? { tier: 2 as const } : {}),
      ...(n.priority ? { priority: n.priority } : {}),
    });
  }
  return { rules, tokenOf: (n) => (n ? tokens.get(keyOf(n) ?? '') : undefined) };
}

/** Online intervals [from, to) of an agent's daily UTC shifts within [0, horizon) ms after `start`. */
export function shiftIntervals(
  shifts: readonly { from: string; to: string }[] | undefined,
  start: number,
  horizon: number,
): [number, number][] {
  if (!shifts) return [[0, Infinity]];
  const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const day0 = Math.floor(start / DAY) * DAY - start;
  const out: [number, number][] = [];
  for (let day = day0 - DAY; day < horizon; day += DAY) {
    for (const s of shifts) {
      const from = day + minutes(s.from) * 60_000;
      let to = day + minutes(s.to) * 60_000;
      if (to <= from) to += DAY;
      if (to > 0 && from < horizon) out.push([Math.max(0, from), to]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Runs one scenario over the given customers. */
export async function simulate(scenario: Scenario, customers: readonly SimCustomer[]): Promise<RunResult> {
  const wallStart = performance.now();
  const start = scenario.start !== undefined ? Date.parse(scenario.start) : DEFAULT_START;
  const runtime = new CountingRuntime(silentLog);
  const clock = new SimClock(start, runtime);
  const journal = new MemoryJournal();
  const seed = scenario.seed ?? 1;
  const acceptRng = new Random(seed, 'accept');

  const live = new Map<number, Live>();
  const agents = new Map<string, AgentState>();
  const toForget: string[] = [];
  let finished = 0;
  let arrived = 0;

  const agentCaller = (id: string): Caller => caller('agent', id, 0);

  const notifier: Notifier = {
    send(to: Recipient, frame: ServerFrame): boolean {
      if (to.kind === 'connection') onCustomerFrame(to.id, frame);
      else if (to.kind === 'staff') onAgentFrame(to.id, frame);
      return true;
    },
    connectionsOf: () => [],
  };

  const dir = Directory.boot({ runtime, journal, notifier, clock, log: silentLog });
  const ask = dir.deps.runtime.ask.bind(dir.deps.runtime);

  const onCustomerFrame = (connection: number, frame: ServerFrame): void => {
    const l = live.get(connection);
    if (!l) return;
    const now = clock.now();
    switch (frame.type) {
      case 'queued':
        if (frame.reason && l.o.leftMessage === undefined && l.o.assignedAt === undefined) {
          // Offered to leave a message (QUEUE-4/6): they do, and stop waiting at the screen.
          l.o.leftMessage = frame.reason;
          l.patience?.cancel();
        }
        return;
      case 'assigned': {
        l.o.assignedAt ??= now;
        l.patience?.cancel();
        l.agentId = frame.agent.id;
        l.since = now;
        const agent = agents.get(frame.agent.id);
        if (agent) agent.assignments++;
        const conversation = frame.conversationId;
        const agentId = frame.agent.id;
        l.resolve = clock.setTimer(Math.max(0, l.c.handleMs - l.served), () =>
          runtime.tell(dir.conversationRef(conversation), {
            type: 'resolve',
            caller: agentCaller(agentId),
            reply: noop,
          }),
        );
        if (l.c.firstReplyMs !== undefined) {
          l.reply = clock.setTimer(l.c.firstReplyMs, () =>
            runtime.tell(dir.conversationRef(conversation), {
              type: 'send',
              caller: agentCaller(agentId),
              text: 'sim reply',
              reply: noop,
            }),
          );
        }
        return;
      }
      case 'unassigned':
        l.resolve?.cancel();
        l.reply?.cancel();
        if (l.since !== undefined) l.served += now - l.since;
        l.since = undefined;
        return;
      case 'resolved':
        if (l.o.endedAt !== undefined) return;
        l.o.endedAt = now;
        l.o.end =
          frame.reason === 'abandoned' || frame.reason === 'left' || frame.reason === 'inactive'
            ? frame.reason
            : 'resolved';
        l.patience?.cancel();
        l.resolve?.cancel();
        l.reply?.cancel();
        live.delete(connection);
        finished++;
        toForget.push(frame.conversationId);
        return;
      default:
        return;
    }
  };

  /** Integrates slots available and in use up to now, then takes the agent's new status and load. */
  const account = (a: AgentState, status: AgentStatus, active: number): void => {
    const now = clock.now();
    if (a.status === 'online' || a.status === 'busy') {
      a.availableMs += a.max * (now - a.lastChange);
      a.usedMs += Math.min(a.active, a.max) * (now - a.lastChange);
    }
    a.status = status;
    a.active = active;
    a.lastChange = now;
  };

  const onAgentFrame = (staffId: string, frame: ServerFrame): void => {
    const a = agents.get(staffId);
    if (!a) return;
    const ref = dir.agent(staffId);
    if (!ref) return;
    if (frame.type === 'offer') {
      // Offer mode (ROUTE-17): the agent looks, then accepts.
      const delay = scenario.acceptDelay ? sampleMs(scenario.acceptDelay, acceptRng) : 0;
      const conversationId = frame.conversationId;
      clock.setTimer(delay, () =>
        runtime.tell(ref, { type: 'answerOffer', conversationId, accept: true, reply: noop }),
      );
      return;
    }
    if (frame.type !== 'agent_status') return;
    account(a, frame.status, frame.active);
    if (a.leaving && frame.active === 0 && frame.status !== 'offline') {
      a.leaving = false;
      runtime.tell(ref, { type: 'setStatus', status: 'offline', reply: noop });
      runtime.tell(ref, { type: 'disconnected' });
    } else if (frame.status === 'away' && a.onShift && !a.leaving) {
      clock.setTimer(AWAY_RETURN_MS, () => {
        if (a.onShift && a.status === 'away') runtime.tell(ref, { type: 'setStatus', status: 'online', reply: noop });
      });
    }
  };

  const forget = (): void => {
    const keep: string[] = [];
    for (const id of toForget) {
      if (runtime.find('conversation', id)) keep.push(id);
      else
        journal.forget(conversationStream(id), [
          Keys.routing(id),
          Keys.decisions(id),
          Keys.clientMsgs(id),
          Keys.readMarks(id),
          Keys.transfers(id),
          Keys.notes(id),
          Keys.rating(id),
        ]);
    }
    toForget.length = 0;
    toForget.push(...keep);
  };

  try {
    // The workspace as the scenario sets it, through the workspace actor so it is checked like a live change.
    const { rules, tokenOf } = needsRules(customers);
    await ask(dir.workspace, {
      type: 'configureWorkspace',
      changes: { autoMessages: { enabled: scenario.workspace?.autoMessages === true } },
    });
    const userRules = (scenario.workspace?.keywordRules ?? []) as KeywordRule[];
    if (rules.length || userRules.length)
      await ask(dir.workspace, { type: 'setKeywordRules', rules: [...rules, ...userRules] });
    if (scenario.workspace?.autoAssign === false) await ask(dir.workspace, { type: 'setAutoAssign', enabled: false });
    for (const d of scenario.departments) {
      await ask(dir.workspace, {
        type: 'createDepartment',
        department: {
          id: d.id,
          name: d.name ?? d.id,
          defaultMaxConcurrent: d.defaultMaxConcurrent ?? DEFAULT_MAX_CONCURRENT,
        },
      });
    }
    for (const d of scenario.departments) {
      const { id, name: _name, defaultMaxConcurrent: _max, ...settings } = d;
      if (Object.keys(settings).length)
        await ask(dir.workspace, { type: 'configureDepartment', id, changes: settings as DepartmentSettings });
    }
    const departmentDefaults = new Map(
      scenario.departments.map((d) => [d.id, d.defaultMaxConcurrent ?? DEFAULT_MAX_CONCURRENT]),
    );
    const horizon = scenario.durationHours * HOUR + (scenario.drainHours ?? 8) * HOUR;
    for (const spec of scenario.agents) {
      const ids =
        spec.count === undefined ? [spec.id] : Array.from({ length: spec.count }, (_, i) => `${spec.id}-${i + 1}`);
      for (const id of ids) {
        await ask(dir.workspace, {
          type: 'createStaff',
          staff: {
            id,
            name: spec.name ?? id,
            email: `${id}@sim.invalid`,
            role: 'agent',
            departments: spec.departments,
            ...(spec.maxConcurrent !== undefined ? { maxConcurrent: spec.maxConcurrent } : {}),
            ...(spec.weight !== undefined ? { weight: spec.weight } : {}),
            ...(spec.tier !== undefined ? { tier: spec.tier } : {}),
            ...(spec.skills !== undefined ? { skills: spec.skills } : {}),
            passwordHash: '',
          },
        });
        const max =
          spec.maxConcurrent ??
          Math.max(...spec.departments.map((d) => departmentDefaults.get(d) ?? DEFAULT_MAX_CONCURRENT));
        const a: AgentState = {
          id,
          departments: spec.departments,
          max,
          assignments: 0,
          availableMs: 0,
          usedMs: 0,
          status: 'offline',
          active: 0,
          lastChange: start,
          leaving: false,
          onShift: false,
        };
        agents.set(id, a);
        const ref = dir.agent(id)!;
        for (const [from, to] of shiftIntervals(spec.shifts, start, horizon)) {
          clock.setTimer(from, () => {
            a.onShift = true;
            if (a.leaving) a.leaving = false;
            else runtime.tell(ref, { type: 'connected' });
            runtime.tell(ref, { type: 'setStatus', status: 'online', reply: noop });
          });
          if (to !== Infinity) {
            clock.setTimer(to, () => {
              a.onShift = false;
              a.leaving = true;
              runtime.tell(ref, { type: 'setStatus', status: 'busy', reply: noop });
            });
          }
        }
      }
    }
    await clock.settle();

    const outcomes: CustomerOutcome[] = new Array<CustomerOutcome>(customers.length);
    // Customers arrive one after another: one timer pending at a time keeps the heap small.
    const arrive = (i: number): void => {
      const c = customers[i];
      if (!c) return;
      arrived++;
      const o: CustomerOutcome = { index: c.index, arrivedAt: c.at, department: c.department };
      const connection = c.index + 1;
      const l: Live = { c, o, served: 0, visitorId: c.visitorId };
      live.set(connection, l);
      outcomes[c.index] = o;
      if (c.needs?.vip) {
        const customerId = anonymousCustomerId(c.visitorId);
        const record: CustomerRecord = {
          id: customerId,
          attributes: {},
          vip: true,
          visitorIds: [c.visitorId],
          createdAt: clock.now(),
          updatedAt: clock.now(),
        };
        void journal.writeRecords([{ key: Keys.customer(customerId), value: record }]);
      }
      const text = tokenOf(c.needs);
      const startConversation = (visitorId: string, retry: boolean): void => {
        runtime.tell(dir.workspace, {
          type: 'start',
          caller: caller('visitor', visitorId, connection),
          ...(c.department !== undefined ? { department: c.department } : {}),
          ...(text !== undefined ? { text } : {}),
          reply: (r) => {
            if (r instanceof ProtocolError) {
              o.refused = r.code;
              live.delete(connection);
              finished++;
              return;
            }
            // A recorded visitor whose earlier conversation is still open here: a new visitor, so nothing merges.
            if (!r.created && retry) return startConversation(`${c.visitorId}~${c.index}`, false);
            o.conversationId = r.conversationId;
            if (Number.isFinite(c.patienceMs) && o.assignedAt === undefined && o.leftMessage === undefined) {
              const id = r.conversationId;
              l.patience = clock.setTimer(c.patienceMs - (clock.now() - (start + c.at)), () => {
                if (o.assignedAt === undefined && o.endedAt === undefined && o.leftMessage === undefined) {
                  runtime.tell(dir.conversationRef(id), {
                    type: 'leave',
                    caller: caller('visitor', l.visitorId, connection),
                    reply: noop,
                  });
                }
              });
            }
          },
        });
        l.visitorId = visitorId;
      };
      startConversation(c.visitorId, true);
      if (toForget.length >= FORGET_BATCH) forget();
      const next = customers[i + 1];
      if (next) clock.setTimer(start + next.at - clock.now(), () => arrive(i + 1));
    };
    if (customers.length) clock.setTimer(customers[0]!.at, () => arrive(0));

    const lastArrival = customers.length ? customers[customers.length - 1]!.at : 0;
    const until = start + Math.max(scenario.durationHours * HOUR, lastArrival) + (scenario.drainHours ?? 8) * HOUR;
    await clock.run({ until, stop: () => arrived === customers.length && finished === customers.length });
    for (const a of agents.values()) account(a, a.status, a.active);
    const result: RunResult = {
      scenario,
      start,
      end: clock.now(),
      customers: outcomes.filter((o) => o !== undefined),
      agents: [...agents.values()].map(({ id, departments, max, assignments, availableMs, usedMs }) => ({
        id,
        departments,
        max,
        assignments,
        availableMs,
        usedMs,
      })),
      measureFrom: (scenario.warmupHours ?? 0) * HOUR,
      wallMs: performance.now() - wallStart,
      timersFired: clock.fired,
    };
    return result;
  } finally {
    runtime.shutdown();
  }
}
