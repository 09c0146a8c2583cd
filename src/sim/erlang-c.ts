/**
 * Erlang C (M/M/c queue): the textbook figures the simulator must agree with
 * for Poisson arrivals, exponential handle times and c agents of capacity 1
 * with no abandonment (SIM-1). Used by test/erlang-c.test.ts and printed by
 * `switchboard simulate` next to the simulated figures.
 */

export interface ErlangC {
  agents: number;
  /** Arrivals per second. */
  arrivalRate: number;
  /** Services per second per agent (1 / mean handle time). */
  serviceRate: number;
  /** Offered load in erlangs, λ/μ. */
  load: number;
  /** Utilisation, λ/(cμ). */
  utilisation: number;
  /** Probability that an arrival waits at all. */
  probWait: number;
  /** Mean wait in queue, seconds. */
  meanWaitSec: number;
}

export class UnstableQueue extends Error {
  readonly code = 'unstable_queue';
}

/**
 * C(c, a) computed through the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)),
 * which never forms a^c or c! and so stays exact for hundreds of agents.
 */
export function erlangC(agents: number, arrivalRate: number, serviceRate: number): ErlangC {
  const load = arrivalRate / serviceRate;
  if (!(Number.isInteger(agents) && agents >= 1) || !(arrivalRate > 0) || !(serviceRate > 0))
    throw new RangeError('agents ≥ 1 (whole), rates > 0');
  if (load >= agents)
    throw new UnstableQueue(
      `load ${load.toFixed(3)} erlangs needs more than ${agents} agents: the queue grows without bound`,
    );
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (load * b) / (k + load * b);
  const probWait = (agents * b) / (agents - load * (1 - b));
  return {
    agents,
    arrivalRate,
    serviceRate,
    load,
    utilisation: load / agents,
    probWait,
    meanWaitSec: probWait / (agents * serviceRate - arrivalRate),
  };
}

/** Share of arrivals that wait at most `sec` seconds: 1 − C·e^{−(cμ−λ)t}. */
export function serviceLevel(e: ErlangC, sec: number): number {
  return 1 - e.probWait * Math.exp(-(e.agents * e.serviceRate - e.arrivalRate) * sec);
}
