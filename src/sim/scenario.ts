/**
 * The simulator's scenario file (SIM-1): departments with their real routing
 * settings, agents and their shifts, arrivals, handle times, patience and a
 * seed. Checked against a TypeBox schema here; department settings are
 * checked again by the workspace actor when the simulator configures them,
 * so a scenario is refused for exactly what the server would refuse.
 * docs/simulation.md describes the format with an example.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

const Seconds = Type.Number({ exclusiveMinimum: 0 });

export const DistributionSchema = Type.Union([
  Type.Object({ dist: Type.Literal('exponential'), meanSec: Seconds }, { additionalProperties: false }),
  Type.Object({ dist: Type.Literal('lognormal'), meanSec: Seconds, sdSec: Seconds }, { additionalProperties: false }),
  Type.Object({ dist: Type.Literal('fixed'), sec: Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
]);

const Needs = Type.Object(
  {
    skills: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    tier: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    vip: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Clock = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$',
  description: 'UTC time of day, HH:MM',
});

/** A department: id and name, plus any department setting the server has (policy, limits, offer mode, widening, ...). */
const Department = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    name: Type.Optional(Type.String()),
    defaultMaxConcurrent: Type.Optional(Type.Integer({ minimum: 1 })),
    policy: Type.Optional(Type.String()),
    responseTimeoutSec: Type.Optional(Type.Number()),
    awayAfterResponseTimeout: Type.Optional(Type.Boolean()),
    sticky: Type.Optional(Type.Boolean()),
    stickyWaitSec: Type.Optional(Type.Number()),
    offerMode: Type.Optional(Type.String()),
    offerTimeoutSec: Type.Optional(Type.Number()),
    offerMissesBeforeAway: Type.Optional(Type.Integer()),
    widening: Type.Optional(
      Type.Object(
        {
          dropSkillsAfterSec: Type.Optional(Type.Number()),
          nextTierAfterSec: Type.Optional(Type.Number()),
          overflowAfterSec: Type.Optional(Type.Number()),
          overflowTo: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    fairnessCap: Type.Optional(
      Type.Object({ max: Type.Integer(), windowSec: Type.Number() }, { additionalProperties: false }),
    ),
    loadIndexWeights: Type.Optional(Type.Record(Type.String(), Type.Number())),
    maxQueueLength: Type.Optional(Type.Integer()),
    hours: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

const Agent = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    name: Type.Optional(Type.String()),
    departments: Type.Array(Type.String(), { minItems: 1 }),
    /** Expands to `count` agents `<id>-1` … `<id>-<count>` with the same settings. */
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    maxConcurrent: Type.Optional(Type.Integer({ minimum: 1 })),
    weight: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    tier: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
    skills: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** Daily shifts (UTC); absent: online all the time. A shift ending before it starts runs over midnight. */
    shifts: Type.Optional(Type.Array(Type.Object({ from: Clock, to: Clock }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);

const ArrivalStream = Type.Object(
  {
    /** The department the widget names (ROUTE-8); absent: the first department. */
    department: Type.Optional(Type.String()),
    /** Poisson arrivals per hour. */
    ratePerHour: Type.Optional(Type.Number({ minimum: 0 })),
    /** 24 hourly rates (UTC hour of day), instead of one rate: a day's shape. */
    byHour: Type.Optional(Type.Array(Type.Number({ minimum: 0 }), { minItems: 24, maxItems: 24 })),
    needs: Type.Optional(Needs),
    handleTime: Type.Optional(DistributionSchema),
    patience: Type.Optional(DistributionSchema),
  },
  { additionalProperties: false },
);

/** Agents hand a share of the conversations they get in `from` on to department `to` (XFER-1), after a delay. */
const TransferRule = Type.Object(
  {
    from: Type.String({ minLength: 1 }),
    to: Type.String({ minLength: 1 }),
    share: Type.Number({ minimum: 0, maximum: 1 }),
    after: DistributionSchema,
    /** XFER-2 tags the transfer carries; the simulator adds them to the workspace's tag list. */
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }))),
  },
  { additionalProperties: false },
);

/** MON-3: a share of the customers whose conversation staff resolved answer the survey, with these score weights. */
const Ratings = Type.Object(
  {
    share: Type.Number({ minimum: 0, maximum: 1 }),
    /** Relative weights of the scores 1 … 5. */
    weights: Type.Array(Type.Number({ minimum: 0 }), { minItems: 5, maxItems: 5 }),
  },
  { additionalProperties: false },
);

export const ScenarioSchema = Type.Object(
  {
    name: Type.Optional(Type.String()),
    seed: Type.Optional(Type.Integer()),
    /** Simulated start, ISO 8601; default 2026-01-05T00:00:00Z (a Monday). */
    start: Type.Optional(Type.String()),
    /** Hours of arrivals. */
    durationHours: Type.Number({ exclusiveMinimum: 0 }),
    /** Hours after the last arrival to let queues empty before the run stops (default 8). */
    drainHours: Type.Optional(Type.Number({ minimum: 0 })),
    /** Customers arriving in the first hours are simulated but not counted (the queue starts empty). */
    warmupHours: Type.Optional(Type.Number({ minimum: 0 })),
    /** The X of "service level: % assigned within X seconds" (default 20). */
    serviceLevelSec: Type.Optional(Type.Number({ minimum: 0 })),
    workspace: Type.Optional(
      Type.Object(
        {
          autoAssign: Type.Optional(Type.Boolean()),
          /** Keyword rules as the server takes them (ROUTE-7). */
          keywordRules: Type.Optional(Type.Array(Type.Unknown())),
          /** CONV-4 automatic messages: off by default here, since they do not change routing and cost time. */
          autoMessages: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    departments: Type.Array(Department, { minItems: 1 }),
    agents: Type.Array(Agent),
    arrivals: Type.Optional(Type.Array(ArrivalStream)),
    /** A recording (`switchboard start --record`) whose conversations are the arrivals (SIM-2). */
    replay: Type.Optional(Type.String()),
    handleTime: DistributionSchema,
    /** How long a waiting customer waits before leaving; absent: nobody abandons. */
    patience: Type.Optional(DistributionSchema),
    /** Delay of the agent's first reply after assignment; absent: agents never write (response timeouts then fire). */
    firstReply: Type.Optional(DistributionSchema),
    /** Offer mode (ROUTE-17): how long an agent takes to accept an offer; absent: at once. */
    acceptDelay: Type.Optional(DistributionSchema),
    /** Transfers agents make (first matching rule per conversation); absent: none. */
    transfers: Type.Optional(Type.Array(TransferRule)),
    /** Survey answers (MON-3); absent: nobody rates. */
    ratings: Type.Optional(Ratings),
  },
  { additionalProperties: false },
);

export type Scenario = Static<typeof ScenarioSchema>;
export type DepartmentSpec = Static<typeof Department>;
export type AgentSpec = Static<typeof Agent>;
export type ArrivalSpec = Static<typeof ArrivalStream>;
export type NeedsSpec = Static<typeof Needs>;
export type TransferSpec = Static<typeof TransferRule>;

export class ScenarioError extends Error {
  readonly code = 'scenario_invalid';
  override readonly name = 'ScenarioError';
}

const check = TypeCompiler.Compile(ScenarioSchema);

/** Checks a parsed scenario; throws ScenarioError naming the first problem. */
export function parseScenario(value: unknown): Scenario {
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    throw new ScenarioError(`scenario ${first?.path || '/'}: ${first?.message ?? 'invalid'}`);
  }
  const s = value;
  const ids = new Set(s.departments.map((d) => d.id));
  if (ids.size !== s.departments.length) throw new ScenarioError('scenario /departments: ids must be unique');
  for (const [i, a] of s.agents.entries()) {
    const unknown = a.departments.find((d) => !ids.has(d));
    if (unknown !== undefined) throw new ScenarioError(`scenario /agents/${i}/departments: no department "${unknown}"`);
  }
  for (const [i, a] of (s.arrivals ?? []).entries()) {
    if (a.department !== undefined && !ids.has(a.department))
      throw new ScenarioError(`scenario /arrivals/${i}/department: no department "${a.department}"`);
    if ((a.ratePerHour === undefined) === (a.byHour === undefined))
      throw new ScenarioError(`scenario /arrivals/${i}: give ratePerHour or byHour`);
  }
  for (const [i, r] of (s.transfers ?? []).entries()) {
    for (const field of ['from', 'to'] as const)
      if (!ids.has(r[field])) throw new ScenarioError(`scenario /transfers/${i}/${field}: no department "${r[field]}"`);
  }
  if (s.ratings && !s.ratings.weights.some((w) => w > 0))
    throw new ScenarioError('scenario /ratings/weights: at least one score needs a weight above 0');
  if (!s.arrivals?.length && s.replay === undefined)
    throw new ScenarioError('scenario: give arrivals or a recording to replay');
  if (s.start !== undefined && Number.isNaN(Date.parse(s.start)))
    throw new ScenarioError('scenario /start: not a date');
  return s;
}

type Keyed = { id: string; remove?: boolean };

/** Entries with a known id are patched field by field; new ids are added; `"remove": true` removes one. */
function mergeById<T extends { id: string }>(base: readonly T[], patch: readonly (Partial<T> & Keyed)[]): T[] {
  const out = base.map((b) => ({ ...b }));
  for (const p of patch) {
    const i = out.findIndex((b) => b.id === p.id);
    const { remove, ...fields } = p;
    if (remove) {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = { ...out[i]!, ...fields } as T;
    else out.push(fields as unknown as T);
  }
  return out;
}

/**
 * The settings of a what-if run (SIM-2): `patch` is a partial scenario.
 * Departments and agents are merged by id (change a policy, add agents, set
 * `count`); every other key given replaces the base's.
 */
export function applySettings(base: Scenario, patch: Record<string, unknown>): Scenario {
  const { departments, agents, workspace, ...rest } = patch as {
    departments?: (Partial<DepartmentSpec> & Keyed)[];
    agents?: (Partial<AgentSpec> & Keyed)[];
    workspace?: Scenario['workspace'];
  };
  const merged = {
    ...base,
    ...rest,
    ...(workspace ? { workspace: { ...base.workspace, ...workspace } } : {}),
    departments: departments ? mergeById(base.departments, departments) : base.departments,
    agents: agents ? mergeById(base.agents, agents) : base.agents,
  };
  return parseScenario(merged);
}
