/**
 * A department's settings as the settings form edits them (every value a
 * string or a checkbox, keyed by the API's dotted field names, so a refusal's
 * `field` finds its input) and back as the changes a save sends: an empty
 * setting is null, back to its default.
 */
import { Weekdays } from '../../../../protocol/vocabulary.js';
import type { Department, DepartmentChanges } from '../api-types.js';
import { numberOrUndefined, splitList } from '../form.js';

export const WEIGHTS = [
  'load',
  'firstResponse',
  'response',
  'handle',
  'satisfaction',
  'refFirstResponseMs',
  'refResponseMs',
  'refHandleMs',
] as const;

/** Departments in tree order: each after its parent, with its depth. */
export function treeOrder(list: readonly Department[]): { d: Department; depth: number }[] {
  const out: { d: Department; depth: number }[] = [];
  const ids = new Set(list.map((d) => d.id));
  const walk = (parent: string | undefined, depth: number) => {
    for (const d of list)
      if ((d.parent !== undefined && ids.has(d.parent) ? d.parent : undefined) === parent) {
        out.push({ d, depth });
        walk(d.id, depth + 1);
      }
  };
  walk(undefined, 0);
  return out;
}

export type Draft = Record<string, string | boolean>;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

export function draftOf(d: Department): Draft {
  const draft: Draft = {
    name: d.name,
    defaultMaxConcurrent: str(d.defaultMaxConcurrent),
    parent: d.parent ?? '',
    policy: d.policy,
    responseTimeoutSec: str(d.responseTimeoutSec),
    awayAfterResponseTimeout: d.awayAfterResponseTimeout === true,
    sticky: d.sticky === true,
    stickyWaitSec: str(d.stickyWaitSec),
    offerMode: d.offerMode ?? '',
    offerTimeoutSec: str(d.offerTimeoutSec),
    offerMissesBeforeAway: str(d.offerMissesBeforeAway),
    maxQueueLength: str(d.maxQueueLength),
    'widening.dropSkillsAfterSec': str(d.widening?.dropSkillsAfterSec),
    'widening.nextTierAfterSec': str(d.widening?.nextTierAfterSec),
    'widening.overflowAfterSec': str(d.widening?.overflowAfterSec),
    'widening.overflowTo': d.widening?.overflowTo ?? '',
    'fairnessCap.max': str(d.fairnessCap?.max),
    'fairnessCap.windowSec': str(d.fairnessCap?.windowSec),
    'hours.timeZone': d.hours?.timeZone ?? '',
    'hours.holidays': (d.hours?.holidays ?? []).join(', '),
  };
  for (const w of WEIGHTS) draft[`loadIndexWeights.${w}`] = str(d.loadIndexWeights?.[w]);
  for (const day of Weekdays)
    draft[`hours.weekly.${day}`] = (
      (d.hours?.weekly as Partial<Record<string, [string, string][]>> | undefined)?.[day] ?? []
    )
      .map(([a, b]) => `${a}-${b}`)
      .join(', ');
  return draft;
}

/** "09:00-12:00, 13:00-18:00" → [["09:00","12:00"],["13:00","18:00"]]; a malformed span is sent for the server to name. */
const spans = (text: string): [string, string][] =>
  splitList(text).map((s) => {
    const [a = '', b = ''] = s.split(/\s*[-–~]\s*/);
    return [a, b];
  });

export function changesOf(draft: Draft, supervisors: string[]): DepartmentChanges {
  const s = (k: string) => String(draft[k] ?? '').trim();
  const n = (k: string) => numberOrUndefined(s(k));
  const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
  const group = <T extends object>(o: T): T | null =>
    Object.values(o).some((v) => v !== undefined) ? (JSON.parse(JSON.stringify(o)) as T) : null;
  const weekly: Record<string, [string, string][]> = {};
  for (const day of Weekdays) {
    const v = spans(s(`hours.weekly.${day}`));
    if (v.length) weekly[day] = v;
  }
  const weights: Record<string, number | undefined> = {};
  for (const w of WEIGHTS) weights[w] = n(`loadIndexWeights.${w}`);
  const holidays = splitList(s('hours.holidays'));
  return {
    name: s('name'),
    defaultMaxConcurrent: Number(s('defaultMaxConcurrent')),
    parent: s('parent') || null,
    policy: (s('policy') || null) as DepartmentChanges['policy'],
    responseTimeoutSec: orNull(n('responseTimeoutSec')),
    awayAfterResponseTimeout: draft.awayAfterResponseTimeout ? true : null,
    sticky: draft.sticky ? true : null,
    stickyWaitSec: orNull(n('stickyWaitSec')),
    offerMode: (s('offerMode') || null) as DepartmentChanges['offerMode'],
    offerTimeoutSec: orNull(n('offerTimeoutSec')),
    offerMissesBeforeAway: orNull(n('offerMissesBeforeAway')),
    maxQueueLength: orNull(n('maxQueueLength')),
    widening: group({
      dropSkillsAfterSec: n('widening.dropSkillsAfterSec'),
      nextTierAfterSec: n('widening.nextTierAfterSec'),
      overflowAfterSec: n('widening.overflowAfterSec'),
      overflowTo: s('widening.overflowTo') || undefined,
    }),
    fairnessCap:
      n('fairnessCap.max') === undefined && n('fairnessCap.windowSec') === undefined
        ? null
        : ({ max: n('fairnessCap.max'), windowSec: n('fairnessCap.windowSec') } as { max: number; windowSec: number }),
    loadIndexWeights: group(weights),
    hours: s('hours.timeZone')
      ? { timeZone: s('hours.timeZone'), weekly, ...(holidays.length ? { holidays } : {}) }
      : null,
    supervisors,
  };
}
