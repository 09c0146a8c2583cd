/**
 * ROUTE-18 widening: what a waiting conversation asks of its agent relaxes
 * step by step with its wait — first its required skills are dropped, then
 * the next tier up may take it — and ROUTE-15 overflow to a fallback
 * department is the last step (carried out by the queue, which owns the
 * wait). Pure, so the department (choosing an agent) and the queue (which
 * entries a free agent may take) compute the same needs from the same wait.
 */
import type { Needs } from './decision.js';
import type { ConversationNeeds } from './needs.js';

/** A department's widening steps, in seconds of waiting (ROUTE-18); ROUTE-15 overflow is the last. */
export interface WideningSteps {
  /** After this many seconds the conversation's required skills are dropped. */
  dropSkillsAfterSec?: number;
  /** After this many seconds the next tier up may take it too. */
  nextTierAfterSec?: number;
  /** After this many seconds it moves to `overflowTo`'s queue (ROUTE-15). */
  overflowAfterSec?: number;
  overflowTo?: string;
}

export function needsAfterWait(needs: ConversationNeeds, waitedMs: number, steps: WideningSteps | undefined): Needs {
  const reached = (sec: number | undefined): boolean => sec !== undefined && waitedMs >= sec * 1000;
  return {
    skills: reached(steps?.dropSkillsAfterSec) ? [] : needs.skills,
    tier: needs.tier,
    vip: needs.vip,
    allowNextTier: reached(steps?.nextTierAfterSec),
  };
}

/** The waits (ms) at which a step is reached, ascending; the queue re-checks its entries then. */
export function wideningPoints(steps: WideningSteps | undefined): number[] {
  if (!steps) return [];
  const points = [
    steps.dropSkillsAfterSec,
    steps.nextTierAfterSec,
    steps.overflowTo !== undefined ? steps.overflowAfterSec : undefined,
  ];
  return points
    .filter((p): p is number => p !== undefined)
    .map((p) => p * 1000)
    .sort((a, b) => a - b);
}
