/**
 * The simulated customers of a run (SIM-1, SIM-2): when each arrives, where,
 * with what needs, how long their conversation takes once an agent has it,
 * and how long they are willing to wait. Drawn up front from the seed (or
 * taken from a recording), so that two runs with different settings serve
 * the very same customers: differences come from the settings, not the dice.
 */
import { Random, sampleMs, type Distribution } from './random.js';
import type { ArrivalSpec, NeedsSpec, Scenario } from './scenario.js';
import type { RecordedConversation } from './recording.js';
import { drawFollowUps, type FollowUps } from './follow-ups.js';

export interface SimCustomer extends FollowUps {
  index: number;
  /** ms after the simulated start. */
  at: number;
  /** The department the widget names; undefined: the first department. */
  department: string | undefined;
  needs: NeedsSpec | undefined;
  visitorId: string;
  /** How long the conversation takes once assigned, ms. */
  handleMs: number;
  /** How long they wait unserved before leaving, ms; Infinity: they never leave. */
  patienceMs: number;
  /** When the agent first writes after an assignment, ms; undefined: never. */
  firstReplyMs: number | undefined;
}

const HOUR = 3_600_000;

/** Arrival times of one Poisson stream whose rate is constant within each UTC hour. */
function arrivalTimes(spec: ArrivalSpec, startMs: number, durationMs: number, rng: Random): number[] {
  const times: number[] = [];
  const firstHour = new Date(startMs).getUTCHours();
  for (let segment = 0; segment * HOUR < durationMs; segment++) {
    const from = segment * HOUR;
    const to = Math.min(durationMs, from + HOUR);
    const rate = spec.byHour ? spec.byHour[(firstHour + segment) % 24]! : spec.ratePerHour!;
    if (rate <= 0) continue;
    // Exponential gaps are memoryless, so restarting the draw at each hour boundary is exact.
    for (let t = from + rng.exponential(HOUR / rate); t < to; t += rng.exponential(HOUR / rate)) times.push(t);
  }
  return times;
}

/** Customers of the scenario's Poisson streams, in arrival order. */
export function syntheticCustomers(s: Scenario, startMs: number): SimCustomer[] {
  const seed = s.seed ?? 1;
  const durationMs = s.durationHours * HOUR;
  const drawn: Omit<SimCustomer, 'index' | 'visitorId'>[] = [];
  for (const [i, spec] of (s.arrivals ?? []).entries()) {
    const handle = spec.handleTime ?? s.handleTime;
    const patience: Distribution | undefined = spec.patience ?? s.patience;
    const rngs = {
      arrivals: new Random(seed, `arrivals/${i}`),
      handle: new Random(seed, `handle/${i}`),
      patience: new Random(seed, `patience/${i}`),
      reply: new Random(seed, `reply/${i}`),
    };
    for (const at of arrivalTimes(spec, startMs, durationMs, rngs.arrivals)) {
      drawn.push({
        at,
        department: spec.department,
        needs: spec.needs,
        handleMs: sampleMs(handle, rngs.handle),
        patienceMs: patience ? sampleMs(patience, rngs.patience) : Infinity,
        firstReplyMs: s.firstReply ? sampleMs(s.firstReply, rngs.reply) : undefined,
      });
    }
  }
  drawn.sort((a, b) => a.at - b.at);
  const followUps = drawFollowUps(s, drawn.length);
  return drawn.map((c, index) => ({ ...c, ...followUps[index], index, visitorId: `v-sim${index}` }));
}

/**
 * Customers of a recording (SIM-2): each recorded conversation arrives when
 * it did, where it did, with its needs and its handle time. Those who left
 * unserved leave after the time they waited then; those who were served wait
 * as long as it takes, unless the scenario gives a patience (never less than
 * what they waited in the recording). What the recording cannot tell (a
 * handle time of one never served) is drawn from the scenario.
 */
export function replayedCustomers(s: Scenario, recorded: readonly RecordedConversation[]): SimCustomer[] {
  const seed = s.seed ?? 1;
  const rngs = {
    handle: new Random(seed, 'replay/handle'),
    patience: new Random(seed, 'replay/patience'),
    reply: new Random(seed, 'replay/reply'),
  };
  const followUps = drawFollowUps(s, recorded.length);
  return recorded.map((r, index) => {
    const drawnPatience = s.patience ? sampleMs(s.patience, rngs.patience) : Infinity;
    const drawnHandle = sampleMs(s.handleTime, rngs.handle);
    const drawnReply = s.firstReply ? sampleMs(s.firstReply, rngs.reply) : undefined;
    const needs: NeedsSpec | undefined = r.needs
      ? { skills: r.needs.skills, tier: r.needs.tier, priority: r.needs.priority, vip: r.needs.vip }
      : undefined;
    return {
      index,
      at: r.at,
      department: r.department,
      needs,
      visitorId: r.visitor,
      handleMs: r.handle ?? drawnHandle,
      patienceMs: r.abandonedAfter ?? Math.max(r.waited ?? 0, drawnPatience),
      firstReplyMs: r.firstReply ?? drawnReply,
      ...followUps[index],
    };
  });
}
