/**
 * ROUTE-10: an agent's live figures (first response, response and handling
 * times, satisfaction): running means over the first samples, then
 * exponentially weighted so that they follow recent work.
 */
import type { AgentFigures } from '../routing/decision.js';
import type { AgentStatsRecord } from './records.js';

const FIGURE_WINDOW = 20;
const FIGURE_KEYS = {
  firstResponse: 'avgFirstResponseMs',
  response: 'avgResponseMs',
  handle: 'avgHandleMs',
  satisfaction: 'satisfaction',
} as const satisfies Record<string, keyof AgentFigures>;

export type FigureKind = keyof typeof FIGURE_KEYS;

export const noFigures = (): AgentStatsRecord => ({
  figures: {},
  samples: { firstResponse: 0, response: 0, handle: 0, satisfaction: 0 },
});

/** Counts one sample of `kind` into `stats` (in place: the record is the agent actor's own). */
export function addFigure(stats: AgentStatsRecord, kind: FigureKind, value: number): void {
  const n = ++stats.samples[kind];
  const key = FIGURE_KEYS[kind];
  const before = stats.figures[key];
  const weight = 1 / Math.min(n, FIGURE_WINDOW);
  stats.figures = { ...stats.figures, [key]: before === undefined ? value : before + weight * (value - before) };
}
