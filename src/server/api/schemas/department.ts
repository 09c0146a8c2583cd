/** Schemas of departments and their routing settings (/api/v1/departments). */
import { Type } from '@sinclair/typebox';
import { DepartmentId } from '../../../../protocol/frames.js';
import { OfferModes, RoutingPolicies, Weekdays, literals } from '../../../../protocol/vocabulary.js';
import { Name, Seconds, StaffId, nullable, strict } from './common.js';

const Policy = literals(RoutingPolicies);
const Weekday = literals(Weekdays);
const Clock = Type.String({ pattern: '^[0-9]{2}:[0-9]{2}$' });

const Widening = Type.Object(
  {
    dropSkillsAfterSec: Type.Optional(Seconds('Required skills are dropped after this wait.')),
    nextTierAfterSec: Type.Optional(Seconds('The next tier up may take it after this wait.')),
    overflowAfterSec: Type.Optional(Seconds('Moves to overflowTo after this wait (ROUTE-15).')),
    overflowTo: Type.Optional(DepartmentId),
  },
  { ...strict, description: 'ROUTE-18 widening steps.' },
);
const FairnessCap = Type.Object(
  { max: Type.Integer({ minimum: 1 }), windowSec: Seconds('Window length.') },
  { ...strict, description: 'ROUTE-19' },
);
const LoadIndexWeights = Type.Object(
  {
    load: Type.Optional(Type.Number({ minimum: 0 })),
    firstResponse: Type.Optional(Type.Number({ minimum: 0 })),
    response: Type.Optional(Type.Number({ minimum: 0 })),
    handle: Type.Optional(Type.Number({ minimum: 0 })),
    satisfaction: Type.Optional(Type.Number({ minimum: 0 })),
    refFirstResponseMs: Type.Optional(Type.Number({ minimum: 0 })),
    refResponseMs: Type.Optional(Type.Number({ minimum: 0 })),
    refHandleMs: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { ...strict, description: 'ROUTE-10: weights of the smart policy.' },
);
const Hours = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. "Asia/Shanghai".' }),
    weekly: Type.Partial(Type.Record(Weekday, Type.Array(Type.Tuple([Clock, Clock]), { maxItems: 12 })), strict),
    holidays: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), { maxItems: 366 })),
  },
  { ...strict, description: 'QUEUE-6 business hours.' },
);

/** The routing settings a department's PATCH may change (all of them but its id). */
const departmentSettings = {
  name: Type.Optional(Name),
  defaultMaxConcurrent: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'Capacity of members without their own (ROUTE-11).' }),
  ),
  parent: Type.Optional(nullable(DepartmentId)),
  policy: Type.Optional(nullable(Policy)),
  responseTimeoutSec: Type.Optional(nullable(Seconds('ROUTE-13'))),
  awayAfterResponseTimeout: Type.Optional(nullable(Type.Boolean())),
  sticky: Type.Optional(nullable(Type.Boolean({ description: 'ROUTE-9' }))),
  stickyWaitSec: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: 604_800 }))),
  offerMode: Type.Optional(nullable(literals(OfferModes, { description: 'ROUTE-17' }))),
  offerTimeoutSec: Type.Optional(nullable(Seconds('ROUTE-17'))),
  offerMissesBeforeAway: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 100 }))),
  widening: Type.Optional(nullable(Widening)),
  fairnessCap: Type.Optional(nullable(FairnessCap)),
  loadIndexWeights: Type.Optional(nullable(LoadIndexWeights)),
  maxQueueLength: Type.Optional(nullable(Type.Integer({ minimum: 0, description: 'QUEUE-4' }))),
  hours: Type.Optional(nullable(Hours)),
};

export const DepartmentPatch = Type.Object(
  {
    ...departmentSettings,
    supervisors: Type.Optional(
      Type.Array(StaffId, {
        maxItems: 100,
        uniqueItems: true,
        description: 'ROLE-2: exactly these supervisors lead the department.',
      }),
    ),
  },
  { ...strict, minProperties: 1 },
);

export const DepartmentCreate = Type.Object(
  {
    id: DepartmentId,
    name: Name,
    defaultMaxConcurrent: Type.Integer({ minimum: 1, maximum: 1000 }),
    parent: Type.Optional(DepartmentId),
    policy: Type.Optional(Policy),
  },
  strict,
);

export const DepartmentView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  defaultMaxConcurrent: Type.Integer(),
  order: Type.Integer(),
  parent: Type.Optional(Type.String()),
  supervisors: Type.Array(Type.String(), { description: 'Supervisors who lead it.' }),
  /** The policy in force: round_robin when none is set (ROUTE-2). */
  policy: Policy,
  responseTimeoutSec: Type.Optional(Type.Number()),
  awayAfterResponseTimeout: Type.Optional(Type.Boolean()),
  sticky: Type.Optional(Type.Boolean()),
  stickyWaitSec: Type.Optional(Type.Number()),
  offerMode: Type.Optional(literals(OfferModes)),
  offerTimeoutSec: Type.Optional(Type.Number()),
  offerMissesBeforeAway: Type.Optional(Type.Integer()),
  widening: Type.Optional(Widening),
  fairnessCap: Type.Optional(FairnessCap),
  loadIndexWeights: Type.Optional(LoadIndexWeights),
  maxQueueLength: Type.Optional(Type.Integer()),
  hours: Type.Optional(Hours),
});

export const DepartmentList = Type.Object({
  departments: Type.Array(DepartmentView, { description: 'In creation order; `parent` makes the tree.' }),
});
