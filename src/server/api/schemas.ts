/**
 * TypeBox schemas of the admin HTTP API's bodies, queries and answers. They
 * validate requests (strict objects: unknown fields are refused) and are the
 * JSON Schemas of the OpenAPI document. Settings that can be removed take
 * `null` in a PATCH (back to the default).
 */
import { PASSWORD_RULE } from '../../auth/sign-in.js';
import { Type, type TSchema } from '@sinclair/typebox';
import { AgentStatus, AutoMessageKey, CannedId, DepartmentId, Language } from '../../../protocol/frames.js';
import { ErrorCodes } from '../../../protocol/errors.js';
import { Limits } from '../../../protocol/limits.js';
import {
  AuditOutcomes,
  OfferModes,
  RoutingPolicies,
  StaffRoles,
  Tiers,
  Weekdays,
  literals,
} from '../../../protocol/vocabulary.js';

const strict = { additionalProperties: false } as const;
const nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Seconds = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 604_800, description });
const Name = Type.String({ minLength: 1, maxLength: 100 });
export const StaffId = Type.String({
  minLength: 1,
  maxLength: Limits.maxIdLength,
  pattern: '^[A-Za-z0-9_.:-]+$',
  description: 'Staff id, e.g. "alice".',
});
const Role = literals(StaffRoles);
const Tier = literals(Tiers, { description: '1 first line, 2 specialist, 3 senior (ROUTE-5).' });
const Skills = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: 50,
  uniqueItems: true,
  description: 'Skill tags (ROUTE-6).',
});
const Policy = literals(RoutingPolicies);
const Weekday = literals(Weekdays);
const Clock = Type.String({ pattern: '^[0-9]{2}:[0-9]{2}$' });

export const ErrorAnswer = Type.Object(
  {
    error: Type.Object({
      code: literals(ErrorCodes),
      message: Type.String(),
      field: Type.Optional(
        Type.String({
          description: 'The failing field as a dotted path (`widening.overflowTo`, `query.limit`, `path.id`).',
        }),
      ),
    }),
  },
  { description: 'Every error: a stable code, a readable message and, for bad input, the field.' },
);

export const IdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: Limits.maxIdLength, pattern: '^[A-Za-z0-9_.:-]+$' }) },
  strict,
);

// ---- workspace --------------------------------------------------------------

const AutoTexts = Type.Partial(Type.Record(AutoMessageKey, Type.String({ maxLength: 2000 })), strict);
const AutoMessages = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    texts: Type.Optional(Type.Object({ 'zh-CN': Type.Optional(AutoTexts), en: Type.Optional(AutoTexts) }, strict)),
  },
  {
    ...strict,
    description: 'CONV-4: automatic messages; an empty text turns that message off, an absent one uses the default.',
  },
);
const TagList = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  maxItems: 200,
  uniqueItems: true,
  description: 'XFER-2: the tags a transfer may carry.',
});
const TransferLimits = Type.Object(
  {
    agent: Type.Optional(Type.Integer({ minimum: 0 })),
    supervisor: Type.Optional(Type.Integer({ minimum: 0 })),
    admin: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { ...strict, description: 'XFER-5: transfers per day (UTC) per role; absent = unlimited.' },
);

const WidgetOrigins = Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
  maxItems: 200,
  description:
    "WEB-1: the sites whose pages may embed the widget, as origins (`https://shop.example.com`, `https://*.example.com` for its subdomains); absent = every site, empty = none but the server's own pages. Checked on the visitor WebSocket upgrade (Origin) and on file uploads (CORS); staff are not affected.",
});

export const WorkspaceView = Type.Object({
  autoAssign: Type.Boolean({
    description: 'ROUTE-1: automatic assignment; off = conversations wait in their queue for staff to claim.',
  }),
  defaultLanguage: Type.Optional(Language),
  autoMessages: Type.Optional(AutoMessages),
  autoCloseAfterMin: Type.Optional(Type.Number()),
  tags: Type.Optional(TagList),
  transferLimits: Type.Optional(TransferLimits),
  widgetOrigins: Type.Optional(WidgetOrigins),
  verification: Type.Object(
    { set: Type.Boolean(), required: Type.Optional(Type.Boolean()) },
    {
      description:
        'CUST-1: whether a verification secret is set (it is never shown) and whether logins must be signed.',
    },
  ),
});

export const WorkspacePatch = Type.Object(
  {
    autoAssign: Type.Optional(Type.Boolean({ description: 'ROUTE-1' })),
    defaultLanguage: Type.Optional(nullable(Language)),
    autoMessages: Type.Optional(nullable(AutoMessages)),
    autoCloseAfterMin: Type.Optional(
      nullable(
        Type.Number({
          exclusiveMinimum: 0,
          maximum: 525_600,
          description: 'CONV-5: minutes of customer silence before an assigned conversation is resolved.',
        }),
      ),
    ),
    tags: Type.Optional(nullable(TagList)),
    transferLimits: Type.Optional(nullable(TransferLimits)),
    widgetOrigins: Type.Optional(nullable(WidgetOrigins)),
    verification: Type.Optional(
      nullable(
        Type.Object(
          {
            secret: Type.String({ minLength: 32, maxLength: 200, description: 'Write-only.' }),
            required: Type.Boolean(),
          },
          { ...strict, description: 'CUST-1: the login verification secret; null removes it.' },
        ),
      ),
    ),
  },
  { ...strict, minProperties: 1 },
);

// ---- departments ------------------------------------------------------------

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

// ---- staff ------------------------------------------------------------------

const staffFields = {
  name: Name,
  email: Type.String({ minLength: 3, maxLength: 200, pattern: '^[^\\s@]+@[^\\s@]+$' }),
  role: Role,
  departments: Type.Array(DepartmentId, { maxItems: 100, uniqueItems: true }),
};
const routingFields = {
  maxConcurrent: Type.Integer({
    minimum: 1,
    maximum: 1000,
    description: 'Own capacity (ROUTE-11); the largest department default when absent.',
  }),
  weight: Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'Weighted round robin share (ROUTE-4).' }),
  tier: Tier,
  skills: Skills,
  crossDepartmentTransfer: Type.Boolean({ description: 'XFER-1: an agent may transfer to other departments.' }),
};
export const Password = Type.String({
  minLength: PASSWORD_RULE.minLength,
  maxLength: PASSWORD_RULE.maxLength,
  description: 'At least 10 characters; stored as an scrypt hash.',
});

export const StaffCreate = Type.Object(
  {
    id: StaffId,
    ...staffFields,
    password: Password,
    maxConcurrent: Type.Optional(routingFields.maxConcurrent),
    weight: Type.Optional(routingFields.weight),
    tier: Type.Optional(routingFields.tier),
    skills: Type.Optional(routingFields.skills),
    crossDepartmentTransfer: Type.Optional(routingFields.crossDepartmentTransfer),
  },
  strict,
);

export const StaffPatch = Type.Object(
  {
    name: Type.Optional(staffFields.name),
    email: Type.Optional(staffFields.email),
    role: Type.Optional(staffFields.role),
    departments: Type.Optional(staffFields.departments),
    password: Type.Optional(Password),
    maxConcurrent: Type.Optional(nullable(routingFields.maxConcurrent)),
    weight: Type.Optional(nullable(routingFields.weight)),
    tier: Type.Optional(nullable(routingFields.tier)),
    skills: Type.Optional(nullable(routingFields.skills)),
    crossDepartmentTransfer: Type.Optional(nullable(routingFields.crossDepartmentTransfer)),
    status: Type.Optional(AgentStatus),
  },
  { ...strict, minProperties: 1 },
);

export const StaffView = Type.Object({
  id: Type.String(),
  ...staffFields,
  maxConcurrent: Type.Optional(Type.Integer()),
  weight: Type.Optional(Type.Number()),
  tier: Type.Optional(Tier),
  skills: Type.Optional(Type.Array(Type.String())),
  crossDepartmentTransfer: Type.Optional(Type.Boolean()),
  live: Type.Optional(
    Type.Object(
      { status: AgentStatus, active: Type.Integer(), max: Type.Integer() },
      { description: "The agent actor's status and load now." },
    ),
  ),
});

export const StaffList = Type.Object({ staff: Type.Array(StaffView) });

// ---- keyword rules ----------------------------------------------------------

export const KeywordRule = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100 }),
    department: Type.Optional(DepartmentId),
    skills: Type.Optional(Skills),
    tier: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    laterMessages: Type.Optional(Type.Boolean()),
  },
  { ...strict, description: 'ROUTE-7: the first matching rule that sets an attribute decides it.' },
);
export const KeywordRules = Type.Object({ rules: Type.Array(KeywordRule, { maxItems: 500 }) }, strict);

// ---- canned replies ---------------------------------------------------------

export const CannedDraft = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: Limits.maxCannedTitleLength }),
    text: Type.String({ minLength: 1, maxLength: Limits.maxCannedTextLength }),
    shortcut: Type.Optional(
      Type.String({ minLength: 1, maxLength: Limits.maxCannedShortcutLength, pattern: '^[^\\s/]+$' }),
    ),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: Limits.maxCannedTagLength }), {
        maxItems: Limits.maxCannedTags,
      }),
    ),
  },
  strict,
);
export const CannedReply = Type.Object({
  id: Type.String(),
  scope: Type.Literal('workspace'),
  title: Type.String(),
  text: Type.String(),
  shortcut: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Array(Type.String())),
  updatedAt: Type.Number(),
  updatedBy: Type.String(),
});
export const CannedParams = Type.Object({ id: CannedId }, strict);
export const CannedListQuery = Type.Object(
  {
    after: Type.Optional(CannedId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: Limits.cannedPageSize })),
  },
  strict,
);
export const CannedList = Type.Object({
  replies: Type.Array(CannedReply),
  next: Type.Optional(Type.String({ description: 'Pass as `after` for the next page.' })),
});
export const Deleted = Type.Object({ id: Type.String(), deleted: Type.Literal(true) });

// ---- audit log --------------------------------------------------------------

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(Type.Integer({ minimum: 0, description: 'ms since the epoch, inclusive.' })),
    to: Type.Optional(Type.Integer({ minimum: 0, description: 'ms since the epoch, exclusive.' })),
    actor: Type.Optional(StaffId),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    after: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'An entry id: the page starts after it.' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  strict,
);
export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.Number(),
  actor: Type.Optional(Type.Object({ id: Type.String(), role: Role })),
  action: Type.String(),
  target: Type.Optional(Type.Object({ kind: Type.String(), id: Type.String() })),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
  outcome: literals(AuditOutcomes),
  remote: Type.Optional(Type.String()),
  detail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export const AuditList = Type.Object({
  entries: Type.Array(AuditEntry, { description: 'Oldest first.' }),
  next: Type.Optional(Type.String()),
});
