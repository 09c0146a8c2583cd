/**
 * ROUTE-10 load index and the `smart` policy. Lower is better:
 *
 *   index = wLoad · load
 *         + wFirstResponse · avgFirstResponse / refFirstResponse
 *         + wResponse · avgResponse / refResponse
 *         + wHandle · avgHandle / refHandle
 *         + wSatisfaction · (5 − satisfaction) / 4
 *
 * where load = (active + offers in flight) / max. A figure not yet measured
 * counts as its reference (ratio 1; satisfaction as 3), so a new agent is
 * neither favoured nor punished. Idle agents win through the load term,
 * faster and better-rated ones through the others. Ties go to whoever waited
 * longest since their last assignment.
 */
import { loadRatio, type Candidate, type Decision } from './decision.js';
import type { Screened } from './eligibility.js';
import { decision } from './verdicts.js';

export interface LoadIndexWeights {
  load: number;
  firstResponse: number;
  response: number;
  handle: number;
  satisfaction: number;
  /** Reference values (ms) that a figure is divided by. */
  refFirstResponseMs: number;
  refResponseMs: number;
  refHandleMs: number;
}

export const defaultLoadIndexWeights: LoadIndexWeights = {
  load: 0.5,
  firstResponse: 0.2,
  response: 0.1,
  handle: 0.1,
  satisfaction: 0.1,
  refFirstResponseMs: 60_000,
  refResponseMs: 60_000,
  refHandleMs: 600_000,
};

export function loadIndex(c: Candidate, w: LoadIndexWeights = defaultLoadIndexWeights): number {
  const f = c.figures;
  return (
    w.load * loadRatio(c) +
    w.firstResponse * ((f.avgFirstResponseMs ?? w.refFirstResponseMs) / w.refFirstResponseMs) +
    w.response * ((f.avgResponseMs ?? w.refResponseMs) / w.refResponseMs) +
    w.handle * ((f.avgHandleMs ?? w.refHandleMs) / w.refHandleMs) +
    w.satisfaction * ((5 - (f.satisfaction ?? 3)) / 4)
  );
}

export function smart(
  candidates: readonly Candidate[],
  screened: Screened,
  weights: LoadIndexWeights = defaultLoadIndexWeights,
): Decision {
  let chosen: Candidate | undefined;
  let best = Infinity;
  for (const c of screened.eligible) {
    const index = loadIndex(c, weights);
    if (index < best || (index === best && chosen && c.lastAssignedAt < chosen.lastAssignedAt)) {
      best = index;
      chosen = c;
    }
  }
  return decision('smart', candidates, screened, chosen, (c) => loadIndex(c, weights));
}
